// Shared by every target (used by the SRS ones, whose loaders read a path): the input written to a
// per-process file in $ZKINFER_FUZZ_SCRATCH (Fuzz/fuzz.sh makes and removes it), else /dev/shm or /tmp.
#if canImport(Glibc)
import Glibc
#endif
import SystemSupport

func scratchFile(_ data: UnsafePointer<UInt8>?, _ size: Int, suffix: String) -> String? {
    let directory = getenv("ZKINFER_FUZZ_SCRATCH").map { String(cString: $0) }
        ?? (FileSystem.isDirectory("/dev/shm") ? "/dev/shm" : "/tmp")
    let path = "\(directory)/zkinfer-fuzz-\(getpid()).\(suffix)"
    do { try FileSystem.write(Array(UnsafeBufferPointer(start: data, count: size)), to: path) } catch { return nil }
    return path
}
