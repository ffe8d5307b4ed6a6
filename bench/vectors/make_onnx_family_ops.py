"""Generates per-operator known-answer vectors for the operator families (conv family, pooling, padding and
resizing, elementwise, batches, embeddings): small ONNX models built with onnx.helper, a seeded input, and
onnxruntime's float32 outputs. Run from the repository root:

    bench/.venv/bin/python bench/vectors/make_onnx_family_ops.py

Writes Tests/DirectInferenceTests/Vectors/ops/<case>.{onnx,input.json,expected.json} and manifest.json (the
list the Swift tests iterate; "circuit": whether `zkinfer compile` is expected to accept the model).
Committed; regenerate only on purpose (the seed makes reruns identical).
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("Tests", "DirectInferenceTests", "Vectors", "ops")
rng = np.random.default_rng(20261204)
manifest = []


def rand(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def case(name, nodes, inputs, inits=(), opset=13, circuit=True, outputs=("y",), relu=False):
    """inputs: {name: array}; graph inputs in that order. relu: append a Relu to the single output (a model of data
    movement alone computes nothing to prove)."""
    if relu:
        nodes = [helper.make_node(n.op_type, n.input, ["moved" if o == "y" else o for o in n.output], name=n.name,
                                  **{a.name: helper.get_attribute_value(a) for a in n.attribute}) for n in nodes]
        nodes.append(helper.make_node("Relu", ["moved"], ["y"], name="relu"))
    graph_inputs = []
    for key, value in inputs.items():
        kind = TensorProto.INT64 if value.dtype == np.int64 else TensorProto.FLOAT
        graph_inputs.append(helper.make_tensor_value_info(key, kind, list(value.shape)))
    graph = helper.make_graph(nodes, name, graph_inputs,
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_onnx_family_ops")
    model.ir_version = 8
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    results = session.run(None, dict(inputs))
    with open(os.path.join(OUT, name + ".input.json"), "w") as f:
        json.dump({"input_data": [v.flatten().tolist() for v in inputs.values()]}, f)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump({"output_data": [r.flatten().astype(float).tolist() for r in results],
                   "output_shapes": [list(r.shape) for r in results],
                   "producer": "onnxruntime %s CPUExecutionProvider, float32" % ort.__version__}, f)
    manifest.append({"name": name, "circuit": circuit})


def node(op, inputs, outputs=("y",), name=None, **attrs):
    return helper.make_node(op, list(inputs), list(outputs), name=name or op.lower(), **attrs)


def conv_family():
    case("conv1d_strided", [node("Conv", ["x", "w", "b"], pads=[1, 2], strides=[2])],
         {"x": rand(1, 3, 10)}, [init("w", rand(4, 3, 3, scale=0.5)), init("b", rand(4))])
    case("conv1d_dilated", [node("Conv", ["x", "w"], pads=[3, 2], dilations=[2])],
         {"x": rand(1, 2, 9)}, [init("w", rand(3, 2, 4, scale=0.5))])
    case("conv1d_same_upper_strided", [node("Conv", ["x", "w"], auto_pad="SAME_UPPER", strides=[3])],
         {"x": rand(1, 2, 10)}, [init("w", rand(3, 2, 4, scale=0.5))])
    case("conv2d_grouped", [node("Conv", ["x", "w", "b"], group=2, pads=[1, 1, 1, 1])],
         {"x": rand(1, 4, 6, 6)}, [init("w", rand(6, 2, 3, 3, scale=0.5)), init("b", rand(6))])
    case("conv2d_depthwise_same_lower", [node("Conv", ["x", "w", "b"], group=3, strides=[2, 2], auto_pad="SAME_LOWER")],
         {"x": rand(1, 3, 7, 8)}, [init("w", rand(3, 1, 3, 3, scale=0.5)), init("b", rand(3))])
    case("conv2d_valid_dilated", [node("Conv", ["x", "w"], auto_pad="VALID", dilations=[2, 1], strides=[1, 2])],
         {"x": rand(1, 2, 8, 7)}, [init("w", rand(3, 2, 3, 2, scale=0.5))])
    case("conv2d_same_upper_strided", [node("Conv", ["x", "w"], auto_pad="SAME_UPPER", strides=[2, 2])],
         {"x": rand(1, 2, 7, 8)}, [init("w", rand(2, 2, 3, 3, scale=0.5))])
    case("conv1d_depthwise_batch2", [node("Conv", ["x", "w", "b"], group=4, pads=[1, 1])],
         {"x": rand(2, 4, 6)}, [init("w", rand(8, 1, 3, scale=0.5)), init("b", rand(8))])
    case("convtranspose2d_strided", [node("ConvTranspose", ["x", "w", "b"], strides=[2, 2], pads=[1, 1, 1, 1],
                                          output_padding=[1, 1])],
         {"x": rand(1, 2, 4, 4)}, [init("w", rand(2, 3, 3, 3, scale=0.5)), init("b", rand(3))])
    case("convtranspose2d_grouped_dilated", [node("ConvTranspose", ["x", "w"], group=2, dilations=[2, 2], pads=[0, 1, 1, 0])],
         {"x": rand(1, 4, 3, 3)}, [init("w", rand(4, 1, 3, 3, scale=0.5))])
    case("convtranspose1d", [node("ConvTranspose", ["x", "w", "b"], strides=[3], pads=[1, 2])],
         {"x": rand(1, 3, 5)}, [init("w", rand(3, 2, 4, scale=0.5)), init("b", rand(2))])
    case("convtranspose2d_output_shape", [node("ConvTranspose", ["x", "w"], strides=[2, 2], output_shape=[8, 8])],
         {"x": rand(1, 2, 4, 4)}, [init("w", rand(2, 2, 3, 3, scale=0.5))])
    case("convtranspose2d_same_upper", [node("ConvTranspose", ["x", "w"], strides=[2, 2], auto_pad="SAME_UPPER")],
         {"x": rand(1, 2, 3, 4)}, [init("w", rand(2, 2, 3, 3, scale=0.5))])
    case("convtranspose2d_same_lower", [node("ConvTranspose", ["x", "w"], strides=[2, 2], auto_pad="SAME_LOWER")],
         {"x": rand(1, 2, 3, 4)}, [init("w", rand(2, 2, 3, 3, scale=0.5))])


def pooling():
    case("maxpool1d", [node("MaxPool", ["x"], kernel_shape=[3], strides=[2], pads=[1, 1])], {"x": rand(1, 2, 9)})
    case("maxpool2d_ceil", [node("MaxPool", ["x"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)], {"x": rand(1, 2, 8, 7)})
    case("maxpool2d_dilated", [node("MaxPool", ["x"], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 0, 0, 1])],
         {"x": rand(1, 2, 6, 6)})
    case("avgpool2d_ceil_include_pad", [node("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                                             ceil_mode=1, count_include_pad=1)], {"x": rand(1, 2, 6, 7)})
    case("avgpool1d_exclude_pad", [node("AveragePool", ["x"], kernel_shape=[3], pads=[1, 1])], {"x": rand(1, 3, 7)})
    case("avgpool2d_same_upper", [node("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")],
         {"x": rand(1, 2, 6, 7)})
    case("globalmaxpool", [node("GlobalMaxPool", ["x"])], {"x": rand(1, 3, 4, 5)})
    case("globalmaxpool_small", [node("GlobalMaxPool", ["x"])], {"x": rand(1, 3, 3, 3)})
    case("globalmaxpool1d_batch2", [node("GlobalMaxPool", ["x"])], {"x": rand(2, 3, 7)})


def movement():
    case("pad_constant", [node("Pad", ["x", "pads", "value"])], {"x": rand(1, 2, 3, 4)},
         [init("pads", np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)), init("value", np.float32(0.5))], relu=True)
    case("pad_reflect", [node("Pad", ["x", "pads"], mode="reflect")], {"x": rand(1, 2, 4, 5)},
         [init("pads", np.array([0, 0, 2, 1, 0, 0, 1, 3], np.int64))], relu=True)
    case("pad_edge", [node("Pad", ["x", "pads"], mode="edge")], {"x": rand(1, 2, 3, 3)},
         [init("pads", np.array([0, 0, 1, 2, 0, 0, 3, 1], np.int64))], relu=True)
    case("pad_opset10_attributes", [node("Pad", ["x"], mode="constant", pads=[0, 1, 2, 0, 1, 0], value=-0.25)],
         {"x": rand(1, 3, 4)}, opset=10, relu=True)
    case("resize_nearest_half_pixel", [node("Resize", ["x", "", "scales"])], {"x": rand(1, 2, 3, 4)},
         [init("scales", np.array([1, 1, 2, 2], np.float32))], relu=True)
    case("resize_nearest_sizes_asymmetric_floor",
         [node("Resize", ["x", "", "", "sizes"], coordinate_transformation_mode="asymmetric", nearest_mode="floor")],
         {"x": rand(1, 2, 3, 4)}, [init("sizes", np.array([1, 2, 7, 5], np.int64))], relu=True)
    case("resize_nearest_align_corners_ceil",
         [node("Resize", ["x", "", "", "sizes"], coordinate_transformation_mode="align_corners", nearest_mode="round_prefer_ceil")],
         {"x": rand(1, 2, 5, 6)}, [init("sizes", np.array([1, 2, 2, 3], np.int64))], relu=True)
    case("resize_nearest_pytorch_half_pixel", [node("Resize", ["x", "", "scales"], coordinate_transformation_mode="pytorch_half_pixel")],
         {"x": rand(1, 2, 4, 4)}, [init("scales", np.array([1, 1, 0.5, 1.5], np.float32))], relu=True)
    case("resize_nearest_tf_half_pixel", [node("Resize", ["x", "", "scales"], coordinate_transformation_mode="tf_half_pixel_for_nn")],
         {"x": rand(1, 1, 3, 5)}, [init("scales", np.array([1, 1, 3, 0.6], np.float32))], relu=True)
    case("upsample_opset9", [node("Upsample", ["x", "scales"], mode="nearest")], {"x": rand(1, 2, 3, 3)},
         [init("scales", np.array([1, 1, 2, 3], np.float32))], opset=9, relu=True)
    case("resize_opset10", [node("Resize", ["x", "scales"], mode="nearest")], {"x": rand(1, 2, 3, 3)},
         [init("scales", np.array([1, 1, 2, 2], np.float32))], opset=10, relu=True)
    case("slice_activation", [node("Slice", ["x", "starts", "ends", "axes", "steps"])], {"x": rand(1, 3, 8)},
         [init("starts", np.array([0, 1], np.int64)), init("ends", np.array([2, 7], np.int64)),
          init("axes", np.array([1, 2], np.int64)), init("steps", np.array([1, 2], np.int64))], relu=True)
    case("slice_negative_step", [node("Slice", ["x", "starts", "ends", "axes", "steps"])], {"x": rand(1, 2, 6)},
         [init("starts", np.array([-1], np.int64)), init("ends", np.array([-100], np.int64)),
          init("axes", np.array([2], np.int64)), init("steps", np.array([-2], np.int64))], relu=True)
    case("expand_activation", [node("Expand", ["x", "shape"])], {"x": rand(1, 3, 1)},
         [init("shape", np.array([2, 1, 3, 4], np.int64))], relu=True)


def autoencoder():
    # Conv (stride 2) → Relu → depthwise Conv → ConvTranspose (stride 2) → reflect Pad → MaxPool (ceil) →
    # Resize ×2 → AveragePool → GlobalMaxPool: the conv family together, proved end to end.
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="enc", strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu"),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], name="depthwise", group=4, pads=[1, 1, 1, 1]),
        helper.make_node("ConvTranspose", ["c2", "w3", "b3"], ["d"], name="dec", strides=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("Pad", ["d", "pads"], ["p"], name="pad", mode="reflect"),
        helper.make_node("MaxPool", ["p"], ["m"], name="pool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("Resize", ["m", "", "scales"], ["u"], name="up"),
        helper.make_node("AveragePool", ["u"], ["a"], name="avg", kernel_shape=[4, 4], strides=[4, 4]),
        helper.make_node("GlobalMaxPool", ["a"], ["y"], name="gmp"),
    ]
    inits = [init("w1", rand(4, 2, 3, 3, scale=0.4)), init("b1", rand(4, scale=0.2)), init("w2", rand(4, 1, 3, 3, scale=0.4)),
             init("w3", rand(4, 2, 3, 3, scale=0.4)), init("b3", rand(2, scale=0.2)),
             init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 0], np.int64)), init("scales", np.array([1, 1, 2, 2], np.float32))]
    case("conv_family_net", nodes, {"x": rand(1, 2, 6, 6)}, inits)


def elementwise():
    case("max_three_way_broadcast", [node("Max", ["x", "z", "c"])], {"x": rand(2, 3, 4), "z": rand(3, 1)},
         [init("c", rand(4))])
    case("min_two_inputs", [node("Min", ["x", "z"])], {"x": rand(1, 4), "z": rand(1, 4)})
    case("abs", [node("Abs", ["x"])], {"x": rand(2, 5)})
    case("neg_then_relu", [node("Neg", ["x"], ["n"]), node("Relu", ["n"])], {"x": rand(2, 5)})
    case("prelu_per_channel", [node("PRelu", ["x", "slope"])], {"x": rand(1, 3, 2, 4)},
         [init("slope", rand(3, 1, 1, scale=0.3))])
    case("prelu_scalar_slope", [node("PRelu", ["x", "slope"])], {"x": rand(2, 6)}, [init("slope", np.array([0.25], np.float32))])
    case("elu", [node("Elu", ["x"], alpha=0.7)], {"x": rand(3, 8, scale=2.5)})
    case("hardsigmoid", [node("HardSigmoid", ["x"], alpha=0.3, beta=0.4)], {"x": rand(3, 8, scale=3)})
    case("hardswish", [node("HardSwish", ["x"])], {"x": rand(3, 8, scale=4)}, opset=14)
    case("softplus", [node("Softplus", ["x"])], {"x": rand(3, 8, scale=4)})
    case("clip_computed_min", [node("Clip", ["x", "lo", "hi"])], {"x": rand(2, 5), "lo": np.array(-0.2, np.float32)},
         [init("hi", np.float32(0.6))])
    case("clip_constant_tensors", [node("Clip", ["x", "lo", "hi"])], {"x": rand(2, 5)},
         [init("lo", np.array([-0.4], np.float32)), init("hi", np.array(0.3, np.float32))])
    case("div_constant_tensor", [node("Div", ["x", "c"])], {"x": rand(2, 3)}, [init("c", np.array([[2.5], [-0.8]], np.float32))])
    case("add_multidirectional", [node("Add", ["x", "z"])], {"x": rand(3, 1), "z": rand(1, 4)})
    case("gemm_full_c", [node("Gemm", ["x", "w", "c"], beta=0.5)], {"x": rand(3, 4)},
         [init("w", rand(4, 5, scale=0.5)), init("c", rand(3, 5))])
    case("matmul_nd_leading", [node("MatMul", ["x", "w"])], {"x": rand(1, 2, 3, 4)}, [init("w", rand(4, 5, scale=0.5))])
    # The compositions together, proved end to end: Gemm → HardSwish → Gemm → Max(·, c) → Abs → HardSigmoid → Min.
    case("composed_activations_net", [
        node("Gemm", ["x", "w1", "b1"], ["g1"], name="fc1", transB=1), node("HardSwish", ["g1"], ["h"]),
        node("Gemm", ["h", "w2"], ["g2"], name="fc2", transB=1), node("Max", ["g2", "c"], ["m"]), node("Abs", ["m"], ["a"]),
        node("HardSigmoid", ["a"], ["s"]), node("Min", ["s", "d"])],
        {"x": rand(1, 5, scale=2)},
        [init("w1", rand(6, 5)), init("b1", rand(6)), init("w2", rand(4, 6, scale=0.5)), init("c", rand(4, scale=0.3)),
         init("d", np.float32(0.9))], opset=14)


def indexing():
    ids = np.array([[3, 0, 9, -1, 3]], np.int64)
    case("embedding_int64_ids", [node("Gather", ["table", "ids"])], {"ids": ids}, [init("table", rand(10, 4))])
    case("embedding_then_gemm", [node("Gather", ["table", "ids"], ["e"]), node("Flatten", ["e"], ["f"]),
                                 node("Gemm", ["f", "w", "b"], ["g"], transB=1), node("Relu", ["g"])],
         {"ids": np.array([[1, 4, 2]], np.int64)},
         [init("table", rand(6, 3)), init("w", rand(2, 9, scale=0.5)), init("b", rand(2))])
    case("cast_ids_to_float", [node("Cast", ["ids"], ["f"], to=TensorProto.FLOAT), node("Mul", ["f", "k"])],
         {"ids": np.array([[2, -7, 0, 11]], np.int64)}, [init("k", np.float32(0.125))])
    case("cast_float_to_int_and_back", [node("Cast", ["x"], ["i"], to=TensorProto.INT32),
                                        node("Cast", ["i"], ["f"], name="cast_back", to=TensorProto.FLOAT), node("Add", ["f", "k"])],
         {"x": rand(2, 6, scale=3)}, [init("k", np.float32(0.5))])
    case("gather_constant_indices", [node("Gather", ["x", "idx"], axis=1)], {"x": rand(1, 5, 3)},
         [init("idx", np.array([4, 0, -2], np.int64))], relu=True)
    case("gather_scalar_index", [node("Gather", ["x", "idx"], axis=1)], {"x": rand(2, 5, 3)},
         [init("idx", np.array(2, np.int64))], relu=True)
    # EmbeddingBag(mode="mean") on fixed-length bags as the exporters write it: Gather, then ReduceMean over the bag.
    case("embedding_bag_mean", [node("Gather", ["table", "ids"], ["e"]), node("ReduceMean", ["e"], ["m"], axes=[1], keepdims=0),
                                node("Gemm", ["m", "w", "b"], transB=1)],
         {"ids": np.array([[1, 4, 2], [0, 0, 5]], np.int64)},
         [init("table", rand(6, 4)), init("w", rand(3, 4, scale=0.5)), init("b", rand(3))])
    case("reducesum_axes_input", [node("ReduceSum", ["x", "axes"], keepdims=0)], {"x": rand(2, 3, 4)},
         [init("axes", np.array([0, -1], np.int64))])
    case("reducemean_attribute_axes", [node("ReduceMean", ["x"], axes=[2, 3])], {"x": rand(1, 3, 4, 5)})
    case("reducemean_opset18_all_axes", [node("ReduceMean", ["x"], keepdims=0)], {"x": rand(2, 3)}, opset=18)


def folding():
    # Shape arithmetic as exporters write it, folded at import: Shape, Gather, Mul, Mod, Equal, Where, Concat,
    # Range, Tile, Expand of a ConstantOfShape; the result reshapes and offsets the computed tensor.
    nodes = [
        node("Shape", ["x"], ["dims"]),
        node("Gather", ["dims", "i0"], ["d0"], name="g0"), node("Gather", ["dims", "i1"], ["d1"], name="g1"),
        node("Gather", ["dims", "i2"], ["d2"], name="g2"),
        node("Mul", ["d1", "d2"], ["d12"]),
        node("Mod", ["d12", "seven"], ["r"]),  # 24 mod 7 = 3, unused by the shape but folded
        node("Unsqueeze", ["d12", "axes0"], ["d12u"]),
        node("Concat", ["d0", "d12u"], ["cat"], axis=0),
        node("Equal", ["cat", "minus"], ["isminus"]),
        node("Where", ["isminus", "minus", "cat"], ["newshape"]),
        node("Reshape", ["x", "newshape"], ["flat"]),
        node("Range", ["zero", "d12", "one"], ["ramp"]),
        node("Cast", ["ramp"], ["rampf"], to=TensorProto.FLOAT),
        node("Tile", ["rampf", "reps"], ["tiled"]),
        node("ConstantOfShape", ["r1"], ["ones"], value=numpy_helper.from_array(np.array([0.01], np.float32))),
        node("Expand", ["ones", "cat"], ["small"]),
        node("Mul", ["tiled", "small"], ["offset"], name="mul_offset"),
        node("Add", ["flat", "offset"]),
    ]
    inits = [init("i0", np.array([0], np.int64)), init("i1", np.array(1, np.int64)), init("i2", np.array(2, np.int64)),
             init("seven", np.array(7, np.int64)), init("minus", np.array([-1], np.int64)), init("zero", np.array(0, np.int64)),
             init("one", np.array(1, np.int64)), init("reps", np.array([1], np.int64)), init("r1", np.array([1], np.int64)),
             init("axes0", np.array([0], np.int64))]
    case("folded_shape_arithmetic", nodes, {"x": rand(1, 6, 4)}, inits)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    conv_family()
    pooling()
    movement()
    autoencoder()
    elementwise()
    indexing()
    folding()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("wrote", len(manifest), "cases")
