/// Constants of a 4-limb prime field in Montgomery form (R = 2^256). Every requirement is a computed
/// property returning a literal, so that specialised generic code folds them into immediates.
///
/// The kernels rely on the modulus leaving the top two bits of the high limb free (p < 2^254, true for both
/// BN254 fields): sums of two reduced values fit in 256 bits, and Montgomery multiplication needs no fifth
/// carry word.
public protocol MontgomeryParameters: Sendable {
    /// The modulus p as little-endian limbs.
    static var p0: UInt64 { get }
    static var p1: UInt64 { get }
    static var p2: UInt64 { get }
    static var p3: UInt64 { get }
    /// −p^{−1} mod 2^64.
    static var negInverse: UInt64 { get }
    /// R mod p: the Montgomery form of 1.
    static var one: (UInt64, UInt64, UInt64, UInt64) { get }
    /// R^2 mod p: multiplying by it converts into Montgomery form.
    static var rSquared: (UInt64, UInt64, UInt64, UInt64) { get }
    /// R^3 mod p: fixes up an inverse computed on a Montgomery representative.
    static var rCubed: (UInt64, UInt64, UInt64, UInt64) { get }
    /// The modulus in decimal, checked against the limbs by the tests.
    static var modulusDecimal: String { get }
    /// Name for messages ("Fr", "Fq").
    static var name: String { get }
    /// The assembly multiplication for this modulus, if there is one (`MontgomeryKernel`).
    static var kernel: MontgomeryKernel { get }
}

/// Which of CFieldKernels' multiplications serves a field: a literal per field, so that specialised code keeps
/// only the chosen path.
public enum MontgomeryKernel: Sendable {
    /// None: the Swift CIOS loop (other platforms, other moduli).
    case portable
    case fr
    case fq
}

extension MontgomeryParameters {
    @inlinable public static var kernel: MontgomeryKernel { .portable }
}
