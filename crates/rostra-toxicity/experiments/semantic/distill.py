import bert, numpy as np
V=30522
ids=[[101,i,102] for i in range(V)]
out=np.zeros((V,384),np.float32)
for s in range(0,V,512):
    # mean over the token only (exclude CLS/SEP): compute full then take position 1
    out[s:s+512]=bert.encode_ids(ids[s:s+512])
np.save("static_vocab.npy",out)
