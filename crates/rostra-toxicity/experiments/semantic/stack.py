import common, evalh, numpy as np, scipy.sparse as sp, sys
from sklearn.linear_model import LogisticRegression
rows=common.load()
held=np.array([r["held"] for r in rows]); te=[r for r in rows if r["held"]]
Y=np.array([r["y"] for r in rows])
Xtr=sp.load_npz("tfidf_tr.npz"); Xte=sp.load_npz("tfidf_te.npz")
E=np.load(sys.argv[1]); 
for scale in [float(s) for s in sys.argv[2:]]:
    A=sp.hstack([Xtr,sp.csr_matrix(E[~held]*scale)]).tocsr(); B=sp.hstack([Xte,sp.csr_matrix(E[held]*scale)]).tocsr()
    Ytr=Y[~held]; P=np.zeros((len(te),6))
    for j in range(6):
        k=Ytr[:,j]>=0
        m=LogisticRegression(C=1,max_iter=1000,solver="liblinear").fit(A[k],Ytr[k,j]); P[:,j]=m.predict_proba(B)[:,1]
    np.save(f"P_stack_{sys.argv[1]}_{scale}.npy",P)
    evalh.report(te,P,f"tfidf+{sys.argv[1][:12]} x{scale}")
