// libFuzzer target: a proof file → `ProofFile.decode`, then `PlonkVerifier.verify` against the mlp_tiny
// demo key (what `zkverify --vk … --proof …` runs).
import PlonkVerifier
import SystemSupport

let key: VerifyingKey = {
    let path = "Fuzz/fixtures/mlp_tiny.vk"
    guard let bytes = try? FileSystem.read(path), let key = try? VerifyingKey.decode(bytes) else {
        fatalError("run from the repository root: cannot load \(path)")
    }
    return key
}()

/// Loads the fixture before fuzzing starts, outside leak checking (`withoutLeakChecking`).
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    withoutLeakChecking { _ = key }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProof(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let file = try? ProofFile.decode(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    _ = try? PlonkVerifier.verify(key: key, proof: file)
    return 0
}
