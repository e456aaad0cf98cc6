import common, numpy as np, scipy.sparse as sp, sys
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
rows=common.load()
held=np.array([r["held"] for r in rows]); S=np.array([r["src"] for r in rows])
Y=np.array([r["y"] for r in rows])
Xtr=sp.load_npz("tfidf_tr.npz"); Xte=sp.load_npz("tfidf_te.npz")
E=np.load(sys.argv[1]); scale=float(sys.argv[2])
Str=S[~held]; Ste=S[held]; Ytr=Y[~held]; Yte=Y[held]
feats={"tfidf":(Xtr,Xte),"emb":(sp.csr_matrix(E[~held]*scale),sp.csr_matrix(E[held]*scale))}
feats["both"]=(sp.hstack([Xtr,feats["emb"][0]]).tocsr(),sp.hstack([Xte,feats["emb"][1]]).tocsr())
for src in sys.argv[3].split(","):
    line=f"LOSO {src:12s}"
    for name,(A,B) in feats.items():
        k=(Ytr[:,0]>=0)&(Str!=src)
        m=LogisticRegression(C=1,max_iter=1000,solver="liblinear").fit(A[k],Ytr[k,0])
        t=Ste==src
        line+=f" {name}={roc_auc_score(Yte[t,0],m.predict_proba(B[t])[:,1]):.3f}"
    print(line,flush=True)
