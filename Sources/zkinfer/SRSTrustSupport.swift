import CommandLineSupport
import CryptoPrimitives
import KZG
import SystemSupport

/// How `zkverify` would treat an SRS identity by default: the built-in ceremonies plus the default
/// trusted-srs file (docs/protocol.md §17). `zkinfer` prints it next to every identity it shows.
enum SRSTrustSupport {
    static func defaultList() -> (list: SRSTrustList, problem: String?) {
        var list = SRSTrustList()
        guard let path = SRSTrustList.defaultFilePath(environment: FileSystem.environment), FileSystem.exists(path) else {
            return (list, nil)
        }
        do {
            let bytes = try FileSystem.read(path, limit: SRSTrustList.maximumFileBytes)
            try list.add(fileText: String(decoding: bytes, as: UTF8.self), path: path)
            return (list, nil)
        } catch {
            return (SRSTrustList(), "\(error)")
        }
    }

    /// "trusted (built-in: …)" or the advice to trust it, for a printed identity.
    static func status(_ identity: [UInt8]) -> (trusted: Bool, text: String) {
        let (list, problem) = defaultList()
        if let source = list.source(of: identity) { return (true, "trusted (\(source))") }
        var text = "NOT trusted: zkverify refuses keys made from it unless run with --trust-srs \(identity.hexEncoded) "
            + "(or the identity is added to \(SRSTrustList.defaultFilePath(environment: FileSystem.environment) ?? "a trusted-srs file"))"
        if let problem { text += "; the trusted-srs file could not be read: \(problem)" }
        return (false, text)
    }
}
