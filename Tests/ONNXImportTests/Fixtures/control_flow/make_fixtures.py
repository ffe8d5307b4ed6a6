"""Control-flow fixtures for ControlFlowTests: small Loop / If / sequence models built with the onnx wheel, with
onnxruntime's outputs as the known answers (expected.json). Refused models record the reason the import must give.

    bench/.venv/bin/python Tests/ONNXImportTests/Fixtures/control_flow/make_fixtures.py
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17
X = np.array([[1.0, -2.0, 0.5]], dtype=np.float32)


def tensor(name, elem=TensorProto.FLOAT, shape=None):
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, value, dtype=np.int64):
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def save(name, graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    return model


def loop_carried_scan():
    """for i in 0..<3: acc = acc + x·i; scan acc·0.5. A constant trip count, a constant condition the body keeps true."""
    body = helper.make_graph(
        [
            helper.make_node("Cast", ["i"], ["i_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["x", "i_f"], ["scaled"]),  # x from the outer scope
            helper.make_node("Add", ["acc_in", "scaled"], ["acc_out"]),
            helper.make_node("Constant", [], ["one"], value=const("one_value", 1)),
            helper.make_node("Add", ["i", "one"], ["next"]),
            helper.make_node("Less", ["next", "limit"], ["cond_out"]),
            helper.make_node("Mul", ["acc_out", "half"], ["scan_out"]),
        ],
        "body",
        [tensor("i", TensorProto.INT64, []), tensor("cond_in", TensorProto.BOOL, []), tensor("acc_in", shape=[1, 3])],
        [tensor("cond_out", TensorProto.BOOL, []), tensor("acc_out", shape=[1, 3]), tensor("scan_out", shape=[1, 3])],
        [const("limit", 10), const("half", 0.5, np.float32)],
    )
    graph = helper.make_graph(
        [helper.make_node("Loop", ["M", "cond", "x"], ["acc_final", "scans"], body=body)],
        "loop_carried_scan", [tensor("x", shape=[1, 3])], [tensor("acc_final", shape=[1, 3]), tensor("scans", shape=[3, 1, 3])],
        [const("M", 3), const("cond", True, np.bool_)],
    )
    return save("loop_carried_scan", graph)


def loop_condition_if_sequence():
    """An exporter's shape: no trip count, the body computes the condition (two iterations), an If on the
    iteration number inside the body (then: ·3 with a branch initializer, else: negate), and a sequence that
    the body appends to, concatenated after the loop with and without a new axis."""
    then_branch = helper.make_graph(
        [helper.make_node("Mul", ["acc_in", "three"], ["then_out"])], "then", [], [tensor("then_out", shape=[1, 3])],
        [const("three", 3.0, np.float32)])
    else_branch = helper.make_graph(
        [helper.make_node("Neg", ["acc_in"], ["else_out"])], "else", [], [tensor("else_out", shape=[1, 3])])
    body = helper.make_graph(
        [
            helper.make_node("Equal", ["i", "zero"], ["is_first"]),
            helper.make_node("If", ["is_first"], ["row"], then_branch=then_branch, else_branch=else_branch),
            helper.make_node("SequenceInsert", ["seq_in", "row"], ["seq_out"]),
            helper.make_node("Add", ["acc_in", "acc_in"], ["acc_out"]),
            helper.make_node("CastLike", ["one_f", "i"], ["one"]),
            helper.make_node("Add", ["i", "one"], ["next"]),
            helper.make_node("Less", ["next", "two"], ["cond_out"]),
        ],
        "body",
        [tensor("i", TensorProto.INT64, []), tensor("cond_in", TensorProto.BOOL, []), tensor("acc_in", shape=[1, 3]),
         helper.make_tensor_sequence_value_info("seq_in", TensorProto.FLOAT, None)],
        [tensor("cond_out", TensorProto.BOOL, []), tensor("acc_out", shape=[1, 3]),
         helper.make_tensor_sequence_value_info("seq_out", TensorProto.FLOAT, None)],
    )
    graph = helper.make_graph(
        [
            helper.make_node("SequenceEmpty", [], ["seq0"], dtype=TensorProto.FLOAT),
            helper.make_node("Loop", ["", "cond", "x", "seq0"], ["acc_final", "seq_final"], body=body),
            helper.make_node("ConcatFromSequence", ["seq_final"], ["stacked"], axis=0, new_axis=1),
            helper.make_node("ConcatFromSequence", ["seq_final"], ["joined"], axis=0),
            helper.make_node("SequenceAt", ["seq_final", "minus_one"], ["last"]),
        ],
        "loop_condition_if_sequence", [tensor("x", shape=[1, 3])],
        [tensor("acc_final", shape=[1, 3]), tensor("stacked", shape=[2, 1, 3]), tensor("joined", shape=[2, 3]),
         tensor("last", shape=[1, 3])],
        [const("cond", True, np.bool_), const("zero", 0), const("two", 2), const("one_f", 1.0, np.float32),
         const("minus_one", -1)],
    )
    return save("loop_condition_if_sequence", graph)


def if_constant_condition():
    """If(Shape(x)[1] > 2): then Relu(x) + b (a branch initializer), else Neg(x)."""
    then_branch = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Add", ["r", "b"], ["then_out"])], "then", [],
        [tensor("then_out", shape=[1, 3])], [const("b", [[0.25, 0.5, 0.75]], np.float32)])
    else_branch = helper.make_graph(
        [helper.make_node("Neg", ["x"], ["else_out"])], "else", [], [tensor("else_out", shape=[1, 3])])
    graph = helper.make_graph(
        [
            helper.make_node("Shape", ["x"], ["shape"]),
            helper.make_node("Gather", ["shape", "one"], ["width"], axis=0),
            helper.make_node("Greater", ["width", "two"], ["wide"]),
            helper.make_node("If", ["wide"], ["y"], then_branch=then_branch, else_branch=else_branch),
        ],
        "if_constant_condition", [tensor("x", shape=[1, 3])], [tensor("y", shape=[1, 3])],
        [const("one", 1), const("two", 2)],
    )
    return save("if_constant_condition", graph)


def if_condition_from_input():
    """If(Cast(ReduceSum(x), bool)): then Relu(x), else Neg(x); both branches have shape [1, 3], so the If becomes
    Where(cond, Relu(x), Neg(x))."""
    graph = helper.make_graph(
        [helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0),
         helper.make_node("Cast", ["s"], ["c"], to=TensorProto.BOOL),
         helper.make_node("If", ["c"], ["y"],
                          then_branch=helper.make_graph([helper.make_node("Relu", ["x"], ["t"])], "t", [], [tensor("t", shape=[1, 3])]),
                          else_branch=helper.make_graph([helper.make_node("Neg", ["x"], ["e"])], "e", [], [tensor("e", shape=[1, 3])]))],
        "if_condition_from_input", [tensor("x", shape=[1, 3])], [tensor("y", shape=[1, 3])])
    return save("if_condition_from_input", graph)


def refused_models():
    """Control flow that depends on the input, and hostile trip counts: each import must refuse, naming why."""
    identity_body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]), helper.make_node("Relu", ["acc_in"], ["acc_out"])],
        "body", [tensor("i", TensorProto.INT64, []), tensor("cond_in", TensorProto.BOOL, []), tensor("acc_in", shape=[1, 3])],
        [tensor("cond_out", TensorProto.BOOL, []), tensor("acc_out", shape=[1, 3])])
    # A loop of 1000 iterations in a loop of 1000: each fits the budget, their product does not.
    inner_body = helper.make_graph(
        [helper.make_node("Identity", ["c_in"], ["c_out"]), helper.make_node("Relu", ["a_in"], ["a_out"])],
        "inner", [tensor("k", TensorProto.INT64, []), tensor("c_in", TensorProto.BOOL, []), tensor("a_in", shape=[1, 3])],
        [tensor("c_out", TensorProto.BOOL, []), tensor("a_out", shape=[1, 3])])
    outer_body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Loop", ["M", "", "acc_in"], ["acc_out"], body=inner_body)],
        "outer", [tensor("j", TensorProto.INT64, []), tensor("cond_in", TensorProto.BOOL, []), tensor("acc_in", shape=[1, 3])],
        [tensor("cond_out", TensorProto.BOOL, []), tensor("acc_out", shape=[1, 3])])
    refused = {}
    # "unsupported": listed with the other unsupported nodes (exit 1 through the tools); "invalid": an error of the
    # model, like going beyond the folding budget (exit 2).
    for name, nodes, inits, kind, reason in [
        ("loop_trip_count_from_input",
         [helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0),
          helper.make_node("Cast", ["s"], ["M"], to=TensorProto.INT64),
          helper.make_node("Loop", ["M", "", "x"], ["y"], body=identity_body)],
         [], "unsupported", "the trip count M depends on the model's input"),
        # A condition from the input selects between branches of equal shapes (if_condition_from_input); branches
        # whose outputs differ in shape cannot be selected elementwise.
        ("if_branch_shapes_differ",
         [helper.make_node("ReduceSum", ["x"], ["s"], keepdims=0),
          helper.make_node("Cast", ["s"], ["c"], to=TensorProto.BOOL),
          helper.make_node("If", ["c"], ["y"],
                           then_branch=helper.make_graph([helper.make_node("Relu", ["x"], ["t"])], "t", [], [tensor("t", shape=[1, 3])]),
                           else_branch=helper.make_graph([helper.make_node("Transpose", ["x"], ["e"])], "e", [], [tensor("e", shape=[3, 1])]))],
         [], "unsupported", "differ in shape"),
        # 2^63 − 1 iterations, no condition: refused before the first iteration.
        ("loop_hostile_trip_count", [helper.make_node("Loop", ["M", "", "x"], ["y"], body=identity_body)],
         [const("M", 2**63 - 1)], "invalid", "goes beyond 2^20 inlined nodes and names"),
        # A condition that stays true and no trip count: refused when the budget runs out (no hang).
        ("loop_endless_condition", [helper.make_node("Loop", ["", "cond", "x"], ["y"], body=identity_body)],
         [const("cond", True, np.bool_)], "invalid", "unrolling goes beyond 2^20 inlined nodes and names"),
        ("loop_nested_product", [helper.make_node("Loop", ["M", "", "x"], ["y"], body=outer_body)],
         [const("M", 1000)], "invalid", "goes beyond 2^20 inlined nodes and names"),
    ]:
        graph = helper.make_graph(nodes, name, [tensor("x", shape=[1, 3])], [tensor("y", shape=[1, 3])], inits)
        save(name, graph)
        refused[name] = {"kind": kind, "reason": reason}
    return refused


def main():
    expected = {"input": X.reshape(-1).tolist(), "models": {}, "refused": {}}
    for build in (loop_carried_scan, loop_condition_if_sequence, if_constant_condition, if_condition_from_input):
        model = build()
        name = model.graph.name
        session = ort.InferenceSession(os.path.join(HERE, name + ".onnx"), providers=["CPUExecutionProvider"])
        results = session.run(None, {"x": X})
        expected["models"][name] = [
            {"name": info.name, "shape": list(value.shape), "values": value.astype(np.float64).reshape(-1).tolist()}
            for info, value in zip(session.get_outputs(), results)
        ]
    expected["refused"] = refused_models()
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
