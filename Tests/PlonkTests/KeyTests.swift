import TestSupport
import BN254
import ConstraintSystem
import FieldArithmetic
import MSM
import Parallelism
import Polynomials
@testable import PlonkVerifier
import Testing

@testable import PlonkProver

/// Keys: determinism, serialization round trips, metadata binding, and decoders fed hostile bytes.
struct KeyTests {
    @Test func keygenIsIdenticalForAnyThreadCount() throws {
        let f = Fixtures.feature
        let srs = TestSRS.make(log2Size: f.circuit.log2Rows)
        let one = try Parallel.withThreadCount(1) { try KeyGeneration.generate(circuit: f.circuit, srs: srs) }
        let four = try Parallel.withThreadCount(4) { try KeyGeneration.generate(circuit: f.circuit, srs: srs) }
        #expect(one.encoded == four.encoded)
        #expect(one.verifyingKey.encoded == four.verifyingKey.encoded)
        #expect(one.verifyingKey.fingerprint == Fixtures.featureKey.verifyingKey.fingerprint)
    }

    @Test func keysRoundTrip() throws {
        let pk = Fixtures.featureKey
        let vkBytes = pk.verifyingKey.encoded
        let vk = try VerifyingKey.decode(vkBytes)
        #expect(vk.encoded == vkBytes)
        #expect(vk.fingerprint == pk.verifyingKey.fingerprint)
        #expect(vk.circuit == pk.verifyingKey.circuit)
        try PlonkVerifier.verify(key: vk, proof: Fixtures.featureProof)

        let decoded = try ProvingKey.decode(pk.encoded)
        #expect(decoded.encoded == pk.encoded)
        // Formats 3 and 4 (stored coset columns; window tables chosen without the top digit's collisions) are
        // refused with the command to run.
        for old: UInt8 in [3, 4] {
            var bytes = pk.encoded
            bytes[8] = old
            #expect(throws: KeyError.unsupportedVersion(found: UInt32(old), supported: 5)) { _ = try ProvingKey.decode(bytes) }
        }
        let f = Fixtures.feature
        let file = try PlonkProver.prove(key: decoded, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        try PlonkVerifier.verify(key: vk, proof: try ProofFile.decode(file.encoded))
        #expect(try ProofFile.decode(file.encoded) == file)
    }

    /// docs/proof-format.md §5: a small key's file carries the quotient's coset columns (fixed columns read, σ,
    /// the row selectors), equal to what a proof would compute, and a decoded key proves with them. A stored
    /// value at or above the modulus, a flag that disagrees with the key's size, or a cut section is malformed.
    @Test func storedCosetColumnsAreTheComputedOnesAndAreChecked() throws {
        let pk = Fixtures.featureKey
        #expect(pk.storesExtensions)
        let bytes = pk.encoded
        let decoded = try ProvingKey.decode(bytes)
        let stored = decoded.extensionColumns()
        let computed = pk.computeExtensions(try EvaluationDomain(log2Size: pk.extensionLog2Size))
        #expect(stored.log2Size == computed.log2Size && stored.fixed == computed.fixed)
        #expect(stored.sigma == computed.sigma && stored.selectors == computed.selectors)
        let f = Fixtures.feature
        let file = try PlonkProver.prove(key: decoded, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        try PlonkVerifier.verify(key: pk.verifyingKey, proof: try ProofFile.decode(file.encoded))

        let section = pk.extensionColumnCount * (32 << pk.extensionLog2Size)
        let flag = bytes.count - section - 1
        #expect(bytes[flag] == 1)
        var absent = Array(bytes[..<flag])
        absent.append(0)
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(absent) }
        var tooLarge = bytes
        for i in 0..<32 { tooLarge[flag + 1 + 32 * 5 + i] = 0xff }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(tooLarge) }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(Array(bytes.dropLast(32))) }
    }

    /// docs/proof-format.md §5: a small key's file carries the window multiples of [τ^i]₁ and [L_i(τ)]₁, equal to
    /// a fresh `FixedBaseTable`, and the prover's full-size MSMs use them: an on-curve but wrong multiple makes
    /// the proof fail verification. A coordinate at or above q, a point off the curve, a window width the row
    /// count does not give, or a cut table is malformed.
    @Test func windowTablesAreTheComputedOnesAndAreChecked() throws {
        let pk = Fixtures.featureKey
        let n = pk.powersG1.count
        let window = try #require(ProvingKey.tableWindow(rows: n))
        let lagrangeCount = ProvingKey.lagrangeTableCount(circuit: pk.circuit, fixedValues: pk.fixedValues)
        let lagrangeWindow = try #require(ProvingKey.tableWindow(rows: lagrangeCount))
        #expect(lagrangeCount > 0 && lagrangeCount <= n)
        let bytes = pk.encoded
        let decoded = try ProvingKey.decode(bytes)
        #expect(decoded.powersTable?.points == FixedBaseTable(bases: pk.powersG1, window: window).points)
        #expect(decoded.lagrangeTable?.points
                == FixedBaseTable(bases: Array(pk.lagrangeG1[0..<lagrangeCount]), window: lagrangeWindow).points)

        let powersRest = n * (FixedBaseTable.windows(window: window) - 1)
        let lagrangeRest = lagrangeCount * (FixedBaseTable.windows(window: lagrangeWindow) - 1)
        let flag = bytes.count - pk.extensionColumnCount * (32 << pk.extensionLog2Size) - 1
        #expect(bytes[flag - 64 * lagrangeRest - 1] == UInt8(lagrangeWindow))
        let start = flag - 64 * lagrangeRest - 1 - 64 * powersRest
        #expect(bytes[start - 1] == UInt8(window))
        // 2^c·[τ^0]₁ replaced by [τ^0]₁ = G: decodes, but every commitment with a digit there is wrong.
        var wrong = bytes
        G1Affine.generator.x.writeMontgomery(into: &wrong, at: start)
        G1Affine.generator.y.writeMontgomery(into: &wrong, at: start + 32)
        let tampered = try ProvingKey.decode(wrong)
        let f = Fixtures.feature
        let file = try PlonkProver.prove(key: tampered, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: pk.verifyingKey, proof: file) }

        var offCurve = bytes
        offCurve[start + 32] ^= 1
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(offCurve) }
        var aboveQ = bytes
        for i in 0..<32 { aboveQ[start + 64 * 3 + i] = 0xff }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(aboveQ) }
        var otherWindow = bytes
        otherWindow[start - 1] = UInt8(window + 1)
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(otherWindow) }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(Array(bytes[..<(start + 64 * 5)])) }
    }

    /// The key's columns are parsed on all threads: a value at or above r anywhere (the last value of a fixed
    /// column, a stored coset value in the middle) is still malformed, and named; the clean key round-trips.
    @Test func keyColumnsOutsideTheFieldAreMalformed() throws {
        let pk = Fixtures.featureKey
        let bytes = pk.encoded
        let decoded = try ProvingKey.decode(bytes)
        #expect(decoded.fixedValues == pk.fixedValues && decoded.sigmaValues == pk.sigmaValues)
        #expect(decoded.encoded == bytes)
        let n = pk.fixedValues[0].count
        let vkBytes = pk.verifyingKey.encoded.count
        // magic (8) ‖ version (4) ‖ u64 length ‖ vk ‖ fixed columns: column 1's last value.
        let fixedValue = 8 + 4 + 8 + vkBytes + 32 * (2 * n - 1)
        var badFixed = bytes
        for i in 0..<32 { badFixed[fixedValue + i] = 0xff }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(badFixed) }
        do { _ = try ProvingKey.decode(badFixed) } catch { #expect("\(error)".contains("column 1 value \(n - 1)")) }
        #expect(pk.storesExtensions)
        let size = 1 << pk.extensionLog2Size
        let storedValue = bytes.count - pk.extensionColumnCount * 32 * size + 32 * (size + size / 2)
        var badStored = bytes
        for i in 0..<32 { badStored[storedValue + i] = 0xff }
        do { _ = try ProvingKey.decode(badStored); Issue.record("a stored coset value above r decoded") } catch {
            #expect("\(error)".contains("stored coset column 1 value \(size / 2)"))
        }
    }

    @Test func provingKeyRefusesAnotherCircuit() throws {
        var weights = FeatureCircuit.defaultWeights
        weights[0][0] = 0
        let other = try FeatureCircuit(weights: weights)
        #expect(throws: KeyError.self) {
            _ = try PlonkProver.prove(key: Fixtures.featureKey, circuit: other.circuit, assignment: other.assignment())
        }
    }

    @Test func metadataIsBoundByTheFingerprint() throws {
        var metadata = KeyMetadata()
        metadata.setString("model_sha256", "ab12")
        metadata["scales"] = [7, 0, 255]
        metadata.setString("compiler_version", "0.1")
        let pk = try Fixtures.featureKey.withMetadata(metadata)
        let vk = try VerifyingKey.decode(pk.verifyingKey.encoded)
        #expect(vk.metadata == metadata)
        #expect(vk.metadata.entries.map(\.key) == ["compiler_version", "model_sha256", "scales"])
        #expect(vk.metadata.printable.map(\.value) == ["0.1", "ab12", "0x0700ff"])
        #expect(vk.fingerprint != Fixtures.featureKey.verifyingKey.fingerprint)
        // Proofs are bound to the key with its metadata.
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: Fixtures.featureProof) }
        let f = Fixtures.feature
        let file = try PlonkProver.prove(key: pk, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        try PlonkVerifier.verify(key: vk, proof: file)
    }

    @Test func srsOriginTravelsIntoTheKey() throws {
        let vk = Fixtures.featureKey.verifyingKey
        #expect(vk.srs.isInsecure)
        #expect(vk.srs.hash.count == 32)
        let decoded = try VerifyingKey.decode(vk.encoded)
        #expect(decoded.srs == vk.srs)
    }

    /// Random, truncated, extended and bit-flipped key files: typed errors, never a crash.
    /// Format version 2: each instance column's bound travels in the key (and so in its fingerprint); a bound
    /// beyond 253 bits is malformed, and a version-1 key is refused with the command that makes a new one.
    @Test func instanceBoundsAreEncodedAndChecked() throws {
        let vk = Fixtures.featureKey.verifyingKey
        #expect(try VerifyingKey.decode(vk.encoded).circuit.instanceBits == [16])
        let unbounded = try VerifyingKey(
            circuit: vk.circuit.withInstanceBits([0]), fixedCommitments: vk.fixedCommitments,
            permutationCommitments: vk.permutationCommitments, srs: vk.srs, metadata: vk.metadata)
        #expect(unbounded.fingerprint != vk.fingerprint)
        #expect(try VerifyingKey.decode(unbounded.encoded).circuit.instanceBits == [0])
        let tooWide = try VerifyingKey(
            circuit: vk.circuit.withInstanceBits([254]), fixedCommitments: vk.fixedCommitments,
            permutationCommitments: vk.permutationCommitments, srs: vk.srs, metadata: vk.metadata)
        do {
            _ = try VerifyingKey.decode(tooWide.encoded)
            Issue.record("a 254-bit bound decoded")
        } catch let error as KeyError {
            #expect(error.description.contains("instance bound bits = 254 exceeds the limit 253"))
        }
        // Format 1 and format 2 (fixed-width fields, before varints) are refused with the command to run.
        for old: UInt8 in [1, 2] {
            var bytes = vk.encoded
            bytes[8] = old
            #expect(throws: KeyError.unsupportedVersion(found: UInt32(old), supported: 3)) { _ = try VerifyingKey.decode(bytes) }
        }
        #expect(KeyError.unsupportedVersion(found: 2, supported: 3).description.contains("zkinfer setup"))
    }

    @Test func keyDecoderSurvivesHostileBytes() throws {
        let bytes = Fixtures.featureKey.verifyingKey.encoded
        var rng = SeededRandom(seed: 5)
        for length in [0, 1, 8, 12, 20, 100, 4096] {
            let random = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(random) }
            // Valid header, random body.
            if length >= 20 {
                #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(Array(bytes.prefix(12)) + random) }
            }
        }
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(bytes + [0]) }
        var flipped = 0
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var tampered = bytes
            tampered[position] ^= UInt8(1 + rng.next() % 255)
            #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(tampered) }
            flipped += 1
        }
        #expect(flipped > 100)
        // A huge declared length is refused before allocating.
        var huge = Array(bytes.prefix(12))
        huge += [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]
        #expect(throws: KeyError.self) { _ = try VerifyingKey.decode(huge) }
    }

    @Test func proofAndProvingKeyDecodersSurviveHostileBytes() throws {
        var rng = SeededRandom(seed: 6)
        let proof = Fixtures.featureProof.encoded
        for length in [0, 7, 8, 44, 48, 200, 5000] {
            let random = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: VerificationError.self) { _ = try ProofFile.decode(random) }
            #expect(throws: VerificationError.self) { _ = try ProofFile.decode(Array(proof.prefix(12)) + random) }
        }
        for cut in 0..<proof.count {
            #expect(throws: VerificationError.self) { _ = try ProofFile.decode(Array(proof.prefix(cut))) }
        }
        // Header claiming 2^32−1 instance columns or values: refused by the limits, not allocated.
        var claims = Array(proof.prefix(44))
        claims += [0xff, 0xff, 0xff, 0xff]
        #expect(throws: VerificationError.self) { _ = try ProofFile.decode(claims) }
        // Random bodies of the right length decode or fail cleanly, and never verify.
        let key = Fixtures.featureKey.verifyingKey
        for _ in 0..<20 {
            var file = Fixtures.featureProof
            file.body = (0..<file.body.count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: key, proof: file) }
        }
        let pk = Fixtures.featureKey.encoded
        for cut in [0, 8, 12, 100, pk.count / 2, pk.count - 1] {
            #expect(throws: KeyError.self) { _ = try ProvingKey.decode(Array(pk.prefix(cut))) }
        }
        #expect(throws: KeyError.self) { _ = try ProvingKey.decode(pk + [1]) }
        // A byte flipped anywhere (every section: the embedded verifying key, the fixed columns, the SRS points, the
        // blocks, the window tables, the stored coset columns) decodes to a key or is refused: never a crash. A value's
        // top byte set to 0xff (at or above the modulus) is always refused, in the canonical and the Montgomery columns.
        var decoded = 0, refused = 0
        for position in stride(from: 0, to: pk.count, by: max(1, pk.count / 400)) {
            var tampered = pk
            tampered[position] ^= UInt8(1 + rng.next() % 255)
            do {
                _ = try ProvingKey.decode(tampered)
                decoded += 1
            } catch is KeyError {
                refused += 1
            }
        }
        #expect(decoded > 0 && refused > 0)
        let provingKey = Fixtures.featureKey
        let columnsStart = 12 + 8 + provingKey.verifyingKey.encoded.count
        let cosetStart = pk.count - provingKey.extensionColumnCount * (32 << provingKey.extensionLog2Size)
        for valueStart in [columnsStart, columnsStart + 32 * 7, cosetStart, cosetStart + 32 * 9] {
            var tampered = pk
            tampered[valueStart + 31] = 0xff
            #expect(throws: KeyError.self) { _ = try ProvingKey.decode(tampered) }
        }
    }
}

private extension Fq {
    func writeMontgomery(into bytes: inout [UInt8], at offset: Int) {
        bytes.withUnsafeMutableBytes { writeMontgomery(to: $0.baseAddress! + offset) }
    }
}
