"""Writes one end-to-end test vector for the ONNX vector generators (make_onnx_exponential.py,
make_onnx_wide_reduce.py, make_onnx_long_argmax.py, make_onnx_computed_integer.py): the model (opset 18, IR 8),
its input and onnxruntime's outputs as the reference."""
import json
import os

import onnx
import onnxruntime as ort
from onnx import TensorProto, helper


def write_vector(out_dir, name, nodes, inits, outputs, x, producer):
    """One float input x, float outputs named `outputs`."""
    write_model_vector(out_dir, name, nodes, inits, {"x": x},
                       [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs], producer,
                       reference="onnxruntime %s CPUExecutionProvider, float32" % ort.__version__)


def write_model_vector(out_dir, name, nodes, inits, inputs, output_infos, producer, reference=None):
    """Any inputs (name → numpy array, in graph order; float32, int32, uint8, …) and typed outputs."""
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info(k, helper.np_dtype_to_tensor_dtype(v.dtype),
                                                                          list(v.shape)) for k, v in inputs.items()],
                              output_infos, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name=producer)
    model.ir_version = 8
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".onnx")
    onnx.save(model, path)
    results = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, inputs)
    with open(os.path.join(out_dir, name + ".input.json"), "w") as f:
        json.dump({"input_data": [v.flatten().tolist() for v in inputs.values()]}, f)
    with open(os.path.join(out_dir, name + ".expected.json"), "w") as f:
        json.dump({"output_data": [r.flatten().astype(float).tolist() for r in results],
                   "output_shapes": [list(r.shape) for r in results],
                   "producer": reference or "onnxruntime %s CPUExecutionProvider" % ort.__version__}, f)
