import Foundation
import Testing

/// `zkinfer prove-batch` (issue 18, item 1) through the binary: parallel proving, per-input names, bad inputs
/// reported by name while the rest prove, exit codes, summary.json, atomic writes and resume, shards.
@Suite(.serialized) struct ProveBatchTests {
    static func summary(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    static func entries(_ summary: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (summary["inputs"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
    }

    @Test func folderWithBadInputsProvesTheRestAndResumes() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        try dir.write("in/a01.json", try Tools.input(scaledBy: 1))
        try dir.write("in/a02.json", try Tools.input(scaledBy: -0.5))
        try dir.write("in/a03.json", try Tools.input(scaledBy: 0.25))
        try dir.write("in/bad-range.json", try Tools.input(scaledBy: 1e9))        // outside the fixed-point bound
        try dir.write("in/bad-shape.json", "{\"input_data\": [[1, 2, 3]]}")       // 3 values, the model takes 16
        try dir.write("in/bad-json.json", "{\"input_data\": [[1, 2,")             // not JSON
        try dir.write("in/notes.txt", "not an input")                           // not *.json: ignored
        let out = dir.path("proofs")
        var r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--pk", keys.pk, "--inputs", dir.path("in"), "-o", out, "--jobs", "2"], in: dir)
        #expect(r.code == 1, "\(r.err)")
        for bad in ["bad-range", "bad-shape", "bad-json"] {
            #expect(r.err.contains("failed: \(dir.path("in/\(bad).json"))"), "each bad input is named: \(r.err)")
        }
        #expect(!r.err.contains("ETA") && !r.err.contains("\u{1B}[K") && !r.err.contains(" proofs/s"), "no progress line when stderr is not a terminal: \(r.err)")
        #expect(r.out.contains("6 input(s): 3 proved, 0 skipped (proof exists), 3 failed"), "\(r.out)")
        #expect(try dir.names("proofs") == ["a01.proof", "a02.proof", "a03.proof", "summary.json"], "no temporary files are left")

        let summary = try Self.summary(dir.path("proofs/summary.json"))
        #expect(summary["proved"] as? Int == 3 && summary["failed"] as? Int == 3 && summary["total"] as? Int == 6)
        let entries = Self.entries(summary)
        #expect(entries["a02"]?["status"] as? String == "proved" && (entries["a02"]?["seconds"] as? Double ?? 0) > 0)
        #expect((entries["bad-range"]?["error"] as? String)?.contains("outside") == true || (entries["bad-range"]?["error"] as? String)?.contains("bound") == true,
                "\(entries["bad-range"] ?? [:])")
        #expect((entries["bad-shape"]?["error"] as? String)?.contains("16") == true)
        #expect(entries["bad-json"]?["status"] as? String == "failed")

        // Every proof verifies, as a batch, against the key.
        r = try Tools.run(Tools.zkverify, ["batch", out, "--vk", keys.vk, "--allow-dev-srs"], in: dir)
        #expect(r.code == 0 && r.err.contains("3 of 3 valid"), "\(r.out)\(r.err)")

        // Resume: with the bad inputs fixed, a rerun proves only them; existing proofs are not proved again
        // (proofs are randomized, so an unchanged file was not re-proved).
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.path("proofs/a01.proof")))
        try FileManager.default.removeItem(atPath: dir.path("in/bad-range.json"))
        try FileManager.default.removeItem(atPath: dir.path("in/bad-shape.json"))
        try dir.write("in/bad-json.json", try Tools.input(scaledBy: 0.5))
        r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--pk", keys.pk, "--inputs", dir.path("in"), "--out", out, "--json"], in: dir)
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("\"proved\":1") && r.out.contains("\"skipped\":3") && r.out.contains("\"failed\":0"), "\(r.out)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("proofs/a01.proof"))) == before)
        let resumed = Self.entries(try Self.summary(dir.path("proofs/summary.json")))
        #expect(resumed["a01"]?["status"] as? String == "skipped" && resumed["bad-json"]?["status"] as? String == "proved")
    }

    /// `--shard i/N` over a JSON Lines file: the shards' proofs are disjoint, cover every line, are named by
    /// line number, and each shard writes its own summary.
    @Test func jsonLinesShardsAreDisjointAndCoverEveryLine() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        var lines: [String] = []
        for k in 0..<5 { lines.append(try Tools.input(scaledBy: 1 - 0.3 * Double(k))) }
        lines.insert("", at: 2)  // a blank line is not an input (line numbers still count it)
        let jsonl = try dir.write("batch.jsonl", lines.joined(separator: "\n") + "\n")
        var seen: [String] = []
        for i in 0..<3 {
            let r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--pk", keys.pk, "--inputs", jsonl, "-o", dir.path("out"),
                                                  "--shard", "\(i)/3", "--jobs", "1"], in: dir)
            #expect(r.code == 0, "\(r.err)")
            let summary = try Self.summary(dir.path("out/summary-\(i)of3.json"))
            #expect(summary["shard"] as? String == "\(i)/3")
            let names = Self.entries(summary).keys.sorted()
            #expect(Set(names).isDisjoint(with: seen))
            seen += names
        }
        #expect(seen.sorted() == ["batch-000001", "batch-000002", "batch-000004", "batch-000005", "batch-000006"])
        let r = try Tools.run(Tools.zkverify, ["batch", dir.path("out"), "--vk", keys.vk, "--allow-dev-srs"], in: dir)
        #expect(r.code == 0 && r.err.contains("5 of 5 valid"), "\(r.err)")
    }

    @Test func usageErrorsExitTwoWithTheFix() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        let input = try dir.write("one.json", try Tools.input(scaledBy: 1))
        let base = ["prove-batch", keys.circuit, "--pk", keys.pk, "-o", dir.path("out")]
        var r = try Tools.run(Tools.zkinfer, base + ["--inputs", dir.path(""), "--shard", "3/3"], in: dir)
        #expect(r.code == 2 && r.err.contains("--shard 0/3"), "\(r.err)")
        r = try Tools.run(Tools.zkinfer, base + ["--inputs", input], in: dir)
        #expect(r.code == 2 && r.err.contains("JSON Lines"), "\(r.err)")
        r = try Tools.run(Tools.zkinfer, base + ["--inputs", dir.path("missing")], in: dir)
        #expect(r.code == 2 && r.err.contains("does not exist"))
        r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--inputs", dir.path(""), "-o", dir.path("out")], in: dir)
        #expect(r.code == 2 && r.err.contains("--pk"))
        r = try Tools.run(Tools.zkinfer, base + ["--inputs", dir.path(""), "--jobs", "0"], in: dir)
        #expect(r.code == 2)
        // A proving key of another circuit: exit 2, and the command that makes the right keys.
        let cnn = Tools.root.appendingPathComponent("circuits/cnn_small/model.onnx").path
        #expect(try Tools.run(Tools.zkinfer, ["compile", cnn, "-o", dir.path("cnn/circuit.zkc")], in: dir).code == 0)
        #expect(try Tools.run(Tools.zkinfer, ["setup", dir.path("cnn/circuit.zkc"), "--params", keys.srs, "-o", dir.path("cnn")], in: dir).code == 0)
        r = try Tools.run(Tools.zkinfer, ["prove-batch", keys.circuit, "--pk", dir.path("cnn/pk.bin"), "--inputs", dir.path(""), "-o", dir.path("out")], in: dir)
        #expect(r.code == 2 && r.err.contains("zkinfer setup \(keys.circuit) --params"), "\(r.err)")
    }

    /// On a terminal (`script` gives one) the progress line with the rate is drawn on stderr.
    @Test func progressOnlyOnATerminal() throws {
        try Tools.requireBinaries()
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else { return }
        let keys = Tools.keys
        let dir = try Scratch()
        try dir.write("in/x.json", try Tools.input(scaledBy: 1))
        let command = [Tools.zkinfer, "prove-batch", keys.circuit, "--pk", keys.pk, "--inputs", dir.path("in"), "-o", dir.path("out")].joined(separator: " ")
        let r = try Tools.run(script, ["-qec", command, "/dev/null"], in: dir)
        #expect(r.code == 0)
        #expect(r.out.contains("proofs/s") && r.out.contains("done 1/1"), "\(r.out)")
    }
}
