import Testing
@testable import BN254
import FieldArithmetic

/// Field arithmetic against py_ecc / Python-integer vectors.
struct FieldVectorTests {
    func check<P: MontgomeryParameters>(_: P.Type, file: String) throws {
        typealias F = MontgomeryField<P>
        let v = try Vectors(file)
        #expect(try v.root["modulus"] as? String == F.modulus.description)
        for c in try v.list("cases", "add") { #expect(try F(parsing: c.string("a")) + F(parsing: c.string("b")) == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "sub") { #expect(try F(parsing: c.string("a")) - F(parsing: c.string("b")) == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "mul") { #expect(try F(parsing: c.string("a")) * F(parsing: c.string("b")) == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "square") { #expect(try F(parsing: c.string("a")).squared() == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "double") { #expect(try F(parsing: c.string("a")).doubled() == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "neg") { #expect(try -F(parsing: c.string("a")) == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "inverse") { #expect(try F(parsing: c.string("a")).inverse() == F(parsing: c.string("out"))) }
        for c in try v.list("cases", "pow") {
            let e = try c.big("e")
            #expect(try F(parsing: c.string("a")).power(limbs: e.limbs(count: 4)) == F(parsing: c.string("out")))
        }
        for c in try v.list("cases", "legendre") { #expect(try F(parsing: c.string("a")).legendre() == c["out"] as? Int) }
        for c in try v.list("cases", "sqrt") {
            let a = try F(parsing: c.string("a"))
            let root = a.squareRoot()
            if c["is_square"] as? Bool == true {
                let expected = try F(parsing: c.string("root"))
                #expect(root == expected || root == -expected)
            } else {
                #expect(root == nil)
            }
        }
        for c in try v.list("reduce") {
            let limbs = try c.big("in").limbs(count: 4)
            #expect(try F(reducing: (limbs[0], limbs[1], limbs[2], limbs[3])) == F(parsing: c.string("out")))
        }
        for c in try v.list("wide_reduce") { #expect(try F(wideBytes: c.bytes("bytes")) == F(parsing: c.string("out"))) }
        for c in try v.list("bytes") {
            let a = try F(parsing: c.string("a"))
            #expect(try a.canonicalBytes == c.bytes("bytes"))
            #expect(try F(canonicalBytes: c.bytes("bytes")) == a)
        }
        for c in try v.list("non_canonical_bytes") {
            #expect(throws: FieldError.self, "\(c["reason"] ?? "")") { try F(canonicalBytes: c.bytes("bytes")) }
        }
    }

    @Test func frVectors() throws {
        try check(FrParameters.self, file: "fr.json")
        let roots = try Vectors("fr.json").root["roots_of_unity"] as? [String: Any]
        for c in (roots?["cases"] as? [[String: Any]]) ?? [] where c["g"] as? String == "5" {
            let k = c["k"] as! Int
            #expect(try Fr.rootOfUnity(log2Size: k) == c.fr("root"), "2^\(k)-th root")
        }
    }

    @Test func fqVectors() throws { try check(FqParameters.self, file: "fq.json") }

    @Test func fq2Vectors() throws {
        let v = try Vectors("fq2.json")
        for c in try v.list("cases", "mul") { #expect(try c.fq2("a") * c.fq2("b") == c.fq2("out")) }
        for c in try v.list("cases", "add") { #expect(try c.fq2("a") + c.fq2("b") == c.fq2("out")) }
        for c in try v.list("cases", "sub") { #expect(try c.fq2("a") - c.fq2("b") == c.fq2("out")) }
        for c in try v.list("cases", "square") { #expect(try c.fq2("a").squared() == c.fq2("out")) }
        for c in try v.list("cases", "neg") { #expect(try -c.fq2("a") == c.fq2("out")) }
        for c in try v.list("cases", "inverse") { #expect(try c.fq2("a").inverse() == c.fq2("out")) }
        for c in try v.list("cases", "frobenius") { #expect(try c.fq2("a").conjugated() == c.fq2("out")) }
        for c in try v.list("cases", "mul_by_xi") { #expect(try c.fq2("a").timesNonResidue() == c.fq2("out")) }
        for c in try v.list("cases", "sqrt") {
            let root = try c.fq2("a").squareRoot()
            if c["is_square"] as? Bool == true {
                let expected = try c.fq2("root")
                #expect(root == expected || root == -expected)
            } else {
                #expect(root == nil)
            }
        }
    }

    @Test func fq12Vectors() throws {
        let v = try Vectors("fq12.json")
        for c in try v.list("cases", "mul") { #expect(try c.fq12("a") * c.fq12("b") == c.fq12("out")) }
        for c in try v.list("cases", "square") { #expect(try c.fq12("a").squared() == c.fq12("out")) }
        for c in try v.list("cases", "inverse") { #expect(try c.fq12("a").inverse() == c.fq12("out")) }
        for c in try v.list("cases", "frobenius") {
            let a = try c.fq12("a"), k = c["k"] as! Int
            let result = k == 6 ? a.conjugated() : a.frobenius(k)
            #expect(try result == c.fq12("out"), "frobenius \(k)")
        }
        for c in try v.list("tower_conversion") {
            guard let slots = c["tower"] as? [Any], slots.count == 6 else { throw VectorError.missing("tower") }
            let s = try slots.map { try Vectors.fq2($0) }
            let tower = Fq12(Fq6(s[0], s[1], s[2]), Fq6(s[3], s[4], s[5]))
            #expect(try tower == c.fq12("pyecc"))
        }
    }
}
