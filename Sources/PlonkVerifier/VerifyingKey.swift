import BN254
import ConstraintSystem
import CryptoPrimitives
import FieldArithmetic
import KZG
import Transcript

/// The key's SRS section: [1]₁, [1]₂, [τ]₂ (what the verifier uses), the SRS hash and the origin.
///
/// Trust is decided by `identity`, computed from the three points (docs/protocol.md §17); `hash` (SHA-256
/// of the uncompressed [τ^0 … τ^(n−1)]₁ the commitments were made against, then [1]₂ and [τ]₂) and the
/// origin are provenance only: `zkinfer verify-key` compares the hash, nothing trusts the origin
/// (docs/proof-format.md §2).
public struct SRSIdentity: Sendable, Equatable {
    public let kzg: KZGVerifierKey
    public let hash: [UInt8]

    public init(kzg: KZGVerifierKey, hash: [UInt8]) {
        self.kzg = kzg
        self.hash = hash
    }

    /// The SRS identity the verifier trusts or refuses: a hash of [1]₁, [1]₂, [τ]₂ as this key holds them.
    public var identity: [UInt8] { kzg.identity }

    /// What the origin label says: informational only, never a reason to trust a key.
    public var isInsecure: Bool { kzg.origin.isInsecure }

    /// The hash of the first `count` powers and the two G2 points.
    public static func hash(powers: ArraySlice<G1Affine>, g2: G2Affine, tauG2: G2Affine) -> [UInt8] {
        var hasher = CryptoPrimitives.SHA256()
        var buffer = [UInt8]()
        buffer.reserveCapacity(64 * 4096)
        for p in powers {
            buffer += p.uncompressed
            if buffer.count >= 64 * 4096 {
                hasher.update(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(buffer)
        hasher.update(g2.uncompressed)
        hasher.update(tauG2.uncompressed)
        return hasher.finalize()
    }
}

/// The verifying key (docs/protocol.md §16.1, file format in docs/proof-format.md): the circuit's
/// structure, the commitments to its fixed columns and permutation polynomials, the SRS identity and the
/// compiler's metadata, all bound by one fingerprint that every proof's transcript starts with.
public struct VerifyingKey: Sendable {
    public static let magic: [UInt8] = Array("ZKIVKEY".utf8) + [0]
    /// 2: each instance column carries its bound in bits (docs/proof-format.md §3.1), and the body may end
    /// with the committed linear relation's section (§3.5). 3: the circuit and relation sections use varints
    /// and small-integer constants (≈ 2.5× smaller keys for transformer-sized circuits).
    public static let formatVersion: UInt32 = 3
    static let fingerprintLabel = "ZKInfer-VK-fingerprint"

    public let circuit: VerifierCircuit
    /// [f_i] for every fixed column, by index.
    public let fixedCommitments: [G1Affine]
    /// [σ_i] for every permutation column, in the order of `circuit.permutationColumns`.
    public let permutationCommitments: [G1Affine]
    public let srs: SRSIdentity
    public let metadata: KeyMetadata
    /// [K_b] for every weight block of the committed linear relation (§19.5), in block order; empty without one.
    public let blockCommitments: [G1Affine]
    /// SHA-256 over the key's body (everything above): what proofs are bound to.
    public let fingerprint: [UInt8]
    /// The body bytes the fingerprint covers.
    let body: [UInt8]
    /// Values derived once per key for the verifier (ω, query positions, …).
    let derived: DerivedKeyData

    public init(
        circuit: VerifierCircuit, fixedCommitments: [G1Affine], permutationCommitments: [G1Affine], srs: SRSIdentity,
        metadata: KeyMetadata, blockCommitments: [G1Affine] = []
    ) throws {
        guard fixedCommitments.count == circuit.fixedCount,
            permutationCommitments.count == circuit.permutationColumns.count
        else { throw KeyError.circuitMismatch("commitment counts do not match the circuit") }
        let body = try Self.body(
            circuit: circuit, fixedCommitments: fixedCommitments, permutationCommitments: permutationCommitments, srs: srs,
            metadata: metadata, blockCommitments: blockCommitments)
        self.init(
            circuit: circuit, fixedCommitments: fixedCommitments, permutationCommitments: permutationCommitments, srs: srs,
            metadata: metadata, blockCommitments: blockCommitments, body: body)
    }

    static func body(
        circuit: VerifierCircuit, fixedCommitments: [G1Affine], permutationCommitments: [G1Affine], srs: SRSIdentity,
        metadata: KeyMetadata, blockCommitments: [G1Affine]
    ) throws -> [UInt8] {
        var w = ByteWriter()
        w.string(Transcript.protocolIdentifier)
        w.string(Transcript.versionLabel)
        w.point(srs.kzg.g1)
        w.point(srs.kzg.g2)
        w.point(srs.kzg.tauG2)
        w.raw(srs.hash)
        w.u32(srs.kzg.origin.kind.rawValue)
        w.string(srs.kzg.origin.detail)
        try circuit.encode(into: &w)
        w.count(fixedCommitments.count)
        for c in fixedCommitments { w.point(c) }
        w.count(permutationCommitments.count)
        for c in permutationCommitments { w.point(c) }
        metadata.encode(into: &w)
        try circuit.encodeLinearRelationSection(commitments: blockCommitments, into: &w)
        return w.bytes
    }

    /// The file size of the key `setup` makes for `circuit` with public weights, without an SRS: points have a
    /// fixed encoded size, so placeholders give the exact count except the SRS origin's free text (`originDetail`).
    /// The compiler uses it to keep keys within issue 15's 64 KiB.
    public static func encodedBytes(circuit: VerifierCircuit, metadata: KeyMetadata, originDetail: String = "") throws -> Int {
        let point = G1Affine.generator
        let srs = SRSIdentity(
            kzg: KZGVerifierKey(g1: point, g2: .generator, tauG2: .generator, origin: SRSOrigin(kind: .insecureDevelopment, detail: originDetail)),
            hash: [UInt8](repeating: 0, count: 32))
        let body = try body(
            circuit: circuit, fixedCommitments: Array(repeating: point, count: circuit.fixedCount),
            permutationCommitments: Array(repeating: point, count: circuit.permutationColumns.count), srs: srs,
            metadata: metadata, blockCommitments: Array(repeating: point, count: circuit.linearRelationShape?.blockShapes.count ?? 0))
        return file(body: body, fingerprint: fingerprint(of: body)).count
    }

    /// A key whose body bytes are known: the public initializer's encoding, or (the prover's copy) the bytes
    /// it was decoded from, not re-encoded: that would only re-prove canonical bytes, which the verifier checks
    /// on its own copy.
    init(
        circuit: VerifierCircuit, fixedCommitments: [G1Affine], permutationCommitments: [G1Affine], srs: SRSIdentity,
        metadata: KeyMetadata, blockCommitments: [G1Affine], body: [UInt8]
    ) {
        self.circuit = circuit
        self.fixedCommitments = fixedCommitments
        self.permutationCommitments = permutationCommitments
        self.srs = srs
        self.metadata = metadata
        self.blockCommitments = blockCommitments
        self.body = body
        fingerprint = Self.fingerprint(of: body)
        derived = DerivedKeyData(circuit)
    }

    /// The same key with other metadata (a new fingerprint).
    public func withMetadata(_ metadata: KeyMetadata) throws -> VerifyingKey {
        try VerifyingKey(
            circuit: circuit, fixedCommitments: fixedCommitments, permutationCommitments: permutationCommitments,
            srs: srs, metadata: metadata, blockCommitments: blockCommitments)
    }

    static func fingerprint(of body: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.string(fingerprintLabel)
        w.prefixed(body)
        return CryptoPrimitives.SHA256.hash(w.bytes)
    }

    public var fingerprintHex: String { fingerprint.hexEncoded }

    // MARK: File

    /// magic ‖ u32 version ‖ u64 body length ‖ body ‖ 32-byte fingerprint.
    public var encoded: [UInt8] { Self.file(body: body, fingerprint: fingerprint) }

    static func file(body: [UInt8], fingerprint: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.raw(magic)
        w.u32(formatVersion)
        w.prefixed(body)
        w.raw(fingerprint)
        return w.bytes
    }

    /// Decodes and validates a key file: lengths, canonical encodings, points on the curve (G2 in its
    /// subgroup), every circuit index in range, and the fingerprint. `forProver: true` (the copy inside a
    /// proving key) skips the G2 subgroup checks (~0.4 ms; the prover never uses the G2 points) and the
    /// canonical re-encoding (~4 ms for a 50k-weight fold): a damaged copy can only make the prover's own
    /// proofs fail, since the verifier checks its key in full.
    public static func decode(_ bytes: [UInt8], forProver: Bool = false) throws -> VerifyingKey {
        do {
            var r = ByteReader(bytes, context: "verifying key")
            guard Array(try r.take(8, "magic")) == magic else { throw KeyError.badMagic("verifying key") }
            let version = try r.u32("format version")
            guard version == formatVersion else {
                throw KeyError.unsupportedVersion(found: version, supported: formatVersion)
            }
            let body = try r.prefixed("body", limit: r.remaining)
            let stored = Array(try r.take(32, "fingerprint"))
            try r.requireEnd()
            let key = try decodeBody(body, forProver: forProver)
            // Canonical bytes only: re-encoding must give the same body (this also catches unsorted or
            // duplicate sparse entries the matrix constructor would silently normalise).
            guard key.body == body else {
                throw KeyError.malformed(
                    DecodingError(context: "verifying key", offset: 20, reason: "non-canonical encoding"))
            }
            guard key.fingerprint == stored else { throw KeyError.fingerprintMismatch }
            return key
        } catch let e as DecodingError {
            throw KeyError.malformed(e)
        }
    }

    static func decodeBody(_ body: [UInt8], forProver: Bool = false) throws -> VerifyingKey {
        let checkG2Subgroup = !forProver
        var r = ByteReader(body, context: "verifying key body")
        let id = try r.string("protocol identifier")
        let label = try r.string("protocol version")
        guard id == Transcript.protocolIdentifier, label == Transcript.versionLabel else {
            throw r.fail("protocol \(id) \(label) is not \(Transcript.protocolIdentifier) \(Transcript.versionLabel)")
        }
        let g1 = try r.g1("[1]₁")
        let g2 = try r.g2("[1]₂", checkSubgroup: checkG2Subgroup)
        let tauG2 = try r.g2("[τ]₂", checkSubgroup: checkG2Subgroup)
        let hash = Array(try r.take(32, "SRS hash"))
        let kindValue = try r.u32("SRS origin kind")
        guard let kind = SRSOrigin.Kind(rawValue: kindValue) else { throw r.fail("SRS origin kind \(kindValue)") }
        let detail = try r.string("SRS origin", limit: 1 << 14)
        guard !g1.isInfinity, !g2.isInfinity, !tauG2.isInfinity else { throw r.fail("SRS point at infinity") }
        let circuit = try VerifierCircuit.decode(from: &r)
        let fixedCount = try r.count("fixed commitments", limit: 1 << 16)
        guard fixedCount == circuit.fixedCount else {
            throw r.fail("\(fixedCount) fixed commitments for \(circuit.fixedCount) fixed columns")
        }
        var fixed: [G1Affine] = []
        for i in 0..<fixedCount { fixed.append(try r.g1("fixed commitment \(i)")) }
        let sigmaCount = try r.count("permutation commitments", limit: 1 << 16)
        guard sigmaCount == circuit.permutationColumns.count else {
            throw r.fail("\(sigmaCount) permutation commitments for \(circuit.permutationColumns.count) columns")
        }
        var sigma: [G1Affine] = []
        for i in 0..<sigmaCount { sigma.append(try r.g1("permutation commitment \(i)")) }
        let metadata = try KeyMetadata.decode(from: &r)
        let (circuitWithRelation, blockCommitments) = try circuit.decodeLinearRelationSection(&r)
        try r.requireEnd()
        let srs = SRSIdentity(
            kzg: KZGVerifierKey(g1: g1, g2: g2, tauG2: tauG2, origin: SRSOrigin(kind: kind, detail: detail)), hash: hash)
        if forProver {
            return VerifyingKey(
                circuit: circuitWithRelation, fixedCommitments: fixed, permutationCommitments: sigma, srs: srs,
                metadata: metadata, blockCommitments: blockCommitments, body: body)
        }
        return try VerifyingKey(
            circuit: circuitWithRelation, fixedCommitments: fixed, permutationCommitments: sigma, srs: srs, metadata: metadata,
            blockCommitments: blockCommitments)
    }
}

/// Per-key constants of verification, computed once: the root of unity, the opening layout and which
/// verifier-computed columns are needed at ωζ.
struct DerivedKeyData: Sendable {
    let omega: Fr
    let adviceAtNext: [Int]
    let fixedAtNext: [Int]
    let instanceAtNext: Set<Int>
    /// Instance columns some constraint reads (a gate, a lookup or the permutation). Columns read only
    /// through a public fold need no evaluation at ζ.
    let instanceRead: Set<Int>
    let challengeColumnsAtNext: Set<Int>
    /// Position of each advice/fixed column in the ωζ evaluations, if opened there.
    let adviceNextSlot: [Int: Int]
    let fixedNextSlot: [Int: Int]
    let commitmentOrder: [Int]
    let phases: [Int]
    let layout: EvaluationLayout

    init(_ c: VerifierCircuit) {
        omega = Fr.rootOfUnity(log2Size: c.log2Rows)
        adviceAtNext = c.queriedAtNext(.advice)
        fixedAtNext = c.queriedAtNext(.fixed)
        instanceAtNext = Set(c.queriedAtNext(.instance))
        instanceRead = Set(
            (c.allQueries.map(\.column) + c.permutationColumns).filter { $0.kind == .instance }.map(\.index))
        challengeColumnsAtNext = Set(c.queriedAtNext(.challenge))
        adviceNextSlot = Dictionary(uniqueKeysWithValues: adviceAtNext.enumerated().map { ($1, $0) })
        fixedNextSlot = Dictionary(uniqueKeysWithValues: fixedAtNext.enumerated().map { ($1, $0) })
        commitmentOrder = c.adviceCommitmentOrder
        phases = c.phases
        layout = EvaluationLayout(c)
    }
}
