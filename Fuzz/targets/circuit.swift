// libFuzzer target: a circuit file → `CircuitFile.decode`, then `rebuild()` (what `zkinfer setup` and
// `prove` run: the embedded ONNX model imported, quantized and compiled with the header's options).
//
// The rebuild's memory is that of the circuit the header names — O(2^log2Rows × columns), the prover's own
// size (docs/proof-format.md, "Decoder bounds") — so the harness rebuilds only headers of up to 2^12 rows,
// within its memory limit; decoding runs on every input.
import ZKInferKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCircuitFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let file = try? CircuitFile.decode(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    if file.header.log2Rows <= 12 { _ = try? file.rebuild() }
    return 0
}
