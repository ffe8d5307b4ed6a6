import BN254
import FieldArithmetic
import MultilinearKZG

/// The proof body of docs/protocol.md §14, parsed. Every list has exactly the length the verifying key's
/// circuit dictates (`decode` checks it before anything else).
public struct Proof: Sendable, Equatable {
    /// [a_i] in commitment order: phase by phase, by index within a phase.
    public var advice: [G1Affine]
    public var multiplicities: [G1Affine]
    /// [z], [π_1] … [π_{c−1}].
    public var permutation: [G1Affine]
    public var runningSums: [G1Affine]
    /// [h'_0] … [h'_{D−2}].
    public var quotient: [G1Affine]
    /// §13.1 items 1–5.
    public var evaluationsAtZeta: [Fr]
    /// §13.1 items 6–9.
    public var evaluationsAtOmegaZeta: [Fr]
    public var openingAtZeta: G1Affine
    public var openingAtOmegaZeta: G1Affine
    /// v_com, the combined weight blocks' value at the opening point, and its Gemini proof (§19.5–§19.6):
    /// present exactly when the circuit's linear relation has committed blocks.
    public var committedValue: Fr?
    public var weightOpening: Gemini.Proof?
    /// With private weights (§19.10): [g], the masking polynomial's commitment, and `committedValue` holds
    /// ω̂ = v_com + ξ·g(z) instead of v_com; the Gemini proof has one more variable.
    public var weightMask: G1Affine?
    /// The bytes this proof was decoded from (canonical, so equal to re-encoding it): the verifier absorbs
    /// them into the transcript directly instead of compressing every point again.
    var decodedBody: [UInt8]? = nil

    public static func == (a: Proof, b: Proof) -> Bool { a.encoded == b.encoded }

    public init(
        advice: [G1Affine], multiplicities: [G1Affine], permutation: [G1Affine], runningSums: [G1Affine],
        quotient: [G1Affine], evaluationsAtZeta: [Fr], evaluationsAtOmegaZeta: [Fr], openingAtZeta: G1Affine,
        openingAtOmegaZeta: G1Affine, committedValue: Fr? = nil, weightOpening: Gemini.Proof? = nil,
        weightMask: G1Affine? = nil
    ) {
        self.advice = advice
        self.multiplicities = multiplicities
        self.permutation = permutation
        self.runningSums = runningSums
        self.quotient = quotient
        self.evaluationsAtZeta = evaluationsAtZeta
        self.evaluationsAtOmegaZeta = evaluationsAtOmegaZeta
        self.openingAtZeta = openingAtZeta
        self.openingAtOmegaZeta = openingAtOmegaZeta
        self.committedValue = committedValue
        self.weightOpening = weightOpening
        self.weightMask = weightMask
    }

    /// The body bytes: points compressed, scalars canonical little-endian, in §14's order (which is the
    /// transcript's order: v_com right after the advice, the Gemini proof after the two openings).
    public var encoded: [UInt8] {
        var w = ByteWriter()
        for p in advice { w.point(p) }
        if let m = weightMask { w.point(m) }
        if let v = committedValue { w.scalar(v) }
        for p in multiplicities + permutation + runningSums + quotient { w.point(p) }
        for s in evaluationsAtZeta + evaluationsAtOmegaZeta { w.scalar(s) }
        w.point(openingAtZeta)
        w.point(openingAtOmegaZeta)
        if let g = weightOpening {
            for p in g.folds { w.point(p) }
            for s in g.atBeta + g.atMinusBeta { w.scalar(s) }
            for p in g.witnesses { w.point(p) }
        }
        return w.bytes
    }

