import BN254
import FieldArithmetic
import Foundation
import Testing
import Transcript

/// The transcript against vectors computed by `bench/vectors/generate_transcript.py` (Python hashlib),
/// and the properties the protocol's soundness relies on.
struct TranscriptTests {
    static func loadCases() throws -> [String: [[String: String]]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/transcript.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(object?["cases"] as? [String: [[String: String]]])
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    @Test func matchesIndependentVectors() throws {
        let cases = try Self.loadCases()
        #expect(cases.count == 3)
        for (name, ops) in cases {
            var t = Transcript()
            var squeezes = 0
            for op in ops {
                let label = try #require(op["label"])
                if op["op"] == "absorb" {
                    t.absorb(label, Self.bytes(hex: try #require(op["data"])))
                } else {
                    let challenge = t.squeeze(label)
                    #expect(challenge == (try Fr(parsing: try #require(op["challenge"]))), "\(name)")
                    #expect(t.pendingBytes == Self.bytes(hex: try #require(op["state"])), "\(name)")
                    squeezes += 1
                }
            }
            #expect(squeezes > 0)
        }
    }

    /// Typed absorbs are the byte encodings of docs/encodings.md (the vectors use raw bytes).
    @Test func typedAbsorbsUseTheCanonicalEncodings() {
        var a = Transcript(), b = Transcript()
        a.absorb("advice", point: .generator)
        b.absorb("advice", [1] + [UInt8](repeating: 0, count: 31))
        a.absorb("advice", point: .infinity)
        b.absorb("advice", [UInt8](repeating: 0, count: 31) + [0x80])
        a.absorb("instance", scalars: [Fr(7), -Fr(3)])
        b.absorb("instance", Fr(7).canonicalBytes + (-Fr(3)).canonicalBytes)
        a.absorb("eval", scalar: Fr(5))
        b.absorb("eval", Fr(5).canonicalBytes)
        #expect(a.squeeze("x") == b.squeeze("x"))
    }

    /// Length prefixes separate label from data: moving a byte across the boundary changes the challenge.
    @Test func framingIsUnambiguous() {
        var a = Transcript(), b = Transcript(), c = Transcript()
        a.absorb("ab", [1])
        b.absorb("a", [UInt8(ascii: "b"), 1])
        c.absorb("ab", [1])
        let x = a.squeeze("z"), y = b.squeeze("z"), z = c.squeeze("z")
        #expect(x != y)
        #expect(x == z)
        // Squeezing twice with the same label gives different challenges (the state moved on).
        #expect(a.squeeze("z") != x)
    }
}
