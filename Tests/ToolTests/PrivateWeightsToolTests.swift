import Foundation
import Testing

/// `zkinfer setup --private-weights` as a user runs it (docs/protocol.md §19.10), on mlp_tiny: the SRS needs
/// one more power of two, the proof verifies with `zkverify`, two setups give different keys, and `verify-key`
/// rebuilds the key only with the secret blinding file the setup wrote.
@Suite(.serialized)
struct PrivateWeightsToolTests {
    @Test func privateWeightsEndToEnd() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        // An SRS of exactly the circuit's 2^k rows has no [τ^(2^k)]₁: refused with the command that makes one that fits.
        let k = try Tools.log2Rows(ofCircuit: keys.circuit)
        let exact = dir.path("dev-k\(k).srs")
        #expect(try Tools.run(Tools.zkinfer, ["params", "dev", "--log2", "\(k)", "-o", exact]).code == 0)
        let small = try Tools.run(Tools.zkinfer, ["setup", keys.circuit, "--params", exact, "-o", dir.path("a"), "--private-weights"])
        #expect(small.code == 2 && small.err.contains("--private-weights") && small.err.contains("params dev --log2 \(k + 1)"), "\(small.err)")

        let srs = dir.path("dev-k\(k + 1).srs")
        #expect(try Tools.run(Tools.zkinfer, ["params", "dev", "--log2", "\(k + 1)", "-o", srs]).code == 0)
        for name in ["a", "b"] {
            let r = try Tools.run(Tools.zkinfer, ["setup", keys.circuit, "--params", srs, "-o", dir.path(name), "--private-weights"])
            #expect(r.code == 0, "\(r.err)")
            #expect(r.out.contains("weights-blinding.bin"))
        }
        let vkA = try Data(contentsOf: URL(fileURLWithPath: dir.path("a/vk.bin")))
        let vkB = try Data(contentsOf: URL(fileURLWithPath: dir.path("b/vk.bin")))
        #expect(vkA != vkB, "two private setups of one model give different keys")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("a/weights-blinding.bin"))).count == 32)

        let proof = dir.path("proof.bin")
        let prove = try Tools.run(Tools.zkinfer, ["prove", keys.circuit, "--pk", dir.path("a/pk.bin"), Tools.input, "-o", proof])
        #expect(prove.code == 0, "\(prove.err)")
        let verify = try Tools.run(Tools.zkverify, ["--vk", dir.path("a/vk.bin"), "--proof", proof, "--allow-dev-srs"])
        #expect(verify.code == 0, "\(verify.out) \(verify.err)")
        let other = try Tools.run(Tools.zkverify, ["--vk", dir.path("b/vk.bin"), "--proof", proof, "--allow-dev-srs"])
        #expect(other.code == 1, "another private setup's key rejects the proof")

        // verify-key: refused without the blinding file, matches with its own, differs with the other's.
        let base = ["verify-key", dir.path("a/vk.bin"), "--model", Tools.model, "--params", srs, "--circuit", keys.circuit]
        let without = try Tools.run(Tools.zkinfer, base)
        #expect(without.code == 1 && without.err.contains("--weights-blinding"), "\(without.err)")
        let with = try Tools.run(Tools.zkinfer, base + ["--weights-blinding", dir.path("a/weights-blinding.bin")])
        #expect(with.code == 0 && with.out.contains("key matches"), "\(with.out) \(with.err)")
        let wrong = try Tools.run(Tools.zkinfer, base + ["--weights-blinding", dir.path("b/weights-blinding.bin")])
        #expect(wrong.code == 1, "\(wrong.out) \(wrong.err)")
        let publicKey = try Tools.run(
            Tools.zkinfer, ["verify-key", keys.vk, "--model", Tools.model, "--params", keys.srs, "--circuit", keys.circuit,
                            "--weights-blinding", dir.path("a/weights-blinding.bin")])
        #expect(publicKey.code == 2, "a public key with --weights-blinding is a usage error")
    }
}
