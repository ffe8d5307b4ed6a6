import Foundation
import Testing

/// `zkverify batch` (issue 18, item 2): streamed in merged batches of bounded size, one JSON line per proof
/// with its status, and a summary of valid / invalid / malformed proofs per key fingerprint.
@Suite(.serialized) struct VerifyBatchTests {
    @Test func smallBatchesJSONLinesAndSummaryByKey() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        for k in 0..<5 { try dir.write("in/x\(k).json", try Tools.input(scaledBy: 1 - 0.2 * Double(k))) }
        var r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--pk", keys.pk, "--inputs", dir.path("in"), "-o", dir.path("p")], in: dir)
        #expect(r.code == 0, "\(r.err)")
        // One proof truncated (malformed), one with a byte of its body flipped (invalid), one stray file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("p/x1.proof")))
        try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: dir.path("p/x1.proof")))
        bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("p/x2.proof")))
        bytes[bytes.count - 40] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir.path("p/x2.proof")))
        try dir.write("p/zz-garbage.bin", "not a proof")

        // --batch-size 2: four batches for six files; the verdicts do not depend on the batching.
        r = try Tools.run(Tools.zkverify, ["batch", dir.path("p"), "--vk", keys.vk, "--allow-dev-srs", "--batch-size", "2", "--json"], in: dir)
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == 7, "six proofs and the summary: \(r.out)")
        let byName = Dictionary(uniqueKeysWithValues: lines.dropLast().map { (URL(fileURLWithPath: $0["proof"] as! String).lastPathComponent, $0) })
        #expect(Array(lines.dropLast()).map { URL(fileURLWithPath: $0["proof"] as! String).lastPathComponent }
                == ["x0.proof", "x1.proof", "x2.proof", "x3.proof", "x4.proof", "zz-garbage.bin"], "in sorted order")
        #expect(byName["x0.proof"]?["status"] as? String == "valid" && byName["x0.proof"]?["valid"] as? Bool == true)
        #expect(byName["x1.proof"]?["status"] as? String == "malformed")
        #expect(byName["x2.proof"]?["status"] as? String == "invalid" || byName["x2.proof"]?["status"] as? String == "malformed")
        #expect(byName["zz-garbage.bin"]?["status"] as? String == "malformed" && byName["zz-garbage.bin"]?["key_fingerprint"] is NSNull)
        let summary = try #require(lines.last?["summary"] as? [String: Any])
        #expect(summary["proofs"] as? Int == 6 && summary["valid"] as? Int == 3)
        #expect((summary["invalid"] as! Int) + (summary["malformed"] as! Int) == 3)
        let perKey = summary["keys"] as! [[String: Any]]
        let fingerprint = byName["x0.proof"]!["key_fingerprint"] as! String
        let ours = try #require(perKey.first { $0["key_fingerprint"] as? String == fingerprint })
        #expect(ours["valid"] as? Int == 3 && ours["model_sha256"] is String)
        #expect(perKey.contains { $0["key_fingerprint"] is NSNull && $0["malformed"] as? Int == 2 }, "undecodable files (the truncated proof, the stray file) have no key")

        // Human output: the summary per key on stderr.
        r = try Tools.run(Tools.zkverify, ["batch", dir.path("p"), "--vk", keys.vk, "--allow-dev-srs"], in: dir)
        #expect(r.code == 1 && r.err.contains("3 of 6 valid") && r.err.contains("key \(fingerprint): 3 valid"), "\(r.err)")
        #expect(r.out.contains("invalid: \(dir.path("p/x1.proof"))"))

        // A list file, streamed: one path per line, comments and blank lines skipped.
        try FileManager.default.copyItem(atPath: keys.vk, toPath: dir.path("model.vk"))
        let list = try dir.write("list.txt", "# proofs\n\(dir.path("p/x0.proof"))\n\n  \(dir.path("p/x3.proof"))\n\(dir.path("model.vk"))\n")
        r = try Tools.run(Tools.zkverify, ["batch", list, "--allow-dev-srs", "--batch-size", "1"], in: dir)
        #expect(r.code == 0 && r.err.contains("2 of 2 valid"), "\(r.err)")
    }
}
