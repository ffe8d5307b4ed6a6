import Testing
@testable import BN254
import FieldArithmetic

/// Curve arithmetic, encodings and rejection of bad encodings against py_ecc vectors.
struct CurveVectorTests {
    func check<C: CurveParameters>(
        _: C.Type, file: String, point: ([String: Any], String) throws -> AffinePoint<C>,
        compressed: (AffinePoint<C>) -> [UInt8], uncompressed: (AffinePoint<C>) -> [UInt8],
        decodeCompressed: ([UInt8]) throws -> AffinePoint<C>, decodeUncompressed: ([UInt8]) throws -> AffinePoint<C>
    ) throws {
        let v = try Vectors(file)
        #expect(try point(v.root, "generator_point") == AffinePoint<C>.generator)
        for c in try v.list("cases", "add") {
            let sum = JacobianPoint(try point(c, "a")) + JacobianPoint(try point(c, "b"))
            #expect(try sum.toAffine() == point(c, "out"))
        }
        for c in try v.list("cases", "double") { #expect(try JacobianPoint(point(c, "a")).doubled().toAffine() == point(c, "out")) }
        for c in try v.list("cases", "neg") { #expect(try point(c, "a").negated() == point(c, "out")) }
        for c in try v.list("cases", "mul") {
            let scalar = try c.big("scalar")
            let p = JacobianPoint(try point(c, "point"))
            #expect(try p.multiplied(byLimbs: scalar.limbs(count: 4)).toAffine() == point(c, "out"))
            #expect(try (p * c.fr("scalar_mod_r")).toAffine() == point(c, "out"))
        }
        for c in try v.list("encodings") {
            let p = try point(c, "point")
            #expect(try compressed(p) == c.bytes("compressed"))
            #expect(try uncompressed(p) == c.bytes("uncompressed"))
            #expect(try decodeCompressed(c.bytes("compressed")) == p)
            #expect(try decodeUncompressed(c.bytes("uncompressed")) == p)
        }
        for c in try v.list("bad") {
            let bytes = try c.bytes("bytes")
            let reason = (c["reason"] as? String) ?? ""
            let decode = (c["form"] as? String) == "compressed" ? decodeCompressed : decodeUncompressed
            do {
                _ = try decode(bytes)
                Issue.record("accepted a bad encoding: \(reason)")
            } catch let error as CurveError {
                #expect(Self.name(of: error) == (c["error"] as? String), "\(reason): got \(error)")
            }
        }
    }

    static func name(of error: CurveError) -> String {
        switch error {
        case .wrongLength: return "wrong_length"
        case .invalidFlags: return "invalid_flags"
        case .nonCanonicalCoordinate: return "non_canonical"
        case .notOnCurve: return "off_curve"
        case .notInSubgroup: return "not_in_subgroup"
        }
    }

    @Test func g1Vectors() throws {
        try check(G1Curve.self, file: "g1.json", point: { try $0.g1($1) }, compressed: { $0.compressed },
                  uncompressed: { $0.uncompressed }, decodeCompressed: { try G1Affine(compressed: $0) },
                  decodeUncompressed: { try G1Affine(uncompressed: $0) })
    }

    @Test func g2Vectors() throws {
        let v = try Vectors("g2.json")
        #expect(try Vectors.fq2(v.root["twist_b"]) == G2Curve.b)
        for c in try v.list("not_in_subgroup") {
            let p = try c.object("point")
            let point = try G2Affine(x: p.fq2("x"), y: p.fq2("y"))
            #expect(!point.isInSubgroup)
        }
        try check(G2Curve.self, file: "g2.json", point: { try $0.g2($1) }, compressed: { $0.compressed },
                  uncompressed: { $0.uncompressed }, decodeCompressed: { try G2Affine(compressed: $0) },
                  decodeUncompressed: { try G2Affine(uncompressed: $0) })
    }

    /// Our pairing uses the exact final exponentiation, so it matches py_ecc's `e` (not MCL's `e_fc`).
    @Test func pairingVectors() throws {
        let v = try Vectors("pairing.json")
        for c in try v.list("pairs") {
            #expect(try Pairing.pairing(c.g1("p"), c.g2("q")) == c.fq12("e"))
        }
        for c in try v.list("degenerate") { #expect(try Pairing.pairing(c.g1("p"), c.g2("q")) == .one) }
        for c in try v.list("bilinearity") {
            let eab = try Pairing.pairing(c.g1("ap"), c.g2("bq"))
            #expect(try eab == c.fq12("e_ap_bq"))
            let ab = try c.big("ab_mod_r").limbs(count: 4)
            #expect(try Pairing.pairing(c.g1("p"), c.g2("q")).power(limbs: ab) == eab)
        }
        for c in try v.list("products") {
            guard let pairs = c["pairs"] as? [[String: Any]] else { throw VectorError.missing("pairs") }
            let points = try pairs.map { (try $0.g1("p"), try $0.g2("q")) }
            #expect(Pairing.productIsOne(points) == (c["is_one"] as? Bool), "\(c["label"] ?? "")")
        }
    }
}