    /// Parses a body for `circuit`: the length must be exactly §14's, every point must decode (on the
    /// curve, canonical flags) and every scalar must be canonical.
    public static func decode(_ body: [UInt8], for circuit: VerifierCircuit) throws -> Proof {
        guard body.count == circuit.proofBodyBytes else {
            throw VerificationError.malformedProof(
                "the proof body has \(body.count) bytes; this key's circuit needs exactly \(circuit.proofBodyBytes)")
        }
        do {
            var r = ByteReader(body, context: "proof body")
            func points(_ n: Int, _ what: String) throws -> [G1Affine] {
                try (0..<n).map { try r.g1("\(what) \($0)") }
            }
            let advice = try points(circuit.adviceCount, "advice commitment")
            let weightMask: G1Affine? = try circuit.hasPrivateWeights ? r.g1("weight mask [g]") : nil
            let committedValue: Fr? =
                try circuit.hasWeightOpening ? r.scalar(circuit.hasPrivateWeights ? "masked value ω̂" : "v_com") : nil
            let multiplicities = try points(circuit.lookupTableGroups.count, "multiplicity commitment")
            let permutation = try points(circuit.permutationChunks, "permutation commitment")
            let runningSums = try points(circuit.lookupSums.count, "running-sum commitment")
            let quotient = try points(circuit.quotientChunks, "quotient commitment")
            let atZeta = try (0..<circuit.evaluationsAtZeta).map { try r.scalar("evaluation at ζ \($0)") }
            let atOmegaZeta = try (0..<circuit.evaluationsAtOmegaZeta).map { try r.scalar("evaluation at ωζ \($0)") }
            let wZeta = try r.g1("opening at ζ")
            let wOmegaZeta = try r.g1("opening at ωζ")
            var weightOpening: Gemini.Proof? = nil
            if circuit.hasWeightOpening {
                let ell = circuit.geminiVariables
                let folds = try points(ell - 1, "Gemini fold")
                let atBeta = try (0..<ell).map { try r.scalar("Gemini f_\($0)(β)") }
                let atMinusBeta = try (0..<ell).map { try r.scalar("Gemini f_\($0)(−β)") }
                let witnesses = try points(3, "Gemini opening witness")
                weightOpening = Gemini.Proof(folds: folds, atBeta: atBeta, atMinusBeta: atMinusBeta, witnesses: witnesses)
            }
            try r.requireEnd()
            var proof = Proof(
                advice: advice, multiplicities: multiplicities, permutation: permutation, runningSums: runningSums,
                quotient: quotient, evaluationsAtZeta: atZeta, evaluationsAtOmegaZeta: atOmegaZeta,
                openingAtZeta: wZeta, openingAtOmegaZeta: wOmegaZeta, committedValue: committedValue,
                weightOpening: weightOpening, weightMask: weightMask)
            proof.decodedBody = body
            return proof
        } catch let e as DecodingError {
            // The length is already right, so what failed is an element's encoding.
            throw VerificationError.invalidProofElement(e.description)
        }
    }
}

/// A proof file (docs/proof-format.md §4): header, the public values, the body. Self-contained for
/// verification with the verifying key it names by fingerprint.
public struct ProofFile: Sendable, Equatable {
    public static let magic: [UInt8] = Array("ZKIPROOF".utf8)
    /// 3: batched logUp (one multiplicity per table, several inputs per running sum; docs/protocol.md §9).
    public static let formatVersion: UInt32 = 4
    /// Public values and body are bounded so a hostile header cannot make the decoder allocate much.
    static let maximumPublicValues = 1 << 24

    public var keyFingerprint: [UInt8]
    /// The public values, one array per instance column, of the column's length.
    public var publicValues: [[Fr]]
    public var body: [UInt8]

    public init(keyFingerprint: [UInt8], publicValues: [[Fr]], body: [UInt8]) {
        self.keyFingerprint = keyFingerprint
        self.publicValues = publicValues
        self.body = body
    }

    /// magic ‖ u32 version ‖ fingerprint (32) ‖ u32 I ‖ per column (u32 ℓ ‖ ℓ scalars) ‖ u64 len ‖ body.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.raw(Self.magic)
        w.u32(Self.formatVersion)
        w.raw(keyFingerprint)
        w.count(publicValues.count)
        for column in publicValues {
            w.count(column.count)
            for v in column { w.scalar(v) }
        }
        w.prefixed(body)
        return w.bytes
    }

    /// Parses the header and public values (canonical scalars); the body is parsed against a key by
    /// `Proof.decode`.
    public static func decode(_ bytes: [UInt8]) throws -> ProofFile {
        do {
            var r = ByteReader(bytes, context: "proof file")
            guard Array(try r.take(8, "magic")) == magic else {
                throw VerificationError.malformedProof("not a ZKInfer proof file (wrong magic bytes)")
            }
            let version = try r.u32("format version")
            guard version == formatVersion else {
                throw VerificationError.malformedProof(
                    "unsupported proof format version \(version) (this build reads \(formatVersion))")
            }
            let fingerprint = Array(try r.take(32, "key fingerprint"))
            let columns = try r.count("instance columns", limit: 1 << 16)
            var values: [[Fr]] = []
            for c in 0..<columns {
                let length = try r.count("instance column \(c) length", limit: min(maximumPublicValues, r.remaining / 32))
                do {
                    values.append(try (0..<length).map { try r.scalar("public value \(c)[\($0)]") })
                } catch let e as DecodingError {
                    throw VerificationError.invalidProofElement(e.description)
                }
            }
            let body = try r.prefixed("proof body", limit: r.remaining)
            try r.requireEnd()
            return ProofFile(keyFingerprint: fingerprint, publicValues: values, body: body)
        } catch let e as DecodingError {
            throw VerificationError.malformedProof(e.description)
        }
    }
}
