// libFuzzer target: an SRS file → `SRSFile.load` (what `--params` reads). The loader reads a path, so the
// bytes go to a file in /dev/shm (or /tmp) first.
import KZG
import SystemSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSRS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let path = scratchFile(data, size, suffix: "srs") else { return 0 }
    _ = try? SRSFile.load(path: path)
    return 0
}
