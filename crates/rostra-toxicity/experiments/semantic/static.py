import common, evalh, numpy as np, scipy.sparse as sp
from tokenizers import Tokenizer
from sklearn.linear_model import LogisticRegression
rows=common.load()
import bert
tok=Tokenizer.from_file(bert.M+"tokenizer.json")
tok.no_padding(); tok.enable_truncation(512)
T=np.load("static_vocab.npy")
enc=[e.ids[1:-1] for e in tok.encode_batch([r["text"] for r in rows])]
# idf weighting over training rows
held=np.array([r["held"] for r in rows])
df=np.ones(30522)
for e,h in zip(enc,held):
    if not h: df[list(set(e))]+=1
idf=np.log((1+(~held).sum())/df)
def emb(weight):
    X=np.zeros((len(rows),384),np.float32)
    for i,e in enumerate(enc):
        if not e: continue
        w=idf[e] if weight else np.ones(len(e))
        v=(T[e]*w[:,None]).sum(0)/w.sum(); X[i]=v/ (np.linalg.norm(v)+1e-9)
    return X
Y=np.array([r["y"] for r in rows])
te=[r for r in rows if r["held"]]
for weight in [False,True]:
    X=emb(weight); np.save(f"static_emb_w{int(weight)}.npy",X)
    for C in [1,10]:
        P=np.zeros((held.sum(),6))
        for j in range(6):
            k=(Y[:,j]>=0)&~held
            m=LogisticRegression(C=C,max_iter=2000).fit(X[k],Y[k,j]); P[:,j]=m.predict_proba(X[held])[:,1]
        evalh.report(te,P,f"static w={weight} C={C}")
