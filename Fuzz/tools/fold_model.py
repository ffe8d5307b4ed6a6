"""Writes a tiny ONNX model (opset 13) whose constant subgraph uses every folded operator: Constant,
ConstantOfShape, Range, Unsqueeze, Mul, Neg, Cast, Transpose, Slice, Gather, Concat, Reshape, Shape — a seed
from which the onnx fuzz target reaches constant folding (Fuzz/make-seeds.sh). Plain protobuf, no packages.

Usage: python3 Fuzz/tools/fold_model.py OUT.onnx
"""
import struct, sys
def varint(v):
    out = b""
    v &= (1 << 64) - 1
    while v >= 0x80:
        out += bytes([(v & 0x7F) | 0x80]); v >>= 7
    return out + bytes([v])
def key(f, w): return varint(f << 3 | w)
def vint(f, v): return key(f, 0) + varint(v)
def ld(f, payload): return key(f, 2) + varint(len(payload)) + payload
def s(f, text): return ld(f, text.encode())
def f32(f, v): return key(f, 5) + struct.pack("<f", v)
def tensor(dtype, dims, ints=None, floats=None):
    t = b"".join(vint(1, d) for d in dims) + vint(2, dtype)
    if floats is not None: t += ld(4, b"".join(struct.pack("<f", x) for x in floats))
    if ints is not None: t += ld(7, b"".join(varint(x) for x in ints))
    return t
def attr_ints(name, values): return ld(5, s(1, name) + vint(20, 7) + ld(8, b"".join(varint(v) for v in values)))
def attr_int(name, v): return ld(5, s(1, name) + vint(20, 2) + vint(3, v))
def attr_float(name, v): return ld(5, s(1, name) + vint(20, 1) + f32(2, v))
def attr_tensor(name, t): return ld(5, s(1, name) + vint(20, 4) + ld(5, t))
def node(op, inputs, outputs, *attrs, name=None):
    n = b"".join(s(1, i) for i in inputs) + b"".join(s(2, o) for o in outputs)
    n += s(3, name or outputs[0]) + s(4, op) + b"".join(attrs)
    return ld(1, n)
def value_info(name, dims):
    shape = b"".join(ld(1, vint(1, d)) for d in dims)
    return s(1, name) + ld(2, ld(1, vint(1, 1) + ld(2, shape)))
def const_ints(out, values): return node("Constant", [], [out], attr_tensor("value", tensor(7, [len(values)], ints=values)))
def const_float(out, v): return node("Constant", [], [out], attr_float("value_float", v))
nodes = [
    const_ints("shp", [1, 4]),
    node("ConstantOfShape", ["shp"], ["k"], attr_tensor("value", tensor(1, [1], floats=[0.5]))),
    const_float("s0", 0.0), const_float("s1", 4.0), const_float("s2", 1.0),
    node("Range", ["s0", "s1", "s2"], ["r"]),
    const_ints("ax0", [0]),
    node("Unsqueeze", ["r", "ax0"], ["ru"]),
    node("Mul", ["k", "ru"], ["m"]),
    node("Neg", ["m"], ["n"]),
    node("Cast", ["n"], ["c"], attr_int("to", 1)),
    node("Transpose", ["c"], ["t"], attr_ints("perm", [0, 1])),
    const_ints("st", [0]), const_ints("en", [4]), const_ints("ax1", [1]),
    node("Slice", ["t", "st", "en", "ax1"], ["sl"]),
    const_ints("idx", [0]),
    node("Gather", ["sl", "idx"], ["g"], attr_int("axis", 0)),
    node("Concat", ["g", "g"], ["cc"], attr_int("axis", 0)),
    const_ints("flat", [-1]),
    node("Reshape", ["cc", "flat"], ["rs"]),
    node("Slice", ["rs", "st", "en"], ["s4"]),
    node("Shape", ["x"], ["sh"]),
    node("ConstantOfShape", ["sh"], ["z"]),
    node("Add", ["x", "s4"], ["y"]),
    node("Add", ["y", "z"], ["y2"]),
    node("Relu", ["y2"], ["out"]),
]
graph = b"".join(nodes) + s(2, "folds") + ld(11, value_info("x", [1, 4])) + ld(12, value_info("out", [1, 4]))
model = vint(1, 8) + ld(8, s(1, "") + vint(2, 13)) + ld(7, graph)
open(sys.argv[1], "wb").write(model)
