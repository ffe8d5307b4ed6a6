// libFuzzer target: a verifying key → `VerifyingKey.decode` (what `zkverify` runs first), then what a
// matching proof makes the verifier compute from the key: folds, Lagrange rows, the numerator, the pairing.
//
// Input: one mode byte, then bytes. Mode even: the bytes are a key file. Mode odd: they are a key *body*,
// framed here with its correct fingerprint as an attacker would (otherwise almost every mutation would
// stop at the fingerprint and the fuzzer would never reach what a crafted key can reach).
import ConstraintSystem
import CryptoPrimitives
import FieldArithmetic
import PlonkVerifier

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerifyingKey(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    guard let key = try? VerifyingKey.decode(mode & 1 == 0 ? bytes : framed(body: bytes)) else { return 0 }
    verifyCraftedProof(key)
    return 0
}

/// magic ‖ version ‖ LP(body) ‖ SHA-256(LP(label) ‖ LP(body)) (docs/proof-format.md §3).
func framed(body: [UInt8]) -> [UInt8] {
    var covered = ByteWriter()
    covered.string("ZKInfer-VK-fingerprint")
    covered.prefixed(body)
    var file = ByteWriter()
    file.raw(VerifyingKey.magic)
    file.u32(VerifyingKey.formatVersion)
    file.prefixed(body)
    file.raw(CryptoPrimitives.SHA256.hash(covered.bytes))
    return file.bytes
}

/// A proof of the right shape for `key` (public values 3, every point the generator, every scalar 0):
/// everything up to and including the pairing runs on it. Public values and the body are bytes of the proof
/// file in real use, so the harness makes them only up to a size a proof file of ~1 MB would carry.
func verifyCraftedProof(_ key: VerifyingKey) {
    let c = key.circuit
    guard c.instanceLengths.reduce(0, +) <= 1 << 15, c.proofBodyBytes <= 1 << 20 else { return }
    let publicValues = c.instanceLengths.map { [Fr](repeating: Fr(UInt64(3)), count: $0) }
    var body: [UInt8] = []
    let generator = [UInt8(1)] + [UInt8](repeating: 0, count: 31)  // (1, 2) compressed: y even
    // §14 order: the commitments, the evaluations, then the two openings (counted in `proofCommitments`).
    for _ in 0..<(c.proofCommitments - 2) { body += generator }
    body += [UInt8](repeating: 0, count: 32 * (c.evaluationsAtZeta + c.evaluationsAtOmegaZeta))
    body += generator + generator
    let proof = ProofFile(keyFingerprint: key.fingerprint, publicValues: publicValues, body: body)
    _ = try? PlonkVerifier.verify(key: key, proof: proof)
}
