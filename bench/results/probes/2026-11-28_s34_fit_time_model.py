#!/usr/bin/env python3
"""Thirty-fourth session: the sm90 time model against the H200 split grids (2026-11-28_h200_s34_{split,r256}_grid.txt).
Replicates plan_sm90 / sm90_model_us in Python, adds coop_r256_t128, a per-k-block cost rising with the CTAs in flight
(g) and a split cost rising with the split count (h), and fits the constants by Nelder-Mead on squared log error.
Run from the repository root: python3 bench/results/probes/2026-11-28_s34_fit_time_model.py [GRID_FILE...]
(default: those two grids). Since the thirty-fifth session its table also holds the 96- and 192-token tiles
(versions 125-126), for the grid of 2026-11-28_s35_next_grid.sh, and since the thirty-sixth the 160-token tile (version
127); on the old grids the output is unchanged."""
import math, sys, statistics
from collections import defaultdict
SMS=132
# name: (tn, kb, rows)
CFG={'coop_r128_t64':(64,128,128),'coop_r128_t96':(96,128,128),'coop_r128_t128':(128,64,128),'coop_r128_t160':(160,64,128),
     'coop_r128_t192':(192,64,128),'coop_r128_t256':(256,64,128),'coop_r256_t128':(128,64,256)}
SH={'coop_r128_t64':'t64','coop_r128_t96':'t96','coop_r128_t128':'t128','coop_r128_t160':'t160','coop_r128_t192':'t192',
    'coop_r128_t256':'t256','coop_r256_t128':'r256'}
