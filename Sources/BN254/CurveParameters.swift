import FieldArithmetic

/// A short Weierstrass curve y² = x³ + b (a = 0) over a coordinate field, with a fixed generator.
public protocol CurveParameters: Sendable {
    associatedtype Field: CurveBaseField
    static var b: Field { get }
    static var generatorX: Field { get }
    static var generatorY: Field { get }
    static var name: String { get }
}

/// G1: y² = x³ + 3 over Fq; prime order r, cofactor 1.
public enum G1Curve: CurveParameters {
    public static var b: Fq { Fq(3) }
    public static var generatorX: Fq { Fq(1) }
    public static var generatorY: Fq { Fq(2) }
    public static var name: String { "G1" }
}

/// G2: the order-r subgroup of the sextic twist y² = x³ + 3/ξ over Fq2, ξ = 9 + u.
public enum G2Curve: CurveParameters {
    static let twistB: Fq2 = Fq2(Fq(3), .zero) * Fq2(Fq(9), Fq(1)).inverse()
    static let generator: (Fq2, Fq2) = {
        func fq(_ s: String) -> Fq { try! Fq(parsing: s) }  // literal constants, checked by tests
        return (
            Fq2(fq("10857046999023057135944570762232829481370756359578518086990519993285655852781"),
                fq("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
            Fq2(fq("8495653923123431417604973247489272438418190587263600148770280649306958101930"),
                fq("4082367875863433681332203403145435568316851327593401208105741076214120093531"))
        )
    }()
    public static var b: Fq2 { twistB }
    public static var generatorX: Fq2 { generator.0 }
    public static var generatorY: Fq2 { generator.1 }
    public static var name: String { "G2" }
}

public typealias G1Affine = AffinePoint<G1Curve>
public typealias G1Projective = JacobianPoint<G1Curve>
public typealias G2Affine = AffinePoint<G2Curve>
public typealias G2Projective = JacobianPoint<G2Curve>
