import numpy as np, common
from sklearn.metrics import roc_auc_score
def report(rows, P, name=""):
    # P: n x 6 scores for held rows (aligned with rows list given)
    out={}
    srcs=sorted(set(r["src"] for r in rows))
    Y=np.array([r["y"] for r in rows])
    S=np.array([r["src"] for r in rows])
    res={}
    for s in srcs:
        m=S==s; aucs={}
        for j,l in enumerate(common.LABELS):
            y=Y[m,j]; k=y>=0
            if k.sum()==0 or y[k].min()==y[k].max(): continue
            aucs[l]=roc_auc_score(y[k],P[m][k,j])
        res[s]=aucs
    def mean(d): return sum(d.values())/len(d)
    j=res.get("jigsaw2018",{}); d=res.get("davidson",{})
    line=f"{name:30s} jig {mean(j):.4f} (tox {j.get('toxic',0):.3f}) dav {d.get('toxic',0):.4f}/{d.get('identity_hate',0):.4f} | "+" ".join(f"{s[:6]}={mean(a):.3f}" for s,a in res.items() if a)
    line+=f" | macro {np.mean([mean(a) for a in res.values() if a]):.4f}"
    print(line, flush=True)
    return res
