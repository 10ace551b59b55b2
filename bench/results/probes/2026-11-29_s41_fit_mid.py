import re,subprocess,os,math,pickle
cfgs={'coop_r128_t64':(3,64,128),'coop_r128_t96':(4,96,128),'coop_r128_t128':(5,128,64),'coop_r128_t160':(6,160,64),'coop_r128_t192':(7,192,64),'coop_r128_t256':(8,256,64)}
data=[]
for line in open('/tmp/tune_all.txt'):
    m=re.match(r'sm90 M=(\d+) N=(\d+) K=(\d+): (.*)',line)
    if not m: continue
    M,N,K=map(int,m.group(1,2,3))
    t={a:float(b) for a,b in re.findall(r'(\S+)=([\d.]+)us',m.group(4))}
    for name,(idx,tn,kb) in cfgs.items():
        env=dict(os.environ,QC='30',CFG=str(idx))
        out=subprocess.run(['/tmp/pl/pl_new3',str(N),str(K),'0',str(M)],capture_output=True,text=True,env=env).stdout
        f={k:int(v) for k,v in re.findall(r'(split|cluster|grid|stages|sk|kblocks|full) (\d+)',out)}
        tl=re.search(r'tiles (\d+)x(\d+)',out); tiles=int(tl.group(1))*int(tl.group(2))
        data.append(dict(N=N,K=K,M=M,name=name,tn=tn,kb=kb,tiles=tiles,T=t[name],**f))
pickle.dump(data,open('/tmp/fit/data.pkl','wb'))
print(len(data))
# ---- the fit (after collect: /tmp/fit/data.pkl; inputs: call 3's tune records concatenated into /tmp/tune_all.txt,
# the plan inspector 2026-11-29_s41_plan_inspector.cpp built as /tmp/pl/pl_new3 against version 138's library, QC=30)
import pickle,math,numpy as np
from collections import defaultdict
data=pickle.load(open('/tmp/fit/data.pkl','rb'))
S=132
def feats(d):
    kbk=d['kb']/64; kb=d['kblocks']; tiles=d['tiles']; s=d['split']
    if d['sk']>0:
        kpc=math.ceil(tiles*kb/d['sk'])*kbk
    elif d['full']>0:
        kpc=(d['full']//S)*kb*kbk + math.ceil(kb/s)*kbk
    else:
        W=math.ceil(tiles*s/S); kpc=W*math.ceil(kb/s)*kbk
    return kpc
def row(d):
    kpc=feats(d)
    ws = d['split']>1 and d['cluster']==1 and d['sk']==0
    skw = d['sk']>0 and d['cluster']!=4
    return [kpc, kpc*d['tn'], 1, d['tn'] if ws else 0, d['tn'] if d['cluster']==2 else 0, d['tn'] if d['cluster']==4 else 0, d['tn'] if skw else 0]
A=np.array([row(d) for d in data],float); y=np.array([d['T'] for d in data])
coef,*_=np.linalg.lstsq(A/y[:,None],np.ones_like(y),rcond=None)
pred=A@coef
np.save('/tmp/fit/coef.npy',coef); print('coef',coef,'median rel err',np.median(abs(pred/y-1)),'p90',np.percentile(abs(pred/y-1),90))
pts=defaultdict(list)
for d,p in zip(data,pred): pts[(d['N'],d['K'],d['M'])].append((d['name'],d['T'],p))
loss=[]
for k,v in sorted(pts.items()):
    best=min(v,key=lambda x:x[1]); ch=min(v,key=lambda x:x[2])
    loss.append(ch[1]/best[1]-1)
    if ch[1]/best[1]>1.03: print(k,'model',ch[0],ch[1],'best',best[0],best[1])
print('mean loss',np.mean(loss),'max',max(loss))
# current picks' loss
import subprocess,os
cur=[]
for k,v in sorted(pts.items()):
    N,K,M=k
    out=subprocess.run(['/tmp/pl/pl_new3',str(N),str(K),'0',str(M)],capture_output=True,text=True,env=dict(os.environ,QC='30')).stdout
    pick=out.split(': ')[1].split()[0]
    best=min(v,key=lambda x:x[1]); tp=[x[1] for x in v if x[0]==pick]
    cur.append(tp[0]/best[1]-1)
print('current mean loss',np.mean(cur),'max',max(cur))
# leave-one-shape-out
shapes=sorted(set((d['N'],d['K']) for d in data))
lo=[]
for sh in shapes:
    idx=[i for i,d in enumerate(data) if (d['N'],d['K'])!=sh]
    c,*_=np.linalg.lstsq(A[idx]/y[idx,None],np.ones(len(idx)),rcond=None)
    p=A@c
    pp=defaultdict(list)
    for d,pr in zip(data,p):
        if (d['N'],d['K'])==sh: pp[d['M']].append((d['name'],d['T'],pr))
    for M,v in pp.items():
        best=min(v,key=lambda x:x[1]); ch=min(v,key=lambda x:x[2]); lo.append(ch[1]/best[1]-1)
print('LOSO mean loss',np.mean(lo),'max',max(lo), 'n',len(lo))
