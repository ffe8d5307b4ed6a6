import Foundation
import Testing

/// One consistent command line (issue 18, item 7): every command's --help has an example, -o/--out means the
/// output on every command that writes one, and an error with a fix prints the command to run. And
/// `zkinfer stats --html` (item 8) writes one self-contained page.
@Suite(.serialized) struct CommandLineTests {
    /// The subcommand names a group's --help lists.
    static func subcommands(_ help: String) -> [String] {
        guard let start = help.range(of: "commands:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") }.map { String($0.split(separator: " ")[0]) }
    }

    @Test func everyHelpHasAnExample() throws {
        try Tools.requireBinaries()
        var checked: [String] = []
        func check(_ binary: String, _ path: [String]) throws {
            let r = try Tools.run(binary, path + ["--help"])
            #expect(r.code == 0)
            #expect(r.out.contains("example:") || r.out.contains("examples:"), "\(path) --help has no example")
            checked.append(path.joined(separator: " "))
            for sub in Self.subcommands(r.out) { try check(binary, path + [sub]) }
        }
        try check(Tools.zkinfer, [])
        try check(Tools.zkverify, [])
        try check(Tools.zkverify, ["batch"])
        try check(Tools.zkverify, ["show"])
        for expected in ["prove-batch", "params dev", "params truncate", "compile", "stats", "verify-key", "batch"] {
            #expect(checked.contains(expected), "\(expected) in \(checked)")
        }
    }

    @Test func outputOptionIsTheSameEverywhere() throws {
        try Tools.requireBinaries()
        for path in [["compile"], ["setup"], ["prove"], ["prove-batch"], ["calibrate"], ["params", "dev"], ["params", "truncate"],
                     ["params", "import-ptau"], ["params", "import-halo2"]] {
            let r = try Tools.run(Tools.zkinfer, path + ["--help"])
            #expect(r.out.contains("-o, --out <"), "\(path): \(r.out)")
        }
        let dir = try Scratch()
        let r = try Tools.run(Tools.zkinfer, ["params", "dev", "--log2", "3", "-o", dir.path("tiny.srs")], in: dir)
        #expect(r.code == 0 && FileManager.default.fileExists(atPath: dir.path("tiny.srs")))
    }

    /// compile reports the verifying key's size before any SRS exists (the size by which it keeps keys within
    /// 64 KiB): what setup then writes, up to the SRS origin's text, which only setup knows.
    @Test func compileReportsTheKeySizeSetupWrites() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        let r = try Tools.run(Tools.zkinfer, ["compile", Tools.model, "-o", dir.path("c.zkc"), "--json"], in: dir)
        #expect(r.code == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let reported = try #require((json["verifying_key_bytes"] as? NSNumber)?.intValue)
        let written = try #require((try FileManager.default.attributesOfItem(atPath: keys.vk)[.size] as? NSNumber)?.intValue)
        #expect(reported > 1000 && written >= reported && written - reported < 256, "reported \(reported), written \(written)")
    }

    /// stats shows the circuit compile builds, key size included, also where the 64 KiB key rule (docs/protocol.md
    /// §19.9) may make compile choose a taller circuit than the layout chooser (compiler 8: transformer_encoder 2^15, not 2^14);
    /// on the circuit file it shows the same.
    @Test func statsShowsTheCircuitCompileBuilds() throws {
        try Tools.requireBinaries()
        let dir = try Scratch()
        let model = Tools.root.appendingPathComponent("circuits/seq/transformer_encoder/torchscript/model.onnx").path
        func json(_ arguments: [String]) throws -> [String: Any] {
            let r = try Tools.run(Tools.zkinfer, arguments + ["--json"], in: dir)
            #expect(r.code == 0, "\(arguments): \(r.err)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        }
        let compiled = try json(["compile", model, "-o", dir.path("c.zkc")])
        let fromModel = try #require(try json(["stats", model])["totals"] as? [String: Any])
        let fromCircuit = try #require(try json(["stats", dir.path("c.zkc")])["totals"] as? [String: Any])
        let rows = try #require(compiled["log2_rows"] as? Int), keyBytes = try #require(compiled["verifying_key_bytes"] as? Int)
        #expect(keyBytes <= 65536 - 1024)
        for totals in [fromModel, fromCircuit] {
            #expect(totals["log2Rows"] as? Int == rows)
            #expect(totals["verifyingKeyBytes"] as? Int == keyBytes)
            #expect(totals["proofBytes"] as? Int == compiled["proof_bytes"] as? Int)
        }
        let text = try Tools.run(Tools.zkinfer, ["stats", dir.path("c.zkc")], in: dir)
        #expect(text.code == 0 && text.out.contains("2^\(rows) = ") && text.out.contains("verifying key \(keyBytes) bytes"))
    }

    /// compile and setup refuse early (exit 2) when the step's estimated peak memory exceeds the memory available
    /// now or --max-memory, naming the estimate and the override; nothing is written. (A hostile Resize to
    /// [7, 65536, 7, 2] used to compile for minutes past 6.5 GB while stats predicted 13.7 GB at once.)
    @Test func compileAndSetupRefuseBeyondTheMemoryLimit() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        var r = try Tools.run(Tools.zkinfer, ["compile", Tools.model, "-o", dir.path("c.zkc"), "--max-memory", "0.001"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("compile needs about") && r.err.contains("--max-memory"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("c.zkc")))
        r = try Tools.run(Tools.zkinfer, ["setup", keys.circuit, "--params", keys.srs, "-o", dir.path("keys"), "--max-memory", "0.001"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("setup needs about") && r.err.contains("--max-memory"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("keys/pk.bin")))
        r = try Tools.run(Tools.zkinfer, ["compile", Tools.model, "-o", dir.path("c.zkc"), "--max-memory", "lots"], in: dir)
        #expect(r.code == 2 && r.err.contains("--max-memory must be"), "\(r.err)")
        // Within the limit (and by default, the machine's memory) both run.
        r = try Tools.run(Tools.zkinfer, ["compile", Tools.model, "-o", dir.path("c.zkc"), "--max-memory", "64"], in: dir)
        #expect(r.code == 0, "\(r.err)")
    }

    /// A hostile Resize (nearest, [7, 1, 7, 2] × [1, 131072, 1, 1], then Relu; 146 bytes, written with onnx.helper):
    /// `stats` estimates compile 10 GB, setup 12 GB, but proving 95 GB. compile refuses it by default (the proof's
    /// estimate exceeds the memory available now), naming the estimate and --max-memory; a --max-memory that covers the
    /// compile but not the proof still refuses, and nothing is written.
    @Test func compileRefusesACircuitTooLargeToProveByDefault() throws {
        try Tools.requireBinaries()
        let dir = try Scratch()
        let model = dir.path("resize.onnx")
        let bytes = Data(base64Encoded: "CAg6hwEKLAoBeAoACgZzY2FsZXMSAXoiBlJlc2l6ZSoSCgRtb2RlIgduZWFyZXN0oAEDCgwKAXoSAXkiBFJlbHUSAXIqHggEEAFCBnNjYWxlc0oQAACAPwAAAEgAAIA/AACAP1obCgF4EhYKFAgBEhAKAggHCgIIAQoCCAcKAggCYgkKAXkSBAoCCAFCBAoAEA0=")!
        try bytes.write(to: URL(fileURLWithPath: model))
        var r = try Tools.run(Tools.zkinfer, ["compile", model, "-o", dir.path("c.zkc"), "--max-memory", "12"], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("proving this circuit (`zkinfer prove`) needs about") && r.err.contains("--max-memory 9"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("c.zkc")))
        // By default (unless this machine has the ~95 GB available, where compiling would start for real).
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let available = meminfo.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") }
            .flatMap { Int($0.split(separator: " ")[1]) }.map { $0 * 1024 } ?? 0
        guard available < 90 << 30 else { return }
        r = try Tools.run(Tools.zkinfer, ["compile", model, "-o", dir.path("c.zkc")], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("needs about") && r.err.contains("available on this machine now") && r.err.contains("--max-memory"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("c.zkc")))
    }

    @Test func tooSmallSRSPrintsTheParamsCommand() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys
        let dir = try Scratch()
        let k = try Tools.log2Rows(ofCircuit: keys.circuit)
        var r = try Tools.run(Tools.zkinfer, ["params", "dev", "--log2", "\(k - 1)", "-o", dir.path("small.srs")], in: dir)
        #expect(r.code == 0)
        r = try Tools.run(Tools.zkinfer, ["setup", keys.circuit, "--params", dir.path("small.srs"), "-o", dir.path("keys")], in: dir)
        #expect(r.code == 2)
        #expect(r.err.contains("has 2^\(k - 1) points; the circuit needs 2^\(k)")
            && r.err.contains("zkinfer params dev --log2 \(k) -o params/dev-k\(k).srs"), "\(r.err)")
        r = try Tools.run(Tools.zkinfer, ["params", "dev"], in: dir)
        #expect(r.code == 2 && r.err.contains("zkinfer params dev --log2"))
    }

    @Test func statsHTMLIsOneSelfContainedPage() throws {
        try Tools.requireBinaries()
        let dir = try Scratch()
        let cnn = Tools.root.appendingPathComponent("circuits/cnn_small/model.onnx").path
        let r = try Tools.run(Tools.zkinfer, ["stats", cnn, "--html", dir.path("report.html"), "--json"], in: dir)
        #expect(r.code == 0)
        let html = try String(contentsOfFile: dir.path("report.html"), encoding: .utf8)
        let stats = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let layers = stats["layers"] as! [[String: Any]]
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://") && !html.contains("<link"), "no network, no script")
        for layer in layers { #expect(html.contains(layer["name"] as! String)) }
        // One bar per layer for rows, cells and lookups, each labelled with its value.
        #expect(html.components(separatedBy: "<svg width=\"230\"").count - 1 == 3 * layers.count)
        let first = layers[0]
        #expect(html.contains("aria-label=\"\(first["rows"] as! Int)\""))
        let totals = stats["totals"] as! [String: Any]
        #expect(html.contains("2<sup>\(totals["log2Rows"] as! Int)</sup>"))
        #expect(html.contains("Memory estimate per step") && html.contains("setup") && html.contains("prove") && html.contains("verify"))
    }

    /// `stats --private-weights` (docs/protocol.md §19.10): the proof 128 bytes larger and an SRS of 2^(k+1) points,
    /// in JSON and text (`PrivateWeightsTests` checks the prediction against a real private proof).
    @Test func statsAccountForPrivateWeights() throws {
        try Tools.requireBinaries()
        let dir = try Scratch()
        let tiny = Tools.root.appendingPathComponent("circuits/mlp_tiny/model.onnx").path
        func totals(_ extra: [String]) throws -> [String: Any] {
            let r = try Tools.run(Tools.zkinfer, ["stats", tiny, "--json"] + extra, in: dir)
            #expect(r.code == 0)
            let stats = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
            #expect(stats["privateWeights"] as? Bool == !extra.isEmpty)
            return stats["totals"] as! [String: Any]
        }
        let plain = try totals([]), hidden = try totals(["--private-weights"])
        #expect(hidden["proofBytes"] as! Int == (plain["proofBytes"] as! Int) + 128)
        #expect(plain["srsLog2Size"] as! Int == plain["log2Rows"] as! Int)
        #expect(hidden["srsLog2Size"] as! Int == (plain["log2Rows"] as! Int) + 1)
        let text = try Tools.run(Tools.zkinfer, ["stats", tiny, "--private-weights"], in: dir)
        #expect(text.code == 0 && text.out.contains("private weights") && text.out.contains("SRS: 2^\(hidden["srsLog2Size"] as! Int) points"))
    }
}
