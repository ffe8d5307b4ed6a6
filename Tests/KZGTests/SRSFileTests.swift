import TestSupport
import BN254
import FieldArithmetic
import Foundation
@testable import KZG
import Polynomials
import Testing

func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-test-\(UUID().uuidString)-\(name)").path
}

@Suite struct SRSFileTests {
    @Test func writeAndLoadRoundTrip() throws {
        let small = try devSRS.truncated(toLog2Size: 4)
        let path = temporaryPath("small.srs")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SRSFile.write(small, to: path)
        let loaded = try SRSFile.load(path: path)
        #expect(loaded.log2Size == 4)
        #expect(loaded.powersG1 == small.powersG1)
        #expect(loaded.lagrangeG1 == small.lagrangeG1)
        #expect(loaded.g2 == small.g2 && loaded.tauG2 == small.tauG2)
        #expect(loaded.origin.kind == .insecureDevelopment)
        #expect(loaded.origin.detail.hasPrefix("INSECURE"))
        let header = try SRSFile.readHeader(path: path)
        #expect(header.fileBytes == UInt64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int))
    }

    @Test func corruptedAndTruncatedFilesGiveClearErrors() throws {
        let small = try devSRS.truncated(toLog2Size: 3)
        let path = temporaryPath("c.srs")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SRSFile.write(small, to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerBytes = Int(try SRSFile.readHeader(path: path).headerBytes)

        func load(_ bytes: Data) throws -> SRS {
            try bytes.write(to: URL(fileURLWithPath: path))
            return try SRSFile.load(path: path)
        }
        // A flipped bit in a point: the decoder finds it off the curve.
        var flipped = good
        flipped[headerBytes + 100] ^= 0x01
        #expect(throws: KZGError.self) { try load(flipped) }
        // Two valid points exchanged: only the content hash can tell.
        var swapped = good
        swapped.replaceSubrange((headerBytes + 64)..<(headerBytes + 128), with: good[(headerBytes + 128)..<(headerBytes + 192)])
        swapped.replaceSubrange((headerBytes + 128)..<(headerBytes + 192), with: good[(headerBytes + 64)..<(headerBytes + 128)])
        #expect(throws: KZGError.contentHashMismatch) { try load(swapped) }
        // Cut short, or with bytes appended.
        #expect(throws: KZGError.truncatedFile(expectedBytes: UInt64(good.count), actualBytes: UInt64(good.count - 1))) {
            try load(good.prefix(good.count - 1))
        }
        #expect(throws: KZGError.trailingBytes(expectedBytes: UInt64(good.count), actualBytes: UInt64(good.count + 1))) {
            try load(good + [0])
        }
        var magic = good
        magic[0] = UInt8(ascii: "X")
        #expect(throws: KZGError.badMagic(format: "ZKInfer SRS")) { try load(magic) }
        var version = good
        version[8] = 9
        #expect(throws: KZGError.unsupportedVersion(9)) { try load(version) }
        var huge = good
        huge[16] = 40
        #expect(throws: KZGError.sizeOutOfRange(log2Size: 40, maximum: 28)) { try load(huge) }
        #expect(throws: KZGError.self) { try load(Data()) }
    }

    @Test func fuzzSmokeOfTheDecoder() throws {
        // Random byte flips and cuts: every outcome is a successful load of an unchanged SRS or a KZGError.
        let small = try devSRS.truncated(toLog2Size: 2)
        let path = temporaryPath("f.srs")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SRSFile.write(small, to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        var rng = SeededGenerator(seed: 42)
        var errors = 0
        for round in 0..<300 {
            var bytes = good
            if round % 3 == 0 {
                bytes = bytes.prefix(Int(rng.next() % UInt64(bytes.count)))
            } else {
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                }
            }
            try bytes.write(to: URL(fileURLWithPath: path))
            do {
                _ = try SRSFile.load(path: path)
            } catch is KZGError {
                errors += 1
            }
        }
        #expect(errors == 300, "every mutated file must be rejected")
    }

    @Test func importsTheEZKLFixtureAndItsLagrangeHalfMatchesOurs() throws {
        let srs = try SRSImport.halo2(path: fixture("ezkl-k8.srs"))
        #expect(srs.log2Size == 8)
        #expect(srs.origin.kind == .importedHalo2)
        #expect(srs.powersG1[0] == G1Affine.generator)
        #expect(srs.g2 == G2Affine.generator)
        // Ours, from the powers alone, equals the ezkl-written Lagrange half point for point (after the
        // re-indexing between halo2's root of unity and ours).
        let domain = try EvaluationDomain(log2Size: 8)
        #expect(GroupNTT.lagrangeBasis(fromPowers: srs.powersG1, domain: domain) == srs.lagrangeG1)
        // Usable for KZG end to end.
        var rng = SeededGenerator(seed: 6)
        let p = Polynomial(coefficients: rng.frs(50))
        let z = rng.fr()
        let (v, proof) = try KZG.open(p, at: z, srs: srs)
        #expect(KZG.verify(commitment: try KZG.commit(p, srs: srs), point: z, value: v, proof: proof, key: srs.verifierKey))
    }

    @Test func halo2RootOfUnityRelation() {
        // halo2curves' primitive 2^28-th root is 7^((r−1)/2^28); ours is 5^((r−1)/2^28).
        let exponent = (Fr.modulus - BigInteger(1)) / BigInteger(1 << 28)
        let halo2Root = Fr(7).power(limbs: exponent.limbs(count: 4))
        #expect(Fr.rootOfUnity(log2Size: 28).power(SRSImport.halo2RootExponent) == halo2Root)
        #expect(Fr(5).power(limbs: exponent.limbs(count: 4)) == Fr.rootOfUnity(log2Size: 28))
    }

    @Test func rejectsBrokenEZKLFiles() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: fixture("ezkl-k8.srs")))
        let path = temporaryPath("e.srs")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func load(_ bytes: Data) throws -> SRS {
            try bytes.write(to: URL(fileURLWithPath: path))
            return try SRSImport.halo2(path: path)
        }
        #expect(throws: KZGError.truncatedFile(expectedBytes: UInt64(good.count), actualBytes: UInt64(good.count - 64))) {
            try load(good.prefix(good.count - 64))
        }
        // Power 5 replaced by power 6: every point valid, the sequence is not geometric.
        var swapped = good
        let p5 = 4 + 5 * 64, p6 = 4 + 6 * 64
        swapped.replaceSubrange(p5..<(p5 + 64), with: good[p6..<(p6 + 64)])
        #expect(throws: KZGError.powersNotGeometric) { try load(swapped) }
        // Lagrange points 0 and 1 exchanged.
        var lagrange = good
        let l0 = 4 + 256 * 64
        lagrange.replaceSubrange(l0..<(l0 + 64), with: good[(l0 + 64)..<(l0 + 128)])
        lagrange.replaceSubrange((l0 + 64)..<(l0 + 128), with: good[l0..<(l0 + 64)])
        #expect(throws: KZGError.lagrangeInconsistent) { try load(lagrange) }
        // A coordinate pushed off the curve.
        var off = good
        off[4 + 10 * 64] ^= 0x01
        #expect(throws: KZGError.self) { try load(off) }
    }

    @Test func importsTheSelfMadePtauFixture() throws {
        // Self-made from the published format (bench/vectors/make_ptau_fixture.py), with τ = 0x1234567.
        let srs = try SRSImport.ptau(path: fixture("selfmade-power4.ptau"))
        #expect(srs.log2Size == 4)
        #expect(srs.origin.kind == .importedPtau)
        let tau = Fr(0x1234567)
        #expect(G1Projective(srs.powersG1[1]) == G1Projective.generator * tau)
        #expect(G1Projective(srs.powersG1[15]) == G1Projective.generator * tau.power(15))
        #expect(G2Projective(srs.tauG2) == G2Projective.generator * tau)
        try srs.validate()
        let part = try SRSImport.ptau(path: fixture("selfmade-power4.ptau"), log2Size: 2)
        #expect(part.powersG1 == Array(srs.powersG1.prefix(4)))
        try part.validate()
        #expect(throws: KZGError.truncationLarger(requested: 5, available: 4)) {
            try SRSImport.ptau(path: fixture("selfmade-power4.ptau"), log2Size: 5)
        }
    }

    @Test func rejectsBrokenPtauFiles() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: fixture("selfmade-power4.ptau")))
        let path = temporaryPath("p.ptau")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func load(_ bytes: Data) throws -> SRS {
            try bytes.write(to: URL(fileURLWithPath: path))
            return try SRSImport.ptau(path: path)
        }
        var magic = good
        magic[0] = 0
        #expect(throws: KZGError.badMagic(format: "snarkjs .ptau")) { try load(magic) }
        #expect(throws: KZGError.self) { try load(good.prefix(good.count - 10)) }
        // Section 2 starts after the 12-byte file header, the header section (12 + 44) and its own 12 bytes.
        let tauG1 = 12 + 12 + 44 + 12
        var swapped = good
        swapped.replaceSubrange((tauG1 + 64)..<(tauG1 + 128), with: good[(tauG1 + 128)..<(tauG1 + 192)])
        #expect(throws: KZGError.powersNotGeometric) { try load(swapped) }
        // Flips inside what the importer reads (file header, sections 1–3) are all rejected with a KZGError;
        // sections 4–7 (alpha, beta, contributions) are not imported.
        // The importer reads the first 16 of the 31 tauG1 points and the first 2 of the 16 tauG2 points.
        let readG1End = tauG1 + 16 * 64
        let section3Header = tauG1 + 31 * 64
        let readG2End = section3Header + 12 + 2 * 128
        var rng = SeededGenerator(seed: 9)
        var rejected = 0
        for _ in 0..<100 {
            var fuzzed = good
            let span = readG1End + (readG2End - section3Header)
            let k = Int(rng.next() % UInt64(span))
            fuzzed[k < readG1End ? k : section3Header + (k - readG1End)] ^= 0x5A
            do { _ = try load(fuzzed) } catch is KZGError { rejected += 1 }
        }
        #expect(rejected == 100)
    }
}
