#!/usr/bin/env bash
# Regenerates the committed seed corpora (Fuzz/corpus/<target>/) and the proof target's key
# (Fuzz/fixtures/mlp_tiny.vk) with this checkout's zkinfer: run it after any change to the key, proof,
# circuit or SRS formats (old seeds would then only exercise the "wrong version" path).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -n "${SKIP_BUILD:-}" ] || swift build -c release   # SKIP_BUILD=1: use the binaries already built
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d "${TMPDIR:-/tmp}/zkinfer-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
corpus=Fuzz/corpus
rm -rf "$corpus" Fuzz/fixtures
mkdir -p "$corpus"/{onnx,proof,vk,srs,srs_halo2,srs_ptau,circuit,input_json,settings_json} Fuzz/fixtures

# The demo's pipeline on mlp_tiny (2^8 rows), with a small development SRS.
"$bin/zkinfer" compile circuits/mlp_tiny/model.onnx -o "$work/circuit.zkc" >/dev/null
"$bin/zkinfer" params dev --log2 8 --out "$work/dev-k8.srs" >/dev/null 2>&1
"$bin/zkinfer" setup "$work/circuit.zkc" --params "$work/dev-k8.srs" -o "$work" >/dev/null 2>&1
"$bin/zkinfer" prove "$work/circuit.zkc" --pk "$work/pk.bin" circuits/mlp_tiny/input.json -o "$work/proof.bin" >/dev/null 2>&1
# The private-input variant: another key and proof shape.
"$bin/zkinfer" compile circuits/mlp_tiny/model.onnx --private-input -o "$work/private.zkc" >/dev/null
"$bin/zkinfer" setup "$work/private.zkc" --params "$work/dev-k8.srs" -o "$work/private" >/dev/null 2>&1

cp "$work/vk.bin" Fuzz/fixtures/mlp_tiny.vk
cp "$work/proof.bin" "$corpus/proof/mlp_tiny.proof"
cp "$work/circuit.zkc" "$corpus/circuit/mlp_tiny.zkc"
cp "$work/private.zkc" "$corpus/circuit/mlp_tiny_private.zkc"

# Verifying keys: mode byte 0 = a whole key file, 1 = a key body (the target frames it, docs in vk.swift).
python3 - "$work" "$corpus/vk" <<'EOF'
import struct, sys
work, out = sys.argv[1], sys.argv[2]
for name, path in [("mlp_tiny", f"{work}/vk.bin"), ("mlp_tiny_private", f"{work}/private/vk.bin"),
                   ("golden", "Tests/PlonkTests/Fixtures/golden-v3.vk")]:
    data = open(path, "rb").read()
    (length,) = struct.unpack_from("<Q", data, 12)
    open(f"{out}/{name}.file", "wb").write(b"\x00" + data)
    open(f"{out}/{name}.body", "wb").write(b"\x01" + data[20:20 + length])
EOF

# SRS files: the smallest development SRS files, and the KZG test fixtures for the importers.
for k in 0 2 3; do "$bin/zkinfer" params dev --log2 $k --out "$corpus/srs/dev-k$k.srs" >/dev/null 2>&1; done
# The importers' seeds are the same development powers rewritten in the foreign layouts of docs/encodings.md
# (coordinates in Montgomery form): a halo2 file of 2^1 points and a .ptau of power 1 — a few hundred bytes,
# so each execution is fast; the KZG tests' ezkl-k8.srs and selfmade-power4.ptau are the full-size checks.
"$bin/zkinfer" params dev --log2 1 --out "$work/dev-k1.srs" >/dev/null 2>&1
python3 - "$work/dev-k1.srs" "$corpus/srs/dev-k2.srs" "$corpus" <<'EOF2'
import struct, sys
q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
R = pow(2, 256, q)
def read(path):
    d = open(path, "rb").read()
    k, length = struct.unpack_from("<I", d, 16)[0], struct.unpack_from("<I", d, 44)[0]
    body, n = d[80 + length:], 1 << k
    point = lambda size, i: body[size * i:size * (i + 1)]
    return (k, [point(64, i) for i in range(n)], [point(64, n + i) for i in range(n)],
            [body[128 * n + 128 * i:128 * n + 128 * (i + 1)] for i in range(2)])
mont = lambda b: (int.from_bytes(b, "little") * R % q).to_bytes(32, "little")
g1 = lambda p: mont(p[:32]) + mont(p[32:])
g2 = lambda p: b"".join(mont(p[32 * i:32 * i + 32]) for i in range(4))
# halo2, k = 1: for n = 2 both roots of unity are -1, so halo2's Lagrange order is ours.
k, powers, lagrange, g2s = read(sys.argv[1])
open(f"{sys.argv[3]}/srs_halo2/dev-k1.halo2", "wb").write(
    struct.pack("<I", k) + b"".join(map(g1, powers)) + b"".join(map(g1, lagrange)) + b"".join(map(g2, g2s)))
# ptau, power 1: tauG1 needs 2*2 - 1 = 3 powers (from the 2^2 file), tauG2 the 2 points [1]2, [tau]2.
k, powers, _, g2s = read(sys.argv[2])
section = lambda kind, data: struct.pack("<IQ", kind, len(data)) + data
header = struct.pack("<I", 32) + q.to_bytes(32, "little") + struct.pack("<II", 1, 1)
sections = [section(1, header), section(2, b"".join(map(g1, powers[:3]))), section(3, b"".join(map(g2, g2s)))]
open(f"{sys.argv[3]}/srs_ptau/dev-power1.ptau", "wb").write(b"ptau" + struct.pack("<II", 1, 3) + b"".join(sections))
EOF2

# Models and inputs.
cp circuits/mlp_tiny/model.onnx "$corpus/onnx/mlp_tiny.onnx"
cp circuits/cnn_small/model.onnx "$corpus/onnx/cnn_small.onnx"
python3 Fuzz/tools/fold_model.py "$corpus/onnx/folds.onnx"
"$bin/zkinfer" compile "$corpus/onnx/folds.onnx" -o "$corpus/circuit/folds.zkc" >/dev/null
cp circuits/mlp_tiny/input.json "$corpus/input_json/ezkl_style.json"
python3 - "$corpus/input_json" <<'EOF'
import json, sys
out = sys.argv[1]
x = json.load(open("circuits/mlp_tiny/input.json"))["input_data"][0]
json.dump({"input": [[v for v in x[:8]], x[8:]]}, open(f"{out}/named_nested.json", "w"))
json.dump([{"input_data": [x]}, {"input_data": [[-v for v in x]]}], open(f"{out}/two_samples.json", "w"))
json.dump({"input_data": [[{"value": int(v * 10000), "decimals": 4} for v in x]]}, open(f"{out}/decimal.json", "w"))
EOF
"$bin/zkinfer" calibrate circuits/mlp_tiny/model.onnx --data circuits/mlp_tiny/input.json -o "$corpus/settings_json/calibrated.json" >/dev/null
printf '{"version": 2, "activationScale": 16, "parameterScale": 16, "activationBits": 32, "tableScale": 4, "tableBits": 8}\n' \
    >"$corpus/settings_json/default.json"
du -sh Fuzz/corpus Fuzz/fixtures
