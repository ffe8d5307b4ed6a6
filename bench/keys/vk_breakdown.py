"""Byte breakdown of a verifying key (docs/proof-format.md §3) and of the proof body it implies (§4):
which section of the key each byte belongs to (SRS, circuit columns, gates, lookups, fixed commitments,
metadata, and the committed relation's block sizes, terms and block commitments), the term kinds and box
dimensions, and the proof body's parts (advice commitments and evaluations, lookups, the Gemini opening).
Reads key format 3 (varints, small constants) and format 2 (fixed-width fields).

    python3 bench/keys/vk_breakdown.py out/vk.bin
"""
import struct, sys, collections
d = open(sys.argv[1],'rb').read()
assert d[:8] == b'ZKIVKEY\0'
version = struct.unpack_from('<I', d, 8)[0]
assert version in (2, 3), version
V3 = version == 3
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
def var():
    global p
    v = s = 0
    while True:
        b = body[p]; p += 1; v |= (b & 0x7f) << s; s += 7
        if b < 0x80: return v
def zz():
    v = var(); return (v >> 1) ^ -(v & 1)
def lp():
    global p; n = u64(); v = body[p:p+n]; p += n; return v
def sp():
    global p; n = var() if V3 else u64(); v = body[p:p+n]; p += n; return v
cnt = var if V3 else u32      # counts and indices of the circuit and relation sections
big = var if V3 else u64      # the relation's offsets, strides and sizes
def mark(name, start): sec[name] = sec.get(name, 0) + p - start
s = p; lp(); lp(); mark('header', s)
s = p; p += 32 + 64 + 64 + 32; u32(); lp(); mark('srs', s)
s = p
k = cnt()
A = cnt(); names = []
for _ in range(A): names.append(sp()); cnt()
I = cnt()
for _ in range(I): sp(); cnt(); cnt()
F = cnt(); fnames=[]
for _ in range(F): fnames.append(sp())
R = cnt()
for _ in range(R): sp(); cnt()
mark('circuit: columns', s); s = p
C = cnt()
for _ in range(C):
    sp(); S = cnt()
    for _ in range(S):
        cnt(); cnt(); src = u8()
        pw = cnt(); outs = cnt(); st = u8()
        if st == 0: p += 8*pw*outs
        else:
            n = cnt()
            for _ in range(n): cnt(); cnt(); p += 8
        if src == 1: cnt(); cnt()
mark('circuit: challenge cols', s); s = p
def p_add(n):
    global p; p += n
def expr():
    t = u8()
    if t == 0: p_add(32)
    elif t == 1:
        if V3:
            packed = u8(); idx = var(); kind, rot = packed >> 1, packed & 1
        else:
            kind = u8(); idx = u32(); rot = u8()
        if rot == 1: rotated.add((kind, idx))
    elif t == 2: cnt()
    elif t in (3,4): expr(); expr()
    elif t == 5: expr()
    elif t == 6: p_add(32); expr()
    elif t == 7: pass
    elif t == 8 and V3: zz()
    elif t == 9 and V3: zz(); expr()
    else: raise Exception('tag %d' % t)
G = cnt(); gsize = collections.Counter(); ncons = 0
for _ in range(G):
    g0 = p; nm = sp(); cnt(); t = cnt(); ncons += t
    for _ in range(t): expr()
    key = nm.decode().split('.')[0]
    gsize[key] += p - g0
mark('circuit: gates', s); s = p
L = cnt()
for _ in range(L):
    sp(); cnt(); w = cnt()
    for _ in range(w): expr()
    for _ in range(w): cnt()
    if u8(): cnt()
mark('circuit: lookups', s); s = p
P = cnt()
for _ in range(P): u8(); cnt()
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
    if tag == 2: cnt()
    cnt(); cnt(); big(); big(); big(); big(); ell = cnt() + cnt()
    mark('relation: header', s); s = p
    B = cnt()
    for _ in range(B): cnt(); cnt()
    mark('relation: block sizes', s); s = p
    T = cnt()
    for _ in range(T):
        if V3:
            h = u8(); kk, D = h >> 4, h & 15
            var(); var()
            for _ in range(D): var(); var(); var()
            if kk == 0: zz()
            elif kk == 1: var(); zz()
            else: var(); var(); zz()
        else:
            u64(); u64(); D = u32(); p += 24*D
            kk = u8()
            if kk == 0: u32()
            elif kk == 1: u64(); u64()
            else: u64(); u64(); u64()
        dims[D] += 1; terms_by_kind[kk] += 1
    mark('relation: terms', s); s = p
    p += 32*B; mark('relation: block commitments', s)
assert p == len(body), (p, len(body))
print(f"file {len(d)} B (format {version}); body {blen}; k={k} A={A} I={I} F={F} R={R} G={G} ({ncons} constraints) L={L} P={P}; blocks {B}, terms {T} {dict(terms_by_kind)} dims {dict(sorted(dims.items()))}")
for n, v in sec.items(): print(f"  {n:32s} {v:8,d}")
print("  gates by name prefix (top):", gsize.most_common(12))
print("  metadata:", sorted(meta, key=lambda x:-x[1])[:6])

Aplus = len([1 for (k,i) in rotated if k == 0]); Fplus = len([1 for (k,i) in rotated if k == 2])
print(f"  body parts: advice commitments+evals 2A={2*A} ({64*A} B), advice at wz A+={Aplus} ({32*Aplus} B), fixed evals F={F} F+={Fplus} ({32*(F+Fplus)} B), lookups ≤ 5L ({160*L} B: proof format 2; format 3 batches them into 2M + 3S, M tables and S running sums, protocol §9), gemini {32*(3*ell+3) if B else 0}")
