// libFuzzer target: a halo2/EZKL KZG params file → `SRSImport.halo2` (`zkinfer params import-halo2`).
import KZG

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHalo2(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let path = scratchFile(data, size, suffix: "halo2") else { return 0 }
    _ = try? SRSImport.halo2(path: path)
    return 0
}
