"""Generates the ONNX operator-coverage vectors for the model tests.

Writes small ONNX models built with onnx.helper (every supported operator, constant-folding patterns,
BatchNormalization folding) together with a random input and onnxruntime's float32 outputs, plus a few
deliberately unsupported or malformed models. Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_ops.py

Outputs go to Tests/DirectInferenceTests/Vectors/ (committed; regenerate only on purpose).
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors")
rng = np.random.default_rng(20260101)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def rand(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def save(name, graph, inputs, opset=13, run=True):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_onnx_ops")
    model.ir_version = 8
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    if not run:
        return
    # onnxruntime validates the model when it loads it (the checker insists on declared output shapes).
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {k: v for k, v in inputs.items()}
    outputs = session.run(None, feeds)
    with open(os.path.join(OUT, name + ".input.json"), "w") as f:
        json.dump({"input_data": [v.flatten().astype(float).tolist() for v in inputs.values()]}, f)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump({"output_data": [o.flatten().astype(float).tolist() for o in outputs],
                   "output_shapes": [list(o.shape) for o in outputs],
                   "producer": "onnxruntime %s CPUExecutionProvider, float32" % ort.__version__}, f)


def conv_net():
    # Conv (pads, stride, dilation) → BatchNorm (folded) → Relu → MaxPool (padded) → Conv (SAME_UPPER)
    # → AveragePool (padded, count_include_pad 0) → GlobalAveragePool → Flatten → Gemm (transB, alpha, beta)
    # → Softmax.
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 2, 1, 0], strides=[1, 2], dilations=[2, 1]),
        helper.make_node("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["n1"], name="bn1", epsilon=1e-3),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], pads=[1, 1, 0, 0], strides=[1, 1]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], name="conv2", auto_pad="SAME_UPPER", kernel_shape=[3, 3]),
        helper.make_node("AveragePool", ["c2"], ["a2"], name="avg2", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["a2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "wg", "bg"], ["logits"], name="fc", transB=1, alpha=0.7, beta=1.5),
        helper.make_node("Softmax", ["logits"], ["y"], name="softmax"),
    ]
    inits = [
        init("w1", rand(4, 2, 3, 3)), init("b1", rand(4)),
        init("bn_s", rand(4) + 1), init("bn_b", rand(4)), init("bn_m", rand(4) * 0.1), init("bn_v", np.abs(rand(4)) + 0.5),
        init("w2", rand(3, 4, 3, 3)), init("wg", rand(5, 3)), init("bg", rand(5)),
    ]
    graph = helper.make_graph(nodes, "conv_net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 9, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save("conv_net", graph, {"x": rand(1, 2, 9, 8, scale=1.0)})


def elementwise_net():
    # MatMul + Add (bias) → LeakyRelu, Sigmoid, Tanh, Clip branches; Mul/Div by constants; Sub; Sum;
    # Concat; Transpose; Reshape whose shape comes from Shape/Gather/Unsqueeze/Concat (folded);
    # Identity and Dropout removed; Mul of two activations.
    nodes = [
        helper.make_node("MatMul", ["x", "wm"], ["m"], name="matmul"),
        helper.make_node("Add", ["m", "bm"], ["h"], name="bias"),
        helper.make_node("LeakyRelu", ["h"], ["l"], name="leaky", alpha=0.1),
        helper.make_node("Sigmoid", ["h"], ["s"], name="sigmoid"),
        helper.make_node("Tanh", ["h"], ["t"], name="tanh"),
        helper.make_node("Clip", ["h", "lo", "hi"], ["c"], name="clip"),
        helper.make_node("Mul", ["l", "k3"], ["l3"], name="mul_const"),
        helper.make_node("Div", ["t", "k4"], ["t4"], name="div_const"),
        helper.make_node("Sub", ["l3", "s"], ["d"], name="sub"),
        helper.make_node("Sum", ["d", "t4", "c"], ["sm"], name="sum"),
        helper.make_node("Mul", ["sm", "s"], ["sq"], name="mul_act"),
        helper.make_node("Identity", ["sq"], ["sq_id"], name="identity"),
        helper.make_node("Dropout", ["sq_id"], ["sq_d"], name="dropout"),
        helper.make_node("Concat", ["sq_d", "h"], ["cat"], name="concat", axis=1),
        helper.make_node("Shape", ["cat"], ["shp"], name="shape"),
        helper.make_node("Gather", ["shp", "zero"], ["n0"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["n0", "axes0"], ["n0u"], name="unsqueeze"),
        helper.make_node("Concat", ["n0u", "dims"], ["newshape"], name="shape_concat", axis=0),
        helper.make_node("Reshape", ["cat", "newshape"], ["r"], name="reshape"),
        helper.make_node("Transpose", ["r"], ["tr"], name="transpose", perm=[0, 2, 1]),
        helper.make_node("Flatten", ["tr"], ["fl"], name="flatten"),
        helper.make_node("Add", ["fl", "offset"], ["y"], name="add_const"),
    ]
    inits = [
        init("wm", rand(6, 8)), init("bm", rand(8)), init("lo", np.float32(-0.3)), init("hi", np.float32(0.4)),
        init("k3", rand(8) * 3), init("k4", np.float32(-2.5)), init("zero", np.int64(0)), init("axes0", np.array([0], np.int64)),
        init("dims", np.array([4, 4], np.int64)), init("offset", rand(1, 16)),
    ]
    graph = helper.make_graph(nodes, "elementwise_net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save("elementwise_net", graph, {"x": rand(1, 6, scale=1.5)})


def affine_net():
    # BatchNormalization with nothing to fold into (a channel-affine node), Squeeze/Unsqueeze as
    # reshapes, opset 11 Clip without max, Softmax at opset 11 on a 2-D tensor, two inputs.
    nodes = [
        helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["n"], name="bn"),
        helper.make_node("Squeeze", ["n"], ["q"], name="squeeze", axes=[0]),
        helper.make_node("Unsqueeze", ["q"], ["u"], name="unsqueeze", axes=[0]),
        helper.make_node("Flatten", ["u"], ["f"], name="flatten"),
        helper.make_node("Add", ["f", "z"], ["fz"], name="add_inputs"),
        helper.make_node("Clip", ["fz", "lo"], ["c"], name="clip_low"),
        helper.make_node("Softmax", ["c"], ["y"], name="softmax", axis=1),
    ]
    inits = [init("s", rand(3) + 1), init("b", rand(3)), init("m", rand(3)), init("v", np.abs(rand(3)) + 0.2),
             init("lo", np.float32(-0.5))]
    graph = helper.make_graph(nodes, "affine_net",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 2, 2]),
                               helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 12])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save("affine_net", graph, {"x": rand(1, 3, 2, 2, scale=1.0), "z": rand(1, 12)}, opset=11)


def pool_net():
    # Conv → Relu → MaxPool (2×2, stride 2, padded top/left so border windows hold fewer elements) → Flatten
    # → Gemm: the MaxPool gadget end to end (the other MaxPool model ends in a Softmax).
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], pads=[1, 1, 0, 0], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "wg", "bg"], ["y"], name="fc", transB=1),
    ]
    inits = [init("w1", rand(3, 2, 3, 3)), init("b1", rand(3)), init("wg", rand(4, 27)), init("bg", rand(4))]
    graph = helper.make_graph(nodes, "pool_net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 5, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save("pool_net", graph, {"x": rand(1, 2, 5, 5, scale=1.0)})


def softmax_net():
    # Gemm → Reshape to two rows → Softmax over the last axis: the Softmax gadget end to end (rows of 4, so the
    # row equations Σb = 1 and S = Σe span several lanes).
    nodes = [
        helper.make_node("Gemm", ["x", "wg", "bg"], ["logits"], name="fc", transB=1),
        helper.make_node("Reshape", ["logits", "shape"], ["rows"], name="rows"),
        helper.make_node("Softmax", ["rows"], ["y"], name="softmax", axis=-1),
    ]
    inits = [init("wg", rand(8, 6, scale=1.0)), init("bg", rand(8)), init("shape", np.array([2, 4], np.int64))]
    graph = helper.make_graph(nodes, "softmax_net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    save("softmax_net", graph, {"x": rand(1, 6, scale=1.5)})


def unsupported_net():
    # Three unsupported nodes (Erf, Pad, a com.microsoft op) among supported ones: one error lists all.
    nodes = [
        helper.make_node("Gemm", ["x", "w"], ["g"], name="fc"),
        helper.make_node("Erf", ["g"], ["e"], name="gelu_erf"),
        helper.make_node("Pad", ["e", "pads"], ["p"], name="pad"),
        helper.make_node("FusedGemm", ["p", "w2"], ["y"], name="fused", domain="com.microsoft"),
    ]
    graph = helper.make_graph(nodes, "unsupported_net", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [init("w", rand(4, 4)), init("pads", np.array([0, 1, 0, 1], np.int64)), init("w2", rand(6, 2))])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, "unsupported_net.onnx"))


def dynamic_batch():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    graph = helper.make_graph(nodes, "dynamic", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    save("dynamic_batch", graph, {}, run=False)


def external_data():
    weight = init("w", rand(4, 4))
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    entry = weight.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    nodes = [helper.make_node("Gemm", ["x", "w"], ["y"], name="fc")]
    graph = helper.make_graph(nodes, "external", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    with open(os.path.join(OUT, "external_data.onnx"), "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    conv_net()
    elementwise_net()
    affine_net()
    unsupported_net()
    dynamic_batch()
    external_data()
    pool_net()  # after the others, so the seeded draws of the models above are unchanged
    softmax_net()
    print("wrote", sorted(os.listdir(OUT)))
