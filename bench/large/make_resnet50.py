"""Writes a ResNet-50-shaped ONNX model (random weights, the architecture of He et al. 2016: 7×7 stem,
bottleneck stages [3, 4, 6, 3], BatchNormalization, residual Add, MaxPool, GlobalAveragePool, Gemm 2048→1000;
~25.6M parameters, ~100 MB) for timing `zkinfer stats` on a large model. The file is generated, not
committed. Usage: python3 bench/large/make_resnet50.py OUT.onnx
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from venv_bootstrap import ensure_venv  # noqa: E402

ensure_venv()

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

rng = np.random.default_rng(50)
nodes, inits = [], []
counter = [0]


def name(prefix):
    counter[0] += 1
    return f"{prefix}{counter[0]}"


def tensor(shape, scale):
    n = name("w")
    inits.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), n))
    return n


def conv_bn(x, cin, cout, k, stride, relu):
    w = tensor((cout, cin, k, k), (2.0 / (cin * k * k)) ** 0.5)
    y = name("conv")
    nodes.append(helper.make_node("Conv", [x, w], [y], kernel_shape=[k, k], strides=[stride, stride],
                                  pads=[k // 2] * 4))
    bn = name("bn")
    params = [tensor((cout,), 0.05) for _ in range(3)]
    var = name("var")
    inits.append(numpy_helper.from_array(np.ones(cout, dtype=np.float32), var))
    nodes.append(helper.make_node("BatchNormalization", [y] + params + [var], [bn]))
    if not relu:
        return bn
    r = name("relu")
    nodes.append(helper.make_node("Relu", [bn], [r]))
    return r


def bottleneck(x, cin, width, stride):
    cout = width * 4
    a = conv_bn(x, cin, width, 1, 1, True)
    b = conv_bn(a, width, width, 3, stride, True)
    c = conv_bn(b, width, cout, 1, 1, False)
    shortcut = x if (stride == 1 and cin == cout) else conv_bn(x, cin, cout, 1, stride, False)
    s = name("add")
    nodes.append(helper.make_node("Add", [c, shortcut], [s]))
    r = name("relu")
    nodes.append(helper.make_node("Relu", [s], [r]))
    return r, cout


x = conv_bn("input", 3, 64, 7, 2, True)
pool = name("pool")
nodes.append(helper.make_node("MaxPool", [x], [pool], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
x, channels = pool, 64
for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
    for i in range(blocks):
        x, channels = bottleneck(x, channels, width, stride if i == 0 else 1)
gap = name("gap")
nodes.append(helper.make_node("GlobalAveragePool", [x], [gap]))
flat = name("flat")
nodes.append(helper.make_node("Flatten", [gap], [flat]))
w = tensor((1000, 2048), (1.0 / 2048) ** 0.5)
b = tensor((1000,), 0.01)
nodes.append(helper.make_node("Gemm", [flat, w, b], ["output"], transB=1))

graph = helper.make_graph(
    nodes, "resnet50_shape",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 224, 224])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1000])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, sys.argv[1])
params = sum(int(np.prod(t.dims)) for t in inits)
print(f"wrote {sys.argv[1]}: {len(nodes)} nodes, {params} parameters")
