"""Byte breakdown of a verifying key (docs/proof-format.md §3) and of the proof body it implies (§4):
which section of the key each byte belongs to (SRS, circuit columns, gates, lookups, fixed commitments,
metadata, and the committed relation's block sizes, terms and block commitments), the term kinds and box
dimensions, and the proof body's parts (advice commitments and evaluations, lookups, the Gemini opening).

    python3 bench/keys/vk_breakdown.py out/vk.bin
"""
import struct, sys, collections
d = open(sys.argv[1],'rb').read()
assert d[:8] == b'ZKIVKEY\0'
p = 12
blen = struct.unpack_from('<Q', d, p)[0]; p += 8
body = d[p:p+blen]; p = 0
sec = collections.OrderedDict()
rotated = set()
def u8():
    global p; v = body[p]; p += 1; return v
def u32():
    global p; v = struct.unpack_from('<I', body, p)[0]; p += 4; return v
def u64():
    global p; v = struct.unpack_from('<Q', body, p)[0]; p += 8; return v
def lp():
    global p; n = u64(); v = body[p:p+n]; p += n; return v
def mark(name, start): sec[name] = sec.get(name, 0) + p - start
s = p; lp(); lp(); mark('header', s)
s = p; p += 32 + 64 + 64 + 32; u32(); lp(); mark('srs', s)
s = p
k = u32()
A = u32(); names = []
for _ in range(A): names.append(lp()); u32()
I = u32()
for _ in range(I): lp(); u32(); u32()
F = u32(); fnames=[]
for _ in range(F): fnames.append(lp())
R = u32()
for _ in range(R): lp(); u32()
mark('circuit: columns', s); s = p
C = u32()
for _ in range(C):
    lp(); S = u32()
    for _ in range(S):
        u32(); u32(); src = u8()
        if src == 1: u32(); u32()
        pw = u32(); outs = u32(); st = u8()
        if st == 0: p += 8*pw*outs
        else: n = u32(); p += 16*n
mark('circuit: challenge cols', s); s = p
def expr(depth=0):
    t = u8()
    if t == 0: p_add(32)
    elif t == 1:
        kind = u8(); idx = u32(); rot = u8()
        if rot == 1: rotated.add((kind, idx))
    elif t == 2: u32()
    elif t in (3,4): expr(); expr()
    elif t == 5: expr()
    elif t == 6: p_add(32); expr()
    elif t == 7: pass
    else: raise Exception('tag %d' % t)
def p_add(n):
    global p; p += n
G = u32(); gsize = collections.Counter(); ncons = 0
for _ in range(G):
    g0 = p; nm = lp(); u32(); t = u32(); ncons += t
    for _ in range(t): expr()
    key = nm.decode().split('.')[0]
    gsize[key] += p - g0
mark('circuit: gates', s); s = p
L = u32()
for _ in range(L):
    lp(); u32(); w = u32()
    for _ in range(w): expr()
    for _ in range(w): u32()
    if u8(): u32()
mark('circuit: lookups', s); s = p
P = u32()
for _ in range(P): u8(); u32()
mark('circuit: permutation', s); s = p
nF = u32(); p += 32*nF; mark('fixed commitments', s); s = p
nP = u32(); p += 32*nP; mark('perm commitments', s); s = p
m = u32(); meta = []
for _ in range(m):
    a = p; kk = lp(); v = lp(); meta.append((kk.decode(), p - a))
mark('metadata', s); s = p
terms_by_kind = collections.Counter(); B = T = ell = 0; dims = collections.Counter()
if p < len(body):
    tag = u8()
    if tag == 2: u32()
    u32(); u32(); u64(); u64(); u64(); u64(); ell = u32() + u32()
    mark('relation: header', s); s = p
    B = u32(); p += 8*B; mark('relation: block sizes', s); s = p
    T = u32()
    for _ in range(T):
        u64(); u64(); D = u32(); dims[D] += 1; p += 24*D
        kk = u8(); terms_by_kind[kk] += 1
        if kk == 0: u32()
        elif kk == 1: u64(); u64()
        else: u64(); u64(); u64()
    mark('relation: terms', s); s = p
    p += 32*B; mark('relation: block commitments', s)
assert p == len(body), (p, len(body))
print(f"file {len(d)} B; body {blen}; k={k} A={A} I={I} F={F} R={R} G={G} ({ncons} constraints) L={L} P={P}; blocks {B}, terms {T} {dict(terms_by_kind)} dims {dict(sorted(dims.items()))}")
for n, v in sec.items(): print(f"  {n:32s} {v:8,d}")
print("  gates by name prefix (top):", gsize.most_common(12))
print("  metadata:", sorted(meta, key=lambda x:-x[1])[:6])

Aplus = len([1 for (k,i) in rotated if k == 0]); Fplus = len([1 for (k,i) in rotated if k == 2])
print(f"  body parts: advice commitments+evals 2A={2*A} ({64*A} B), advice at wz A+={Aplus} ({32*Aplus} B), fixed evals F={F} F+={Fplus} ({32*(F+Fplus)} B), lookups 5L ({160*L} B), gemini {32*(3*ell+3) if B else 0}")