def cdiv(a,b): return -(-a//b)
def tail_split(tiles,kblocks,slots,maxw=10**9):
    if tiles<=slots or tiles//slots>=maxw: return 1
    tail=tiles%slots
    if tail==0: return 1
    s=min(slots//tail,kblocks//4,4)
    return s if s>=2 else 1
def choose_split(tiles,kblocks,slots):
    if tiles<=0 or tiles*2>slots: return 1
    return max(1,min(slots//tiles,kblocks//4,32))
# P: dict of constants
def kbcost(P,c):
    tn,kb,rows=CFG[c]
    base=(kb/64)*(P['kb']+P['kbtok']*tn)
    return base*(rows/128)*(P['f256'] if rows==256 else 1.0)
def pairs(c): tn,kb,rows=CFG[c]; return 64*(rows//128)*tn*4<=32768
def geom(c,m,n,k):
    tn,kb,rows=CFG[c]; return cdiv(n,rows)*cdiv(m,tn), cdiv(k,kb)
def t_split(P,c,m,n,k,s,cluster=True):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    unit=lambda s: cdiv(kblocks,s)*kbcost(P,c)+P['unit']
    su=0 if s==1 else (P['cl'] if (cluster and s==2 and pairs(c)) else P['split'])*tn/64*(rows/128 if P.get('rowsplit') else 1)
    return cdiv(tiles*s,SMS)*unit(s)+su
def t_model(P,c,m,n,k,s):
    # the C++ model: split s, or the tail form at s=1 (tn>64, < 4 waves)
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    us=t_split(P,c,m,n,k,s)
    if s==1 and tn>64:
        ts=tail_split(tiles,kblocks,SMS,4)
        if ts>1:
            unit=lambda s: cdiv(kblocks,s)*kbcost(P,c)+P['unit']
            us=(tiles//SMS)*unit(1)+unit(ts)+P['split']*tn/64
    by=0.5*n*k+2*m*(k+n)
    return max(us,by/P['bw']*1e6)
def msplit(P,c,m,n,k):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    smax=max(1,min(8,kblocks//4,SMS//max(1,tiles)))
    best=1;bu=t_model(P,c,m,n,k,1)
    for s in range(2,smax+1):
        u=t_model(P,c,m,n,k,s)
        if u<bu: bu=u;best=s
    return best,bu
def plan(P,c,m,n,k,modelled):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    split=msplit(P,c,m,n,k)[0] if modelled else choose_split(tiles,kblocks,SMS)
    total=tiles*kblocks; rng=total//SMS; span=cdiv(kblocks,rng)+1 if rng>0 else 0
    if tiles<SMS and tiles*split<0.7*SMS and rng*kb>=4096 and span<=4: return ('sk',span,rng)
    if split==1:
        s=tail_split(tiles,kblocks,SMS)
        if s>1: return ('tail',s,0)
    return ('split',split,0)
def t_plan(P,c,m,n,k,pl):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    kind,s,rng=pl
    if kind=='split': us=t_split(P,c,m,n,k,s)
    elif kind=='tail':
        unit=lambda s: cdiv(kblocks,s)*kbcost(P,c)+P['unit']
        us=(tiles//SMS)*unit(1)+unit(s)+P['split']*tn/64
    else:
        us=rng*kbcost(P,c)+P['unit']+P['sk']*tn/64
    by=0.5*n*k+2*m*(k+n)
    return max(us,by/P['bw']*1e6)
CUR=dict(kb=0.08,kbtok=0.0024,unit=6.0,split=3.0,cl=2.0,bw=2.2e12,f256=1.0,sk=3.0)
def load(paths):
    T=defaultdict(list); pick={}
    for f in paths:
        for line in open(f):
            x=line.split()
            if len(x)<8 or x[1]!='PROBE' or x[7] in('n/a','WRONG'): continue
            T[(int(x[2]),int(x[3]),int(x[4]),x[5],int(x[6]))].append(float(x[7]))
            if len(x)>8: pick[(int(x[2]),int(x[3]),int(x[4]))]=x[5]
    return {k:statistics.median(v) for k,v in T.items()},pick
D,PICK=load(sys.argv[1:] or ['bench/results/probes/2026-11-28_h200_s34_split_grid.txt','bench/results/probes/2026-11-28_h200_s34_r256_grid.txt'])
def default_plan(c,m,n,k): return plan(CUR,c,m,n,k,c!='coop_r256_t128')
rows=[]
for (m,n,k,c,s),v in D.items():
    pl=('split',s,0) if s>0 else default_plan(c,m,n,k)
    rows.append((c,m,n,k,pl,v))
def loss(P,rows=rows):
    return sum(math.log(t_plan(P,c,m,n,k,pl)/v)**2 for c,m,n,k,pl,v in rows)
KEYS=['kb','kbtok','unit','split','cl','f256','sk']
def nm(P0,keys=KEYS,iters=3000,rows=rows):
    x0=[P0[k] for k in keys]
    def f(x):
        if min(x)<=0: return 1e9
        P=dict(P0); P.update(zip(keys,x)); return loss(P,rows)
    n=len(x0); S=[x0]+[[xi*(1.2 if i==j else 1) for j,xi in enumerate(x0)] for i in range(n)]
    F=[f(s) for s in S]
    for it in range(iters):
        o=sorted(range(n+1),key=lambda i:F[i]); S=[S[i] for i in o]; F=[F[i] for i in o]
        c=[sum(S[i][j] for i in range(n))/n for j in range(n)]
        r=[c[j]+(c[j]-S[-1][j]) for j in range(n)]; fr=f(r)
        if fr<F[0]:
            e=[c[j]+2*(c[j]-S[-1][j]) for j in range(n)]; fe=f(e)
            S[-1],F[-1]=(e,fe) if fe<fr else (r,fr)
        elif fr<F[-2]: S[-1],F[-1]=r,fr
        else:
            cc=[c[j]+0.5*(S[-1][j]-c[j]) for j in range(n)]; fc=f(cc)
            if fc<F[-1]: S[-1],F[-1]=cc,fc
            else:
                S=[S[0]]+[[S[0][j]+0.5*(s[j]-S[0][j]) for j in range(n)] for s in S[1:]]; F=[F[0]]+[f(s) for s in S[1:]]
    i=min(range(n+1),key=lambda i:F[i]); P=dict(P0); P.update(zip(keys,S[i])); return P
def rms(P,rows=rows): return math.sqrt(loss(P,rows)/len(rows))
def kbc(P,c,active):
    return kbcost(P,c)*(1+P['g']*active/SMS)
def t_split(P,c,m,n,k,s,cluster=True):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    act=min(tiles*s,SMS)
    unit=lambda s: cdiv(kblocks,s)*kbc(P,c,act)+P['unit']
    su=0 if s==1 else (P['cl'] if (cluster and s==2 and pairs(c)) else P['split'])*tn/64
    return cdiv(tiles*s,SMS)*unit(s)+su
def t_plan(P,c,m,n,k,pl):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    kind,s,rng=pl
    if kind=='split': us=t_split(P,c,m,n,k,s)
    elif kind=='tail':
        unit=lambda s,a: cdiv(kblocks,s)*kbc(P,c,a)+P['unit']
        us=(tiles//SMS)*unit(1,SMS)+unit(s,min(SMS,(tiles%SMS)*s))+P['split']*tn/64
    else:
        us=rng*kbc(P,c,SMS)+P['unit']+P['sk']*tn/64
    by=0.5*n*k+2*m*(k+n)
    return max(us,by/P['bw']*1e6)
def t_model(P,c,m,n,k,s):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    if s==1 and tn>64:
        ts=tail_split(tiles,kblocks,SMS,4)
        if ts>1: return t_plan(P,c,m,n,k,('tail',ts,0))
    return t_plan(P,c,m,n,k,('split',s,0))
def t_split(P,c,m,n,k,s,cluster=True):
    tn,kb,rows=CFG[c]; tiles,kblocks=geom(c,m,n,k)
    act=min(tiles*s,SMS)
    unit=lambda s: cdiv(kblocks,s)*kbc(P,c,act)+P['unit']
    if s==1: su=0
    elif cluster and s==2 and pairs(c): su=P['cl']*tn/64
    else: su=P['split']*tn/64*(rows/128 if P.get('rs',1) else 1)*(1+P['h']*(s-2))
    return cdiv(tiles*s,SMS)*unit(s)+su
# The current form: no in-flight term (g), no split growth (h), the split cost not scaled by tile rows (rs),
# coop_r256_t128 (not in the C++ model) at twice the 128-row tile's k-block cost (f256 = 1).
base=dict(CUR,g=0.0,h=0.0,rs=0)
print('current constants: rms log error %.3f over %d timings' % (rms(base,rows),len(rows)))
same=nm(base,['kb','kbtok','unit','split','cl','f256','sk'],3000,rows)
print('the same form refitted: %.3f' % rms(same,rows))
rows=[r for r in rows if not (r[0]=='coop_r128_t256' and r[1]<160)]
same=nm(base,['kb','kbtok','unit','split','cl','f256','sk'],3000,rows)
print('without the 256-token tile below M = 160 (%d timings): current %.3f, the same form refitted %.3f' % (len(rows),rms(base,rows),rms(same,rows)))
KEYS=['kb','kbtok','unit','split','cl','f256','sk','g','h']
P0=dict(CUR); P0['g']=0.5; P0['h']=0.2; P0['cl']=0.5
P=nm(P0,KEYS,5000,rows)
print({k:round(v,4) for k,v in P.items()},'rms',rms(P,rows))
for c in CFG:
    r=[(m,n,k,pl,v) for cc,m,n,k,pl,v in rows if cc==c]
    if not r: continue
    print(SH[c],len(r),'rms',round(math.sqrt(sum(math.log(t_plan(P,c,m,n,k,pl)/v)**2 for m,n,k,pl,v in r)/len(r)),3))
res=sorted(rows,key=lambda r:-abs(math.log(t_plan(P,r[0],*r[1:4],r[4])/r[5])))
for c,m,n,k,pl,v in res[:20]: print(SH[c],m,n,k,pl,v,round(t_plan(P,c,m,n,k,pl),1))

