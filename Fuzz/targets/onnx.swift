// libFuzzer target: ONNX model bytes → import (what `zkinfer check` runs), then quantization with the
// default settings (what `run`, `compile` and `stats` run next).
import ModelGraph
import ONNXImport
import Quantization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let model = try? ONNXImporter.importModel(bytes: bytes) else { return 0 }
    _ = try? QuantizedModel(model.graph, settings: .default)
    return 0
}
