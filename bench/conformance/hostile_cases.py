"""Hostile and malformed models: each must be refused cleanly (exit 1 or 2 with a message), never crash.

Built with onnx.helper without the checker (most of them are invalid on purpose), plus byte-level damage of
a valid model (truncations, flips). Each case is a folder with model.onnx and input.json, like a node case,
and an expected.json without outputs: only the exit status is checked.
"""
import json
import os
import random

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def _value(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def _model(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "hostile", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="hostile_cases")
    model.ir_version = 8
    return model.SerializeToString()


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def _relu(shape=(1, 4)):
    return _model([helper.make_node("Relu", ["x"], ["y"])], [_value("x", list(shape))], [_value("y", None)])


def _raw_tensor(name, dims, raw, data_type=TensorProto.FLOAT):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = data_type
    tensor.dims.extend(dims)
    tensor.raw_data = raw
    return tensor


def _one_node(op, inputs, attributes=None, input_shape=(1, 4), initializers=(), outputs=("y",)):
    node = helper.make_node(op, inputs, list(outputs), **(attributes or {}))
    return _model([node], [_value("x", list(input_shape))], [_value(o, None) for o in outputs], initializers)


def cases():
    """(name, model bytes, first-input element count) for every hostile case."""
    good = _model(
        [helper.make_node("Gemm", ["x", "w", "b"], ["h"], transB=1), helper.make_node("Relu", ["h"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)],
        [_init("w", np.arange(12).reshape(3, 4) / 10), _init("b", [0.1, 0.2, 0.3])])
    out = []
    # Byte-level damage of a valid model.
    for cut in (1, 2, 5, 17, len(good) // 2, len(good) - 1):
        out.append((f"truncated_at_{cut}", good[:cut], 4))
    for position in (3, len(good) // 3, len(good) // 2, len(good) - 7):
        damaged = bytearray(good)
        damaged[position] ^= 0xFF
        out.append((f"byte_flipped_at_{position}", bytes(damaged), 4))
    out.append(("empty_file", b"", 4))
    out.append(("random_bytes", bytes(np.random.default_rng(7).integers(0, 256, 512, dtype=np.uint8)), 4))
    out.append(("huge_length_prefix", b"\x3a\xff\xff\xff\xff\x0f" + good, 4))

    # Shapes.
    out.append(("input_dim_zero", _relu((1, 0)), 0))
    out.append(("input_dim_negative", _relu((1, -3)), 3))
    out.append(("input_dim_huge", _relu((1, 1 << 40)), 4))
    out.append(("input_dims_product_overflows", _relu((1, 1 << 31, 1 << 31, 1 << 31)), 4))
    out.append(("input_rank_17", _relu(tuple([1] * 17)), 1))
    out.append(("initializer_dims_negative", _one_node("Add", ["x", "c"], initializers=[_raw_tensor("c", [-1, 4], b"")]), 4))
    out.append(("initializer_dims_huge", _one_node("Add", ["x", "c"], initializers=[_raw_tensor("c", [1 << 40, 1 << 40], b"\0" * 16)]), 4))
    out.append(("initializer_raw_too_short", _one_node("Add", ["x", "c"], initializers=[_raw_tensor("c", [1, 4], b"\0" * 15)]), 4))
    out.append(("initializer_nan", _one_node("Add", ["x", "c"], initializers=[_init("c", [np.nan, 0, 0, 0])]), 4))
    out.append(("add_mismatched_shapes", _one_node("Add", ["x", "c"], initializers=[_init("c", np.ones(3))]), 4))
    out.append(("gemm_inner_mismatch", _one_node("Gemm", ["x", "w"], initializers=[_init("w", np.ones((5, 3)))]), 4))
    out.append(("gemm_weight_rank_3", _one_node("Gemm", ["x", "w"], initializers=[_init("w", np.ones((4, 3, 1)))]), 4))
    out.append(("matmul_inner_mismatch", _one_node("MatMul", ["x", "w"], initializers=[_init("w", np.ones((5, 3)))]), 4))
    out.append(("matmul_scalar_weight", _one_node("MatMul", ["x", "w"], initializers=[_init("w", np.float32(2))]), 4))
    out.append(("concat_mismatched", _one_node("Concat", ["x", "c"], {"axis": 0}, initializers=[_init("c", np.ones((1, 3)))]), 4))
    out.append(("concat_axis_huge", _one_node("Concat", ["x", "c"], {"axis": 1 << 40}, initializers=[_init("c", np.ones((1, 4)))]), 4))
    out.append(("concat_constant_first", _one_node("Concat", ["c", "x"], {"axis": 1}, initializers=[_init("c", np.ones((1, 2)))]), 4))
    out.append(("reshape_wrong_count", _one_node("Reshape", ["x", "s"], initializers=[numpy_helper.from_array(np.array([3, 3], np.int64), "s")]), 4))
    out.append(("reshape_two_minus_ones", _one_node("Reshape", ["x", "s"], initializers=[numpy_helper.from_array(np.array([-1, -1], np.int64), "s")]), 4))
    out.append(("reshape_huge", _one_node("Reshape", ["x", "s"], initializers=[numpy_helper.from_array(np.array([1 << 62, 4], np.int64), "s")]), 4))
    out.append(("transpose_bad_perm", _one_node("Transpose", ["x"], {"perm": [0, 0]}), 4))
    out.append(("transpose_perm_huge", _one_node("Transpose", ["x"], {"perm": [1 << 40, 0]}), 4))
    out.append(("softmax_axis_out_of_range", _one_node("Softmax", ["x"], {"axis": 7}), 4))
    out.append(("flatten_axis_out_of_range", _one_node("Flatten", ["x"], {"axis": -9}), 4))
    out.append(("squeeze_non_unit_axis", _model([helper.make_node("Squeeze", ["x"], ["y"], axes=[1])], [_value("x", [1, 4])], [_value("y", None)], opset=11), 4))
    out.append(("unsqueeze_repeated_axes", _model([helper.make_node("Unsqueeze", ["x"], ["y"], axes=[0, 0])], [_value("x", [1, 4])], [_value("y", None)], opset=11), 4))
    out.append(("conv_on_rank_2", _one_node("Conv", ["x", "w"], initializers=[_init("w", np.ones((1, 1, 1, 1)))]), 4))
    conv_input = (1, 1, 3, 3)
    out.append(("conv_stride_zero", _one_node("Conv", ["x", "w"], {"strides": [0, 0]}, conv_input, [_init("w", np.ones((1, 1, 2, 2)))]), 9))
    out.append(("conv_same_stride_zero", _one_node("Conv", ["x", "w"], {"strides": [2, 0], "auto_pad": "SAME_LOWER"}, conv_input, [_init("w", np.ones((1, 1, 2, 2)))]), 9))
    out.append(("maxpool_same_stride_zero", _one_node("MaxPool", ["x"], {"kernel_shape": [2, 2], "strides": [0, 1], "auto_pad": "SAME_UPPER"}, conv_input), 9))
    out.append(("conv_kernel_larger_than_input", _one_node("Conv", ["x", "w"], None, conv_input, [_init("w", np.ones((1, 1, 5, 5)))]), 9))
    out.append(("conv_channel_mismatch", _one_node("Conv", ["x", "w"], None, conv_input, [_init("w", np.ones((1, 2, 2, 2)))]), 9))
    out.append(("conv_pads_negative", _one_node("Conv", ["x", "w"], {"pads": [-1, -1, -1, -1]}, conv_input, [_init("w", np.ones((1, 1, 2, 2)))]), 9))
    out.append(("conv_pads_explode_output", _one_node("Conv", ["x", "w"], {"pads": [60000, 60000, 60000, 60000]}, conv_input, [_init("w", np.ones((1, 1, 1, 1)))]), 9))
    out.append(("maxpool_kernel_zero", _one_node("MaxPool", ["x"], {"kernel_shape": [0, 0]}, conv_input), 9))
    out.append(("maxpool_no_kernel", _one_node("MaxPool", ["x"], None, conv_input), 9))
    out.append(("averagepool_on_rank_2", _one_node("AveragePool", ["x"], {"kernel_shape": [1, 1]}), 4))
    out.append(("globalaveragepool_on_rank_2", _one_node("GlobalAveragePool", ["x"]), 4))
    out.append(("batchnorm_sizes_differ", _one_node(
        "BatchNormalization", ["x", "s", "b", "m", "v"], None, (1, 4),
        [_init("s", np.ones(4)), _init("b", np.ones(3)), _init("m", np.ones(4)), _init("v", np.ones(4))]), 4))
    out.append(("batchnorm_negative_variance", _one_node(
        "BatchNormalization", ["x", "s", "b", "m", "v"], None, (1, 4),
        [_init("s", np.ones(4)), _init("b", np.ones(4)), _init("m", np.ones(4)), _init("v", -np.ones(4))]), 4))
    out.append(("div_by_zero_constant", _one_node("Div", ["x", "c"], initializers=[_init("c", [1, 0, 1, 1])]), 4))
    out.append(("constant_of_shape_huge", _model(
        [helper.make_node("ConstantOfShape", ["s"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)], [numpy_helper.from_array(np.array([1 << 30, 1 << 10], np.int64), "s")]), 4))
    out.append(("range_huge", _model(
        [helper.make_node("Range", ["a", "b", "d"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)],
        [_init("a", np.float32(0)), _init("b", np.float32(1e12)), _init("d", np.float32(1))]), 4))
    out.append(("gather_index_out_of_range", _model(
        [helper.make_node("Gather", ["t", "i"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)],
        [_init("t", np.ones((2, 4))), numpy_helper.from_array(np.array([5], np.int64), "i")]), 4))
    out.append(("slice_step_huge", _model(
        [helper.make_node("Slice", ["t", "s", "e", "a", "st"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)],
        [_init("t", np.ones((1, 8))), *(numpy_helper.from_array(np.array(v, np.int64), n) for n, v in
                                        (("s", [0]), ("e", [1 << 62]), ("a", [1]), ("st", [1 << 62])))]), 4))

    # Graph structure.
    out.append(("cycle", _model(
        [helper.make_node("Relu", ["b"], ["a"]), helper.make_node("Relu", ["a"], ["b"]), helper.make_node("Add", ["x", "a"], ["y"])],
        [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("self_loop", _model([helper.make_node("Add", ["x", "y"], ["y"])], [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("undefined_input", _one_node("Add", ["x", "nowhere"]), 4))
    out.append(("output_not_produced", _model([helper.make_node("Relu", ["x"], ["h"])], [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("gemm_missing_weight", _one_node("Gemm", ["x"]), 4))
    out.append(("conv_missing_weight", _one_node("Conv", ["x"], None, conv_input), 9))
    out.append(("add_one_input", _one_node("Add", ["x"]), 4))
    out.append(("node_without_output", _model([helper.make_node("Relu", ["x"], [])], [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("output_defined_twice", _model(
        [helper.make_node("Relu", ["x"], ["y"]), helper.make_node("Relu", ["x"], ["y"])], [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("output_is_input", _model([], [_value("x", [1, 4])], [_value("x", None)]), 4))
    out.append(("no_nodes_no_outputs", _model([], [_value("x", [1, 4])], []), 4))
    out.append(("opset_0", _model([helper.make_node("Relu", ["x"], ["y"])], [_value("x", [1, 4])], [_value("y", None)], opset=0), 4))
    out.append(("opset_huge", _model([helper.make_node("Relu", ["x"], ["y"])], [_value("x", [1, 4])], [_value("y", None)], opset=1 << 40), 4))
    out.append(("string_input", _model([helper.make_node("Identity", ["x"], ["y"])], [_value("x", [1, 4], TensorProto.STRING)], [_value("y", None)]), 4))
    out += newer_operator_cases()
    return out


def _ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def newer_operator_cases():
    """Hostile attributes and constant inputs of the operators added for the newer exporters (issue 16)."""
    out = []
    grid = (1, 1, 4, 4)
    out.append(("tile_repeats_huge", _one_node("Tile", ["x", "r"], initializers=[_ints("r", [1 << 40, 1 << 40])]), 4))
    out.append(("tile_repeats_product_huge", _one_node("Tile", ["x", "r"], initializers=[_ints("r", [1 << 20, 1 << 20])]), 4))
    out.append(("tile_repeats_negative", _one_node("Tile", ["x", "r"], initializers=[_ints("r", [1, -2])]), 4))
    out.append(("tile_repeats_wrong_count", _one_node("Tile", ["x", "r"], initializers=[_ints("r", [2])]), 4))
    out.append(("tile_repeats_zero", _one_node("Tile", ["x", "r"], initializers=[_ints("r", [1, 0])]), 4))
    out.append(("gather_elements_index_out_of_range", _one_node("GatherElements", ["x", "i"], {"axis": 1}, initializers=[_ints("i", [[0, 9]])]), 4))
    out.append(("gather_elements_rank_mismatch", _one_node("GatherElements", ["x", "i"], initializers=[_ints("i", [0, 1])]), 4))
    out.append(("gather_elements_axis_huge", _one_node("GatherElements", ["x", "i"], {"axis": 1 << 40}, initializers=[_ints("i", [[0]])]), 4))
    out.append(("gather_nd_tuple_too_long", _one_node("GatherND", ["x", "i"], initializers=[_ints("i", [[0, 0, 0]])]), 4))
    out.append(("gather_nd_index_out_of_range", _one_node("GatherND", ["x", "i"], initializers=[_ints("i", [[0, 1 << 40]])]), 4))
    out.append(("gather_nd_batch_dims_huge", _one_node("GatherND", ["x", "i"], {"batch_dims": 1 << 40}, initializers=[_ints("i", [[0]])]), 4))
    out.append(("gather_nd_scalar_indices", _one_node("GatherND", ["x", "i"], initializers=[_ints("i", 0)]), 4))
    out.append(("scatter_nd_updates_mismatch", _one_node("ScatterND", ["x", "i", "u"], initializers=[_ints("i", [[0]]), _init("u", np.ones((1, 3)))]), 4))
    out.append(("scatter_nd_index_out_of_range", _one_node("ScatterND", ["x", "i", "u"], initializers=[_ints("i", [[5]]), _init("u", np.ones((1, 4)))]), 4))
    out.append(("cumsum_axis_out_of_range", _one_node("CumSum", ["x", "a"], initializers=[_ints("a", 7)]), 4))
    out.append(("cumsum_axis_not_scalar", _one_node("CumSum", ["x", "a"], initializers=[_ints("a", [0, 1])]), 4))
    out.append(("trilu_rank_1", _model([helper.make_node("Trilu", ["x"], ["y"])], [_value("x", [4])], [_value("y", None)], opset=14), 4))
    out.append(("trilu_k_huge", _model([helper.make_node("Trilu", ["x", "k"], ["y"])], [_value("x", [1, 4])], [_value("y", None)], [_ints("k", 1 << 62)], opset=14), 4))
    out.append(("one_hot_depth_huge", _one_node("OneHot", ["x", "d", "v"], initializers=[_ints("d", 1 << 40), _init("v", [0, 1])]), 4))
    out.append(("one_hot_values_wrong_count", _one_node("OneHot", ["x", "d", "v"], initializers=[_ints("d", 3), _init("v", [0, 1, 2])]), 4))
    out.append(("depth_to_space_blocksize_zero", _one_node("DepthToSpace", ["x"], {"blocksize": 0}, grid), 16))
    out.append(("depth_to_space_blocksize_huge", _one_node("DepthToSpace", ["x"], {"blocksize": 1 << 40}, grid), 16))
    out.append(("space_to_depth_not_divisible", _one_node("SpaceToDepth", ["x"], {"blocksize": 3}, grid), 16))
    out.append(("argmax_axis_huge", _one_node("ArgMax", ["x"], {"axis": 1 << 40}), 4))
    out.append(("hardmax_axis_out_of_range", _one_node("Hardmax", ["x"], {"axis": -9}), 4))
    out.append(("reduce_prod_repeated_axes", _one_node("ReduceProd", ["x"], {"axes": [1, 1]}), 4))
    out.append(("reduce_l2_axis_huge", _one_node("ReduceL2", ["x"], {"axes": [1 << 40]}), 4))
    out.append(("group_norm_groups_zero", _one_node("GroupNormalization", ["x", "s", "b"], {"num_groups": 0}, grid, [_init("s", [1]), _init("b", [0])]), 16))
    out.append(("instance_norm_scale_wrong_size", _one_node("InstanceNormalization", ["x", "s", "b"], None, grid, [_init("s", [1, 2]), _init("b", [0])]), 16))
    out.append(("equal_mismatched_shapes", _one_node("Equal", ["x", "c"], initializers=[_init("c", np.ones(3))]), 4))
    out.append(("and_of_float", _one_node("And", ["x", "c"], initializers=[_init("c", np.ones(4))]), 4))
    # Integer Mod/BitShift/Bitwise and float Mod by a constant (ported from conform4).
    def integer_node(op, attributes=None, constant=(1, 2, 3, 4), opset=18):
        node = helper.make_node(op, ["x", "c"] if constant is not None else ["x"], ["y"], **(attributes or {}))
        inits = [numpy_helper.from_array(np.array(constant, np.int32), "c")] if constant is not None else []
        return _model([node], [_value("x", [1, 4], TensorProto.INT32)], [_value("y", None)], inits, opset=opset)
    out.append(("mod_int_by_zero", integer_node("Mod", constant=(1, 0, 2, 3)), 4))
    out.append(("mod_int_min_by_minus_one", integer_node("Mod", {"fmod": 1}, constant=(-1, -1, -1, -1)), 4))
    out.append(("mod_fmod_bad", integer_node("Mod", {"fmod": 7}), 4))
    out.append(("mod_float_by_zero", _one_node("Mod", ["x", "c"], {"fmod": 1}, initializers=[_init("c", [1, 0, 2, 3])]), 4))
    out.append(("mod_float_by_huge", _one_node("Mod", ["x", "c"], initializers=[_init("c", [1e30, -1e30, 1e-30, 3])]), 4))
    out.append(("mod_float_computed_divisor", _model([helper.make_node("Mod", ["x", "x"], ["y"], fmod=1)], [_value("x", [1, 4])], [_value("y", None)]), 4))
    out.append(("bitshift_no_direction", integer_node("BitShift", opset=28), 4))
    out.append(("bitshift_bad_direction", integer_node("BitShift", {"direction": "UP"}, opset=28), 4))
    out.append(("bitshift_huge_amounts", integer_node("BitShift", {"direction": "LEFT"}, constant=(63, 64, -1, 1 << 30), opset=28), 4))
    out.append(("bitshift_of_float", _model([helper.make_node("BitShift", ["x", "x"], ["y"], direction="LEFT")], [_value("x", [1, 4])], [_value("y", None)], opset=28), 4))
    out.append(("bitwise_not_two_inputs", integer_node("BitwiseNot"), 4))
    out.append(("bitwise_and_one_input", integer_node("BitwiseAnd", constant=None), 4))
    return out


def _external(entries):
    """y = x + c with c [1, 4] stored externally under `entries` (data_location EXTERNAL)."""
    tensor = TensorProto()
    tensor.name, tensor.data_type = "c", TensorProto.FLOAT
    tensor.dims.extend([1, 4])
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in entries:
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return _one_node("Add", ["x", "c"], initializers=[tensor])


EXTERNAL_DATA = np.array([1, 2, 3, 4], np.float32).tobytes()


def external_cases():
    """(name, model bytes, {extra file name: bytes}) for external data, good and hostile."""
    return [
        ("external_data_good", _external([("location", "w.bin")]), {"w.bin": EXTERNAL_DATA}),
        ("external_absolute_path", _external([("location", "/etc/hostname")]), {}),
        ("external_escaping_path", _external([("location", "../../../../../../etc/hostname")]), {}),
        ("external_offset_past_end", _external([("location", "w.bin"), ("offset", "64")]), {"w.bin": EXTERNAL_DATA}),
        ("external_length_past_end", _external([("location", "w.bin"), ("offset", "4"), ("length", "16")]), {"w.bin": EXTERNAL_DATA}),
        ("external_missing_file", _external([("location", "nowhere.bin")]), {}),
        ("external_offset_not_a_number", _external([("location", "w.bin"), ("offset", "-1")]), {"w.bin": EXTERNAL_DATA}),
    ]


def hostile_inputs():
    """(name, input.json text) refused by a valid Relu [1, 4] model: bad input files."""
    return [
        ("input_too_few_values", '{"input_data": [[1, 2, 3]]}'),
        ("input_too_many_values", '{"input_data": [[1, 2, 3, 4, 5]]}'),
        ("input_not_json", '{"input_data": [[1, 2, 3, 4]'),
        ("input_huge_number", '{"input_data": [[1e300, 2, 3, 4]]}'),
        ("input_out_of_fixed_range", '{"input_data": [[40000, 2, 3, 4]]}'),
        ("input_string_value", '{"input_data": [["a", 2, 3, 4]]}'),
        ("input_decimal_huge", '{"input_data": [[{"value": 9223372036854775807, "decimals": 0}, 2, 3, 4]]}'),
        ("input_decimal_bad_decimals", '{"input_data": [[{"value": 1, "decimals": 99}, 2, 3, 4]]}'),
        ("input_deep_nesting", '{"input_data": ' + "[" * 100000 + "]" * 100000 + "}"),
        ("input_unknown_name", '{"z": [1, 2, 3, 4]}'),
        ("input_empty_object", "{}"),
    ]


MUTATION_VALUES = [0, 1, -1, 2, -2, 3, 7, -7, 100, 65536, -65537, 2**31, -2**31, 2**62, -2**63]


def mutated(model_bytes, rng):
    """A node case's model with attribute values and initializer contents replaced by edge values (zeros,
    negatives, huge ints, 1e30, NaN), or None when nothing was changed: semantic damage that the byte-level
    cases above do not reach (the fuzzing that found the SAME-padding division by a zero stride)."""
    model = onnx.ModelProto.FromString(model_bytes)
    changed = False
    for attribute in model.graph.node[0].attribute:
        if rng.random() >= 0.6:
            continue
        if attribute.type == onnx.AttributeProto.INT:
            attribute.i = rng.choice(MUTATION_VALUES)
        elif attribute.type == onnx.AttributeProto.INTS:
            count = len(attribute.ints) if rng.random() < 0.7 else rng.randrange(0, 7)
            del attribute.ints[:]
            attribute.ints.extend(rng.choice(MUTATION_VALUES) for _ in range(count))
        elif attribute.type == onnx.AttributeProto.FLOAT:
            attribute.f = rng.choice([0.0, -1.0, 1e30, float("nan"), float("inf"), 1e-30])
        else:
            continue
        changed = True
    for tensor in model.graph.initializer:
        if rng.random() >= 0.4:
            continue
        array = numpy_helper.to_array(tensor)
        if array.dtype.kind in "iu" and array.size:
            array = np.array([rng.choice(MUTATION_VALUES) for _ in range(array.size)], np.int64).reshape(array.shape)
        elif array.dtype.kind == "f":
            with np.errstate(over="ignore", invalid="ignore"):
                array = (array * rng.choice([0.0, -1.0, 1e30, 1e-30, 3e38])).astype(array.dtype)
        tensor.CopyFrom(numpy_helper.from_array(array, tensor.name))
        changed = True
    return model.SerializeToString() if changed else None


def write_mutations(root, node_folders, count, seed=20261204):
    """`count` seeded mutations of the node cases' models (with their own inputs); returns manifest entries."""
    rng = random.Random(seed)
    entries = []
    attempts = 0
    while len(entries) < count and attempts < 10 * count:
        attempts += 1
        source = rng.choice(node_folders)
        with open(os.path.join(root, source, "model.onnx"), "rb") as f:
            data = mutated(f.read(), rng)
        if data is None:
            continue
        name = f"hostile_mutated_{len(entries):03d}_{source}"
        os.makedirs(os.path.join(root, name), exist_ok=True)
        with open(os.path.join(root, name, "model.onnx"), "wb") as f:
            f.write(data)
        with open(os.path.join(root, source, "input.json"), "rb") as f, open(os.path.join(root, name, "input.json"), "wb") as g:
            g.write(f.read())
        entries.append({"name": name, "op": None, "opset": None, "folder": name, "kind": "hostile"})
    return entries


def write_all(root):
    """Writes every hostile case under `root`; returns the manifest entries."""
    entries = []
    for name, data, count in cases():
        folder = os.path.join(root, "hostile_" + name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "model.onnx"), "wb") as f:
            f.write(data)
        with open(os.path.join(folder, "input.json"), "w", encoding="utf-8") as f:
            json.dump({"input_data": [[0.5] * min(count, 1 << 16)]}, f)
        entries.append({"name": "hostile_" + name, "op": None, "opset": None, "folder": "hostile_" + name, "kind": "hostile"})
    for name, data, files in external_cases():
        folder = os.path.join(root, "hostile_" + name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "model.onnx"), "wb") as f:
            f.write(data)
        for file_name, content in files.items():
            with open(os.path.join(folder, file_name), "wb") as f:
                f.write(content)
        with open(os.path.join(folder, "input.json"), "w", encoding="utf-8") as f:
            json.dump({"input_data": [[0.5] * 4]}, f)
        entries.append({"name": "hostile_" + name, "op": None, "opset": None, "folder": "hostile_" + name, "kind": "hostile"})
    relu = _relu()
    for name, text in hostile_inputs():
        folder = os.path.join(root, "hostile_" + name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "model.onnx"), "wb") as f:
            f.write(relu)
        with open(os.path.join(folder, "input.json"), "w", encoding="utf-8") as f:
            f.write(text)
        entries.append({"name": "hostile_" + name, "op": None, "opset": None, "folder": "hostile_" + name, "kind": "hostile"})
    return entries
