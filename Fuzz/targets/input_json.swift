// libFuzzer target: an input file → `InputFile.parse` for the mlp_tiny model, then quantization with the
// default settings (what `zkinfer run` and `prove` read).
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

let graph: ModelGraph = {
    let path = "circuits/mlp_tiny/model.onnx"
    guard let model = try? ONNXImporter.load(path: path) else { fatalError("run from the repository root: cannot load \(path)") }
    return model.graph
}()

/// Loads the fixture before fuzzing starts, outside leak checking (`withoutLeakChecking`).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    withoutLeakChecking { _ = graph }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInputFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let samples = try? InputFile.parse(Array(UnsafeBufferPointer(start: data, count: size)), graph: graph) else { return 0 }
    for sample in samples { _ = try? sample.quantized(for: graph, settings: .default) }
    return 0
}
