"""Writes one end-to-end test vector for the ONNX vector generators (make_onnx_exponential.py,
make_onnx_wide_reduce.py): the model (opset 18, IR 8, one float input x), its input and onnxruntime's float32
outputs as the reference."""
import json
import os

import onnx
import onnxruntime as ort
from onnx import TensorProto, helper


def write_vector(out_dir, name, nodes, inits, outputs, x, producer):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name=producer)
    model.ir_version = 8
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(model, path)
    results = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"x": x})
    with open(os.path.join(out_dir, name + ".input.json"), "w") as f:
        json.dump({"input_data": [x.flatten().tolist()]}, f)
    with open(os.path.join(out_dir, name + ".expected.json"), "w") as f:
        json.dump({"output_data": [r.flatten().astype(float).tolist() for r in results],
                   "output_shapes": [list(r.shape) for r in results],
                   "producer": "onnxruntime %s CPUExecutionProvider, float32" % ort.__version__}, f)
