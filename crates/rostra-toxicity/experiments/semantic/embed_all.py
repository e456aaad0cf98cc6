import common, bert, numpy as np, sys
rows=common.load()
print(len(rows))
e=bert.embed([r["text"] for r in rows], maxlen=int(sys.argv[1]))
np.save(f"emb{sys.argv[1]}.npy", e)
