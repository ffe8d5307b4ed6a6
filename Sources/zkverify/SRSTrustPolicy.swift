import CommandLineSupport
import KZG
import PlonkVerifier
import SystemSupport

/// Which SRS identities this run trusts (docs/protocol.md §17): the built-in ceremonies, `--trust-srs`, and
/// the trusted-srs file. A key's origin label is printed, never trusted: a key whose identity is not listed
/// is refused (exit 1) unless `--allow-dev-srs` accepts it with a warning.
struct SRSTrustPolicy {
    static let options: [OptionSpec] = [
        .value("trust-srs", "IDENTITY", "also trust keys whose SRS has this identity (64 hex digits, as `zkinfer params info` prints); repeatable"),
        .value("trusted-srs-file", "PATH", "file of trusted SRS identities, one per line, # comments (default: $XDG_CONFIG_HOME/zkinfer/trusted-srs, else ~/.config/zkinfer/trusted-srs, when it exists)"),
        .flag("allow-dev-srs", "accept a key whose SRS identity is not trusted (e.g. a development SRS): INSECURE, prints a warning"),
    ]

    let list: SRSTrustList
    let allowUntrusted: Bool
    /// The trusted-srs file that was read, if any (named in the advice to add an identity).
    let filePath: String?

    init(_ invocation: Invocation) throws {
        var list = SRSTrustList()
        var path: String? = nil
        if let explicit = invocation.value("trusted-srs-file") {
            guard FileSystem.exists(explicit) else { throw CommandFailure.usage("--trusted-srs-file: '\(explicit)' does not exist") }
            path = explicit
        } else if let fallback = SRSTrustList.defaultFilePath(environment: FileSystem.environment), FileSystem.exists(fallback) {
            path = fallback
        }
        do {
            if let path {
                let bytes: [UInt8]
                do { bytes = try FileSystem.read(path, limit: SRSTrustList.maximumFileBytes) } catch let error as FileSystem.Failure {
                    throw CommandFailure.malformedInput("cannot read trusted-srs file '\(path)': \(error.reason)")
                }
                try list.add(fileText: String(decoding: bytes, as: UTF8.self), path: path)
            }
            for text in invocation.allValues("trust-srs") { try list.trust(identityHex: text, source: "--trust-srs") }
        } catch let error as SRSTrustError {
            throw CommandFailure.usage(error.description)
        }
        self.list = list
        allowUntrusted = invocation.flag("allow-dev-srs")
        filePath = path
    }

    /// Why the key's SRS is trusted, or nil when it is not but `--allow-dev-srs` accepts it (after a warning
    /// on stderr). Throws a rejection (exit 1) naming the identity and how to trust it otherwise.
    func check(_ key: VerifyingKey) throws -> String? {
        if let source = list.source(of: key.srs.identity) { return source }
        guard allowUntrusted else { throw CommandFailure.rejected(refusal(key)) }
        Console.err(warning(key))
        return nil
    }

    func refusal(_ key: VerifyingKey) -> String {
        let hex = key.srs.identity.hexEncoded
        let file = filePath ?? SRSTrustList.defaultFilePath(environment: FileSystem.environment) ?? "a trusted-srs file"
        return "the verifying key's SRS is not trusted: identity \(hex) is not a built-in ceremony nor in your trust list "
            + "(its origin label says \(Self.label(key)); labels are never trusted). Whoever knows the tau of an SRS can "
            + "forge proofs for every key made from it. If you trust this SRS, run again with --trust-srs \(hex) or add "
            + "that line to \(file); to verify against it anyway (INSECURE), pass --allow-dev-srs"
    }

    func warning(_ key: VerifyingKey) -> String {
        "WARNING: accepting an UNTRUSTED SRS (identity \(key.srs.identity.hexEncoded), origin label: \(Self.label(key))) "
            + "because of --allow-dev-srs: whoever knows its tau can forge any proof for this key. This result proves nothing against them."
    }

    static func label(_ key: VerifyingKey) -> String {
        switch key.srs.kzg.origin.kind {
        case .insecureDevelopment: return "INSECURE development SRS"
        case .importedHalo2: return "halo2 import"
        case .importedPtau: return "ptau import"
        }
    }
}
