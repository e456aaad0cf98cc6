import common, evalh, numpy as np, scipy.sparse as sp, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
rows=common.load()
tr=[r for r in rows if not r["held"]]; te=[r for r in rows if r["held"]]
wv=TfidfVectorizer(ngram_range=(1,2),min_df=2,sublinear_tf=True,max_features=200000)
cv=TfidfVectorizer(analyzer="char_wb",ngram_range=(2,5),min_df=2,sublinear_tf=True,max_features=300000)
Xtr=sp.hstack([wv.fit_transform([r["text"] for r in tr]),cv.fit_transform([r["text"] for r in tr])]).tocsr()
Xte=sp.hstack([wv.transform([r["text"] for r in te]),cv.transform([r["text"] for r in te])]).tocsr()
Ytr=np.array([r["y"] for r in tr])
sp.save_npz("tfidf_tr.npz",Xtr); sp.save_npz("tfidf_te.npz",Xte)
for C in [float(c) for c in sys.argv[1:]]:
    P=np.zeros((len(te),6))
    for j in range(6):
        k=Ytr[:,j]>=0
        m=LogisticRegression(C=C,max_iter=1000,solver="liblinear").fit(Xtr[k],Ytr[k,j])
        P[:,j]=m.predict_proba(Xte)[:,1]
    np.save(f"P_tfidf_C{C}.npy",P)
    evalh.report(te,P,f"tfidf all C={C}")
