import BN254
import ConstraintSystem
import CryptoPrimitives
import KZG

/// Field-by-field comparison of two verifying keys, for `zkinfer verify-key` (a key rebuilt from the ONNX
/// file and the SRS against the key under test): equal fingerprints mean equal keys, and otherwise the first
/// differing field names what the key claims that the model and SRS do not give.
extension VerifyingKey {
    /// The first field, in body order (SRS points and hash, circuit, commitments, metadata), in which `self`
    /// (the key under test) differs from `rebuilt`; nil when they agree on all of them. The SRS origin is
    /// not compared here: it is informational (`originDifference`).
    public func firstDifference(from rebuilt: VerifyingKey) -> String? {
        func point(_ name: String, _ a: [UInt8], _ b: [UInt8]) -> String? {
            a == b ? nil : "\(name): the key has \(Self.short(a)), the rebuilt key has \(Self.short(b))"
        }
        if let d = point("SRS [1]₁", srs.kzg.g1.compressed, rebuilt.srs.kzg.g1.compressed) { return d }
        if let d = point("SRS [1]₂", srs.kzg.g2.compressed, rebuilt.srs.kzg.g2.compressed) { return d }
        if let d = point("SRS [τ]₂", srs.kzg.tauG2.compressed, rebuilt.srs.kzg.tauG2.compressed) { return d }
        if let d = point("SRS hash (the G1 powers the commitments use)", srs.hash, rebuilt.srs.hash) { return d }
        if let d = circuit.firstDifference(from: rebuilt.circuit) { return "circuit " + d }
        for i in 0..<min(fixedCommitments.count, rebuilt.fixedCommitments.count)
        where fixedCommitments[i] != rebuilt.fixedCommitments[i] {
            return "fixed commitment \(i) ('\(circuit.fixedNames[i])')"
        }
        for i in 0..<min(permutationCommitments.count, rebuilt.permutationCommitments.count)
        where permutationCommitments[i] != rebuilt.permutationCommitments[i] {
            return "permutation commitment \(i) (column \(circuit.permutationColumns[i]))"
        }
        if metadata != rebuilt.metadata {
            let keys = Set(metadata.entries.map(\.key) + rebuilt.metadata.entries.map(\.key)).sorted {
                Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
            for key in keys where metadata[key] != rebuilt.metadata[key] {
                return "metadata '\(key)': the key has \(Self.printable(metadata[key])), the rebuilt key has \(Self.printable(rebuilt.metadata[key]))"
            }
        }
        for i in 0..<min(blockCommitments.count, rebuilt.blockCommitments.count) where blockCommitments[i] != rebuilt.blockCommitments[i] {
            let why = circuit.privateWeights == nil ? "the weights differ" : "other weights or another blinding seed (private weights)"
            return "weight block commitment \(i): \(why)"
        }
        return nil
    }

    /// The SRS origin (kind and text) when it differs from `rebuilt`'s: a label, never part of what a key means.
    public func originDifference(from rebuilt: VerifyingKey) -> String? {
        let a = srs.kzg.origin, b = rebuilt.srs.kzg.origin
        guard a != b else { return nil }
        return "the key's SRS origin label is '\(a.summary)', the SRS file's is '\(b.summary)'"
    }

    static func short(_ bytes: [UInt8]) -> String { String(bytes.hexEncoded.prefix(16)) + "…" }

    static func printable(_ value: [UInt8]?) -> String {
        guard let value else { return "no such entry" }
        if let text = String(validating: value, as: UTF8.self), text.count <= 80,
           text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) {
            return "'\(text)'"
        }
        return "\(value.count) bytes, sha256 \(short(CryptoPrimitives.SHA256.hash(value)))"
    }
}

extension VerifierCircuit {
    /// The first structural difference (size, columns, gates, lookups, fold segments), or nil.
    func firstDifference(from other: VerifierCircuit) -> String? {
        if log2Rows != other.log2Rows { return "size: the key has 2^\(log2Rows) rows, the rebuilt key 2^\(other.log2Rows)" }
        func list<T: Equatable>(_ what: String, _ a: [T], _ b: [T], name: (Int) -> String) -> String? {
            if a.count != b.count { return "\(what): the key has \(a.count), the rebuilt key \(b.count)" }
            for i in a.indices where a[i] != b[i] { return "\(what): entry \(i) (\(name(i))) differs" }
            return nil
        }
        if let d = list("advice columns", adviceNames, other.adviceNames, name: { "'\(adviceNames[$0])'" }) { return d }
        if let d = list("advice phases", advicePhases, other.advicePhases, name: { "'\(adviceNames[$0])'" }) { return d }
        if let d = list("instance columns", instanceNames, other.instanceNames, name: { "'\(instanceNames[$0])'" }) { return d }
        if let d = list("instance lengths", instanceLengths, other.instanceLengths, name: { "'\(instanceNames[$0])'" }) { return d }
        if let d = list("fixed columns", fixedNames, other.fixedNames, name: { "'\(fixedNames[$0])'" }) { return d }
        if let d = list("challenges", challengeNames, other.challengeNames, name: { "'\(challengeNames[$0])'" }) { return d }
        if let d = list("challenge phases", challengePhases, other.challengePhases, name: { "'\(challengeNames[$0])'" }) { return d }
        if let d = list("challenge columns", challengeColumnNames, other.challengeColumnNames, name: { "'\(challengeColumnNames[$0])'" }) { return d }
        for c in challengeSegments.indices {
            let a = challengeSegments[c], b = other.challengeSegments[c]
            if a.count != b.count {
                return "challenge column '\(challengeColumnNames[c])': the key has \(a.count) segments, the rebuilt key \(b.count)"
            }
            for i in a.indices where a[i] != b[i] {
                let what = a[i].matrix != b[i].matrix ? "fold matrix (weights)" : "position or source"
                return "challenge column '\(challengeColumnNames[c])' segment \(i): \(what) differs"
            }
        }
        if let d = list("gates", gates, other.gates, name: { "'\(gates[$0].name)'" }) { return d }
        if let d = list("lookups", lookups, other.lookups, name: { "'\(lookups[$0].name)'" }) { return d }
        if let d = list("permutation columns", permutationColumns, other.permutationColumns, name: { "\(permutationColumns[$0])" }) { return d }
        return self == other ? nil : "structure (a field not listed above) differs"
    }
}
