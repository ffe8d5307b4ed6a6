// libFuzzer target: a snarkjs .ptau file → `SRSImport.ptau` (`zkinfer params import-ptau`).
import KZG

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPtau(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let path = scratchFile(data, size, suffix: "ptau") else { return 0 }
    _ = try? SRSImport.ptau(path: path)
    return 0
}
