import BN254
import CommandLineSupport
import CryptoPrimitives
import FieldArithmetic
import PlonkVerifier

/// `zkverify show <proof> [--vk PATH]`: the JSON view of a proof file (docs/proof-format.md §6): header,
/// public values, and — with the key, which fixes the body's layout — every commitment (compressed,
/// hex) and evaluation (decimal) by name. Decoding only; nothing is verified.
enum ShowCommand {
    static let command = Command(
        name: "zkverify show", summary: "print a proof file as JSON (no verification)", arguments: "<proof>",
        options: [.value("vk", "PATH", "verifying key: also list the body's items by name")],
        examples: ["zkverify show out/proof.bin --vk out/vk.bin"]
    ) { invocation in
        let path = try invocation.positional(0, "proof")
        let file = try Artifacts.proof(path)
        var members: [(String, JSONValue)] = [
            ("format", .string("ZKIPROOF")), ("version", .int(Int(ProofFile.formatVersion))),
            ("key_fingerprint", .string(file.keyFingerprint.hexEncoded)),
            ("public_values", Artifacts.publicValuesJSON(file.publicValues)),
            ("body_bytes", .int(file.body.count)),
        ]
        if let keyPath = invocation.value("vk") {
            let key = try Artifacts.key(keyPath)
            guard key.fingerprint == file.keyFingerprint else {
                throw CommandFailure.rejected("the proof is for another key (fingerprint \(file.keyFingerprint.hexEncoded.prefix(16))…)")
            }
            do {
                let proof = try Proof.decode(file.body, for: key.circuit)
                members.append(("body", body(proof, circuit: key.circuit)))
            } catch let e as VerificationError {
                throw CommandFailure.malformedInput(e.description)
            }
        }
        Console.out(JSONValue.object(members).rendered())
    }

    static func body(_ p: Proof, circuit c: VerifierCircuit) -> JSONValue {
        func points(_ list: [G1Affine]) -> JSONValue { .array(list.map { .string($0.compressed.hexEncoded) }) }
        func scalars(_ list: [Fr]) -> JSONValue { .array(list.map { .string($0.description) }) }
        var members: [(String, JSONValue)] = [
            ("advice_commitments", points(p.advice)),
            ("advice_commitment_columns", .array(c.adviceCommitmentOrder.map { .string(c.adviceNames[$0]) })),
        ]
        // With private weights: [g] and ω̂ (a masked value, not v_com: docs/protocol.md §19.10).
        if let m = p.weightMask { members.append(("weight_mask", .string(m.compressed.hexEncoded))) }
        if let v = p.committedValue { members.append((p.weightMask == nil ? "committed_value" : "masked_value", .string(v.description))) }
        members += [
            ("multiplicity_commitments", points(p.multiplicities)),
            ("permutation_commitments", points(p.permutation)),
            ("running_sum_commitments", points(p.runningSums)),
            ("quotient_commitments", points(p.quotient)),
            ("evaluations_at_zeta", scalars(p.evaluationsAtZeta)),
            ("evaluations_at_omega_zeta", scalars(p.evaluationsAtOmegaZeta)),
            ("opening_at_zeta", .string(p.openingAtZeta.compressed.hexEncoded)),
            ("opening_at_omega_zeta", .string(p.openingAtOmegaZeta.compressed.hexEncoded)),
        ]
        if let g = p.weightOpening {
            members.append(
                ("weight_opening", .object([
                    ("folds", points(g.folds)), ("at_beta", scalars(g.atBeta)), ("at_minus_beta", scalars(g.atMinusBeta)),
                    ("witnesses", points(g.witnesses)),
                ])))
        }
        return .object(members)
    }
}
