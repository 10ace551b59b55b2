#!/usr/bin/env python3
"""Thirty-sixth session: the picks of the refitted time model (2026-11-28_s34_fit_time_model.py's full form, fitted on
2026-11-28_h200_s36_split_grid.txt: rms log error 0.058) against the heuristic's own picks (version 126, the grid's PICK
rows), both read off the measured grid: for each (M, N, K) the refit picks the tile and plan its model times fastest and
is charged that plan's measured time (split 0 where its plan equals the configuration's own plan, else the forced whole-
tile split; '~' where the refit's plan is a tail or stream-K form the grid has only as split 1). Prints the points where
they differ and each side's geometric mean over the best measured. NOR256=1 leaves coop_r256_t128 out of the refit's
candidates; a tile is a candidate only where the grid timed it (t160 from the next grid on). Run from the repository
root: python3 bench/results/probes/2026-11-28_s36_eval_refit_picks.py [GRID_FILE...]; MODEL="kb/kbtok/unit/split/cl/f256/sk/g/h"
(since the thirty-seventh session) replaces the constants."""
import os, sys
NOR256=os.environ.get("NOR256")
_src=open('bench/results/probes/2026-11-28_s34_fit_time_model.py').read()
_ARGS=sys.argv[1:]
sys.argv=[sys.argv[0]]
# the fitter's model functions only (its fit runs at import otherwise): the first forms, then the forms with g and h
exec(_src[:_src.index("D,PICK=load(")]+"\n"+_src[_src.index("def kbc("):_src.index("# The current form")])
P=dict(kb=0.0442,kbtok=0.0019,unit=2.9904,split=1.8806,cl=0.7388,bw=2.2e12,f256=0.9262,sk=5.154,g=0.2867,h=0.1521)
if os.environ.get("MODEL"):  # the same slash-separated form as the C++ probe's W4A16_PROBE_MODEL
    P.update(zip(['kb','kbtok','unit','split','cl','f256','sk','g','h'],map(float,os.environ["MODEL"].split('/'))))
D,PICK=load(_ARGS or ["bench/results/probes/2026-11-28_h200_s36_split_grid.txt"])
base=dict(CUR,g=0.0,h=0.0,rs=0)
def default_plan(c,m,n,k): return plan(base,c,m,n,k,c!="coop_r256_t128")
def plan2(P,c,m,n,k): return plan(P,c,m,n,k,True)  # the fitter's plan with its model's split
def cands(m):
    c=['coop_r128_t128','coop_r128_t160','coop_r128_t192','coop_r128_t256']+([] if NOR256 else ['coop_r256_t128'])
    if m<=128: c.append('coop_r128_t64')
    if 64<m<=96: c.append('coop_r128_t96')
    return c
def measured(c,m,n,k,pl):
    cur=default_plan(c,m,n,k)
    if pl==cur: return D.get((m,n,k,c,0)),''
    if pl[0]=='split': return D.get((m,n,k,c,pl[1])),''
    return D.get((m,n,k,c,1)),'~'
keys=sorted({(m,n,k) for (m,n,k,c,s) in D})
tot=dict(cur=0,new=0,best=0); rows=[]
for (m,n,k) in keys:
    opts=[(v,c,s) for (mm,nn,kk,c,s),v in D.items() if (mm,nn,kk)==(m,n,k)]
    best=min(opts)
    pc=PICK.get((m,n,k)); tc=D.get((m,n,k,pc,0))
    pr=[]
    for c in [c for c in cands(m) if (m,n,k,c,0) in D]:
        pl=plan2(P,c,m,n,k); pr.append((t_plan(P,c,m,n,k,pl),c,pl))
    pr.sort(); u,c,pl=pr[0]
    tn,flag=measured(c,m,n,k,pl)
    if tn is None or tc is None: print('missing',m,n,k,c,pl,pc); continue
    tot['cur']+=math.log(tc/best[0]); tot['new']+=math.log(tn/best[0]); tot['best']+=1
    rows.append((m,n,k,pc,tc,c,pl,tn,flag,best))
for r in rows:
    m,n,k,pc,tc,c,pl,tn,flag,best=r
    mark='' if abs(tn/tc-1)<0.02 else ('BETTER' if tn<tc else 'WORSE')
    if (pc,0)!=(c,0) or mark: print(m,n,k,'cur',pc[5:],tc,'new',c[5:],pl,tn,flag,'best',best[1][5:],best[2],best[0],mark)
print('geomean over best: cur %.4f new %.4f (n=%d)'%(math.exp(tot['cur']/tot['best']),math.exp(tot['new']/tot['best']),tot['best']))
