import common, evalh, numpy as np
from sklearn.linear_model import LogisticRegression
rows=common.load(); held=np.array([r["held"] for r in rows]); te=[r for r in rows if r["held"]]
Y=np.array([r["y"] for r in rows]); X=np.load("emb128.npy")
for C in [1,10]:
    P=np.zeros((held.sum(),6))
    for j in range(6):
        k=(Y[:,j]>=0)&~held
        P[:,j]=LogisticRegression(C=C,max_iter=3000).fit(X[k],Y[k,j]).predict_proba(X[held])[:,1]
    evalh.report(te,P,f"minilm LR C={C}")
