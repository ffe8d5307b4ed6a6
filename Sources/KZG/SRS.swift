import BN254
import FieldArithmetic

/// Where an SRS came from. It travels into every key made from the SRS, so that a verifier can refuse
/// keys built on an insecure development setup.
public struct SRSOrigin: Equatable, Sendable {
    public enum Kind: UInt32, Sendable {
        /// τ drawn locally by `zkinfer params dev`: whoever ran it could forge proofs.
        case insecureDevelopment = 0
        /// Converted from a halo2/EZKL KZG params file.
        case importedHalo2 = 1
        /// Converted from a snarkjs Powers-of-Tau (.ptau) file.
        case importedPtau = 2
    }

    public var kind: Kind
    /// Free text: what was run or imported, and for imports the SHA-256 of the source file.
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var isInsecure: Bool { kind == .insecureDevelopment }

    public static let insecureBanner =
        "INSECURE DEVELOPMENT SRS: tau was drawn locally from OpenSSL randomness, not by a ceremony; whoever ran the setup could forge proofs. Never use it for real proofs."

    public var summary: String {
        switch kind {
        case .insecureDevelopment: return Self.insecureBanner + " " + detail
        case .importedHalo2: return "imported halo2/EZKL params: " + detail
        case .importedPtau: return "imported snarkjs powers of tau: " + detail
        }
    }
}

/// A structured reference string for KZG over BN254: [τ^i]₁ for i < 2^log2Size, the same space in the
/// Lagrange basis of the size-2^log2Size domain ([L_i(τ)]₁), and [1]₂, [τ]₂ (all a KZG verifier needs).
public struct SRS: Sendable {
    public let log2Size: Int
    public let powersG1: [G1Affine]
    /// [L_i(τ)]₁ for the domain of 2^log2Size points; commitments to polynomials in evaluation form.
    public let lagrangeG1: [G1Affine]
    public let g2: G2Affine
    public let tauG2: G2Affine
    public let origin: SRSOrigin

    public var size: Int { 1 << log2Size }

    /// Assembles an SRS from parts already validated (by the loader, an import or the dev setup).
    public init(
        log2Size: Int, powersG1: [G1Affine], lagrangeG1: [G1Affine], g2: G2Affine, tauG2: G2Affine,
        origin: SRSOrigin
    ) {
        precondition(powersG1.count == 1 << log2Size && lagrangeG1.count == 1 << log2Size, "SRS sizes")
        self.log2Size = log2Size
        self.powersG1 = powersG1
        self.lagrangeG1 = lagrangeG1
        self.g2 = g2
        self.tauG2 = tauG2
        self.origin = origin
    }

    /// What a verifier keeps: three points and the origin.
    public var verifierKey: KZGVerifierKey {
        KZGVerifierKey(g1: powersG1[0], g2: g2, tauG2: tauG2, origin: origin)
    }
}

/// The verifier's part of an SRS.
public struct KZGVerifierKey: Equatable, Sendable {
    public let g1: G1Affine
    public let g2: G2Affine
    public let tauG2: G2Affine
    public let origin: SRSOrigin

    public init(g1: G1Affine, g2: G2Affine, tauG2: G2Affine, origin: SRSOrigin) {
        self.g1 = g1
        self.g2 = g2
        self.tauG2 = tauG2
        self.origin = origin
    }
}

/// Why an SRS could not be made, read, imported, or used.
public enum KZGError: Error, Equatable, CustomStringConvertible, Sendable {
    case polynomialTooLarge(length: Int, maxLength: Int)
    case lagrangeSizeMismatch(domainSize: Int, srsSize: Int)
    case sizeOutOfRange(log2Size: Int, maximum: Int)
    case truncationLarger(requested: Int, available: Int)
    case mismatchedInputs(String)
    // Files.
    case io(path: String, reason: String)
    case badMagic(format: String)
    case unsupportedVersion(UInt32)
    case unsupportedCurve(UInt32)
    case malformedHeader(String)
    case truncatedFile(expectedBytes: UInt64, actualBytes: UInt64)
    case trailingBytes(expectedBytes: UInt64, actualBytes: UInt64)
    case contentHashMismatch
    case invalidPoint(section: String, index: Int, reason: String)
    // Validation of the algebraic structure.
    case powersNotGeometric
    case lagrangeInconsistent
    case g2NotInSubgroup(String)

    public var description: String {
        switch self {
        case .polynomialTooLarge(let length, let maxLength):
            return "polynomial has \(length) coefficients, the SRS supports at most \(maxLength)"
        case .lagrangeSizeMismatch(let domainSize, let srsSize):
            return "evaluations on a domain of \(domainSize) points need an SRS with a Lagrange basis of that size (this one has \(srsSize)); truncate the SRS first"
        case .sizeOutOfRange(let log2Size, let maximum):
            return "SRS size 2^\(log2Size) is out of range (1...2^\(maximum))"
        case .truncationLarger(let requested, let available):
            return "cannot truncate an SRS of 2^\(available) points to 2^\(requested)"
        case .mismatchedInputs(let detail):
            return "mismatched inputs: \(detail)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .badMagic(let format):
            return "not a \(format) file (wrong magic bytes)"
        case .unsupportedVersion(let version):
            return "unsupported SRS file version \(version)"
        case .unsupportedCurve(let curve):
            return "unsupported curve id \(curve) (only BN254 = 1)"
        case .malformedHeader(let detail):
            return "malformed header: \(detail)"
        case .truncatedFile(let expected, let actual):
            return "file is truncated: expected \(expected) bytes, found \(actual)"
        case .trailingBytes(let expected, let actual):
            return "file has trailing bytes: expected \(expected) bytes, found \(actual)"
        case .contentHashMismatch:
            return "content hash does not match: the file is corrupted"
        case .invalidPoint(let section, let index, let reason):
            return "\(section) point \(index) is invalid: \(reason)"
        case .powersNotGeometric:
            return "the G1 powers are not consecutive powers of one tau (pairing check failed)"
        case .lagrangeInconsistent:
            return "the Lagrange-basis points do not match the monomial powers"
        case .g2NotInSubgroup(let which):
            return "\(which) is not in the G2 subgroup"
        }
    }
}
