import CZKInfer
import CommandLineSupport
import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C ABI of include/zkinfer.h: the only code of the package that speaks C. Each function converts its
// arguments, calls `Embedded`, and hands results back in malloc'd memory the caller frees with
// zkinfer_free. Nothing here keeps state between calls.

private let versionString: UnsafeMutablePointer<CChar> = strdup(ZKInferVersion.string)!
private let statusNames: [UnsafeMutablePointer<CChar>] = ([
    "ZKINFER_OK", "ZKINFER_ERROR_ARGUMENT", "ZKINFER_ERROR_IO", "ZKINFER_ERROR_MALFORMED", "ZKINFER_ERROR_UNSUPPORTED",
    "ZKINFER_ERROR_OUT_OF_RANGE", "ZKINFER_ERROR_KEY_MISMATCH", "ZKINFER_ERROR_INTERNAL", "ZKINFER_UNKNOWN_STATUS",
] as [String]).map { strdup($0)! }

@_cdecl("zkinfer_version")
public func zkinfer_version() -> UnsafePointer<CChar> { UnsafePointer(versionString) }

@_cdecl("zkinfer_status_name")
public func zkinfer_status_name(_ status: Int32) -> UnsafePointer<CChar> {
    UnsafePointer(statusNames[(0...7).contains(status) ? Int(status) : 8])
}

@_cdecl("zkinfer_free")
public func zkinfer_free(_ pointer: UnsafeMutableRawPointer?) { free(pointer) }

@_cdecl("zkinfer_run")
public func zkinfer_run(
    _ modelPath: UnsafePointer<CChar>?, _ inputJSON: UnsafePointer<CChar>?, _ settingsPath: UnsafePointer<CChar>?,
    _ outputsJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    outputsJSON?.pointee = nil
    return call(error) {
        guard let outputsJSON else { throw EmbeddingError(.argument, "outputs_json must not be NULL") }
        let json = try Embedded.run(modelPath: try text(modelPath, "model_path"), inputJSON: try bytes(inputJSON, "input_json"),
                                    settingsPath: try settingsPath.map { try text($0, "settings_path") })
        outputsJSON.pointee = try cString(json)
    }
}

@_cdecl("zkinfer_prove")
public func zkinfer_prove(
    _ circuitPath: UnsafePointer<CChar>?, _ pkPath: UnsafePointer<CChar>?, _ inputJSON: UnsafePointer<CChar>?,
    _ proof: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, _ proofLength: UnsafeMutablePointer<Int>?,
    _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    proof?.pointee = nil
    proofLength?.pointee = 0
    return call(error) {
        guard let proof, let proofLength else { throw EmbeddingError(.argument, "proof and proof_len must not be NULL") }
        let encoded = try Embedded.prove(circuitPath: try text(circuitPath, "circuit_path"), pkPath: try text(pkPath, "pk_path"),
                                         inputJSON: try bytes(inputJSON, "input_json"))
        guard let buffer = malloc(max(1, encoded.count))?.assumingMemoryBound(to: UInt8.self) else {
            throw EmbeddingError(.internal, "out of memory")
        }
        encoded.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: encoded.count) }
        proof.pointee = buffer
        proofLength.pointee = encoded.count
    }
}

@_cdecl("zkinfer_verify")
public func zkinfer_verify(
    _ vk: UnsafePointer<UInt8>?, _ vkLength: Int, _ proof: UnsafePointer<UInt8>?, _ proofLength: Int,
    _ options: UnsafePointer<zkinfer_verify_options>?, _ result: UnsafeMutablePointer<zkinfer_verify_result>?,
    _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    result?.pointee = zkinfer_verify_result()
    return call(error) {
        guard let result else { throw EmbeddingError(.argument, "result must not be NULL") }
        guard let vk, vkLength >= 0 else { throw EmbeddingError(.argument, "vk must not be NULL") }
        guard let proof, proofLength >= 0 else { throw EmbeddingError(.argument, "proof must not be NULL") }
        var trust = Embedded.TrustOptions()
        if let o = options?.pointee {
            trust.allowDevSRS = o.allow_dev_srs != 0
            if o.trusted_srs_count > 0 {
                guard let list = o.trusted_srs else { throw EmbeddingError(.argument, "trusted_srs is NULL but trusted_srs_count is \(o.trusted_srs_count)") }
                for i in 0..<Int(o.trusted_srs_count) { trust.identities.append(try text(list[i], "trusted_srs[\(i)]")) }
            }
            trust.file = try o.trusted_srs_file.map { try text($0, "trusted_srs_file") }
        }
        let verdict = try Embedded.verify(key: Array(UnsafeBufferPointer(start: vk, count: vkLength)),
                                          proof: Array(UnsafeBufferPointer(start: proof, count: proofLength)), trust: trust)
        var r = zkinfer_verify_result()
        r.valid = verdict.valid ? 1 : 0
        r.malformed = verdict.malformed ? 1 : 0
        r.srs_trusted = verdict.srsTrusted ? 1 : 0
        r.key_fingerprint = try cString(verdict.keyFingerprint)
        r.model_sha256 = try verdict.modelSHA256.map(cString)
        r.srs_identity = try cString(verdict.srsIdentity)
        r.outputs_json = try verdict.outputsJSON.map(cString)
        r.reason = try verdict.reason.map(cString)
        result.pointee = r
    }
}

@_cdecl("zkinfer_verify_result_free")
public func zkinfer_verify_result_free(_ result: UnsafeMutablePointer<zkinfer_verify_result>?) {
    guard let result else { return }
    let r = result.pointee
    for pointer in [r.key_fingerprint, r.model_sha256, r.srs_identity, r.outputs_json, r.reason] { free(pointer) }
    result.pointee = zkinfer_verify_result()
}

/// Runs `body`; on failure writes the message to `*error` and returns the status.
private func call(_ message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: () throws -> Void) -> Int32 {
    message?.pointee = nil
    do {
        try body()
        return 0
    } catch {
        let failure = EmbeddingError.classify(error)
        message?.pointee = strdup(failure.message)
        return failure.status.rawValue
    }
}

/// A required C string as Swift text (UTF-8 validated).
private func text(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let pointer else { throw EmbeddingError(.argument, "\(name) must not be NULL") }
    guard let s = String(validatingCString: pointer) else { throw EmbeddingError(.argument, "\(name) is not UTF-8") }
    return s
}

/// A required C string's bytes.
private func bytes(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> [UInt8] {
    guard let pointer else { throw EmbeddingError(.argument, "\(name) must not be NULL") }
    return Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
}

private func cString(_ s: String) throws -> UnsafeMutablePointer<CChar> {
    guard let p = strdup(s) else { throw EmbeddingError(.internal, "out of memory") }
    return p
}
