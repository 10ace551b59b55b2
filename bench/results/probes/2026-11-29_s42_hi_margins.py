# The model's estimated margin (kHiModel prices, from each plan of the inspector built against version 140 as /tmp/pl/pnew3,
# version 139's as /tmp/pl/pnow) against the measured change, for the held-out moves of calls 4 and 7.
import subprocess,os,re,math
coef={'coop_r128_t64':0.2407,'coop_r128_t96':0.3090,'coop_r128_t128':0.3878,'coop_r128_t160':0.4522,'coop_r128_t192':0.5322,'coop_r128_t256':0.6856,'coop_r256_t128':0.7216}
idx={'coop_r128_t64':3,'coop_r128_t96':4,'coop_r128_t128':5,'coop_r128_t160':6,'coop_r128_t192':7,'coop_r128_t256':8,'coop_r256_t128':9}
def plan(n,k,bf,m,env):
    out=subprocess.run(['/tmp/pl/pnew3',str(n),str(k),bf,str(m)],capture_output=True,text=True,env=env).stdout
    f={a:int(b) for a,b in re.findall(r'(split|cluster|grid|stages|sk|kblocks|full) (\d+)',out)}
    t=re.search(r'tiles (\d+)x(\d+)',out); f['tiles']=int(t.group(1))*int(t.group(2)); f['name']=out.split(': ')[1].split()[0]; return f
def us(name,f):
    tn=int(name.split('_t')[-1]); kb=128 if tn<=96 else 64
    if f['sk']>0: b=math.ceil(f['tiles']*f['kblocks']/f['sk'])
    elif f['full']>0: b=f['full']//132*f['kblocks']+math.ceil(f['kblocks']/f['split'])
    else: b=math.ceil(f['tiles']*f['split']/132)*math.ceil(f['kblocks']/f['split'])
    red = 0.029 if f['cluster']==4 else 0.019 if f['cluster']==2 else 0.0767 if f['sk']>0 else 0.0432 if f['split']>1 else 0
    return b*kb/64*coef[name]+1.278+red*tn
import sys
for fn in sys.argv[1:]:
  for line in open(fn):
    m_=re.match(r'(\d+) (\d+) (\d+) *(.*?)\s+v139\s+([\d.]+).*v140\s+([\d.]+)',line)
    if not m_: continue
    m,n,k,opts,a,b=m_.groups(); env=dict(os.environ,QC='30')
    bf='1' if 'bf16' in opts else '0'
    if 'zeros' in opts: env['Z']='1'
    g=re.search(r'--group (\S+)',opts)
    if g: env['G']='0' if g.group(1)=='channel' else g.group(1)
    pick=plan(n,k,bf,m,env)['name']
    if int(m)>960: continue
    ests={c:us(c,plan(n,k,bf,m,dict(env,CFG=str(i)))) for c,i in idx.items()}
    # base = v139 pick
    base=subprocess.run(['/tmp/pl/pnow',n,k,bf,m],capture_output=True,text=True,env=env).stdout.split(': ')[1].split()[0]
    if base==pick: continue
    print(f"{m:>4} {n}x{k} {opts:24s} {base}->{pick} est margin {1-ests[pick]/ests[base]:.1%} measured {float(b)/float(a)-1:+.1%}")
