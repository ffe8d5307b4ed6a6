// libFuzzer target: a settings file (`--settings s.json`) → `QuantizationSettings.decode`.
import Quantization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? QuantizationSettings.decode(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
