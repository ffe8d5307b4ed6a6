import Testing
import CryptoPrimitives

/// FIPS 180-4 example vectors; the incremental interface must agree with one-shot hashing.
struct SHA256Tests {
    @Test func knownAnswers() {
        #expect(SHA256.hash(Array("abc".utf8)).hexEncoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([UInt8]()).hexEncoded == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hexEncoded
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalEqualsOneShot() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        hasher.update(message[0..<123])
        hasher.update(message[123...])
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    @Test func randomBytesAreNotConstant() throws {
        let a = try SecureRandom.bytes(32), b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
    }
}
