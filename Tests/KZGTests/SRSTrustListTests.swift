import BN254
import CryptoPrimitives
import FieldArithmetic
import Foundation
@testable import KZG
import Testing

/// SRS identities (docs/protocol.md §17.1) and the built-in trust list (params/README.md).
@Suite struct SRSTrustListTests {
    /// The identities params/README.md lists, recomputed independently (Python's hashlib over the same
    /// encodings) when the points were pinned.
    static let listed: [String: String] = [
        "hermez-ptau": "8a8f5bdc8426e290f93b8f4f50ce94a36f070d7e762240f304b051c8913bb45d",
        "ppot-ezkl": "8b0b32082cab44e482ef58dff01fc1032c8430e3c70c14192df040755938fb94",
        "ppot-0085": "6bbd0eed05d1cf9cd6353edc27db59007be555035351aa03a7c2e3b3f79c60c6",
    ]

    @Test func builtInCeremoniesDecodeAndHaveTheListedIdentities() throws {
        #expect(KnownCeremonies.all.count == KnownCeremonies.constants.count, "a built-in point failed to decode")
        #expect(Set(KnownCeremonies.all.map(\.name)) == Set(Self.listed.keys))
        for ceremony in KnownCeremonies.all {
            #expect(ceremony.tauG2.isOnCurve && ceremony.tauG2.isInSubgroup && !ceremony.tauG2.isInfinity)
            // Round trip through the canonical encoding: the decoder's own checks accept it too.
            #expect(try G2Affine(uncompressed: ceremony.tauG2.uncompressed) == ceremony.tauG2)
            #expect(ceremony.identity.hexEncoded == Self.listed[ceremony.name])
            #expect(SRSTrustList().source(of: ceremony.identity) == "built-in: \(ceremony.name)")
        }
        #expect(Set(KnownCeremonies.all.map(\.identity)).count == KnownCeremonies.all.count)
    }

    @Test func identityIsTheHashOfTheThreeVerifierPoints() throws {
        let srs = try SRS.insecureDevelopment(log2Size: 4)
        var bytes = withUnsafeBytes(of: UInt64(KZGVerifierKey.identityLabel.utf8.count).littleEndian, Array.init)
        bytes += Array(KZGVerifierKey.identityLabel.utf8)
        bytes += srs.powersG1[0].uncompressed + srs.g2.uncompressed + srs.tauG2.uncompressed
        #expect(srs.identity == SHA256.hash(bytes))
        // Size, Lagrange basis and origin text do not enter it: a truncation keeps the identity.
        #expect(try srs.truncated(toLog2Size: 2).identity == srs.identity)
        // A fresh development SRS is another τ: another identity, trusted by nobody.
        let other = try SRS.insecureDevelopment(log2Size: 4)
        #expect(other.identity != srs.identity)
        #expect(SRSTrustList().source(of: srs.identity) == nil)
    }

    @Test func trustedSRSFileFormat() throws {
        let a = String(repeating: "ab", count: 32), b = String(repeating: "0F", count: 32)
        var list = SRSTrustList(builtIn: false)
        try list.add(fileText: "# my keys\n\n\(a)   # laptop\n  \(b)\n", path: "trusted")
        #expect(list.entries.count == 2)
        #expect(list.source(of: [UInt8](repeating: 0xab, count: 32)) == "trusted:3")
        #expect(list.source(of: [UInt8](repeating: 0x0f, count: 32)) == "trusted:4")
        // Anything else is an error naming the line, never a silently empty list.
        for bad in ["\(a)x", String(a.dropLast()), "\(a) \(b)", "trust \(a)", "zz" + String(a.dropFirst(2))] {
            var l = SRSTrustList(builtIn: false)
            #expect(throws: SRSTrustError.self) { try l.add(fileText: "# ok\n\(bad)\n", path: "f") }
            do { try l.add(fileText: "# ok\n\(bad)\n", path: "f") } catch let e as SRSTrustError {
                #expect(e.description.hasPrefix("f:2:"))
            }
        }
        var l = SRSTrustList(builtIn: false)
        let many = String(repeating: a + "\n", count: SRSTrustList.maximumFileEntries + 1)
        #expect(throws: SRSTrustError.tooManyEntries(path: "big", limit: SRSTrustList.maximumFileEntries)) {
            try l.add(fileText: many, path: "big")
        }
    }

    @Test func defaultFileLocation() {
        let both = ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]
        #expect(SRSTrustList.defaultFilePath { both[$0] } == "/x/zkinfer/trusted-srs")
        #expect(SRSTrustList.defaultFilePath { ["HOME": "/h", "XDG_CONFIG_HOME": ""][$0] } == "/h/.config/zkinfer/trusted-srs")
        #expect(SRSTrustList.defaultFilePath { _ in nil } == nil)
    }

    @Test func verifierPointsOfAFileWithoutReadingItAll() throws {
        let srs = try SRS.insecureDevelopment(log2Size: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-id-\(UUID().uuidString).srs").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SRSFile.write(srs, to: path)
        let key = try SRSFile.readVerifierKey(path: path)
        #expect(key.identity == srs.identity && key.origin.kind == .insecureDevelopment)
    }
}
