import Foundation
import Testing

/// Long steps show progress on a terminal (issue 15, item 6) and print nothing extra with `--json` or when
/// stderr is not a terminal. The terminal is a pseudo-terminal from script(1).
struct StepProgressTests {
    static let script = "/usr/bin/script"

    func onTerminal(_ arguments: [String], in dir: Scratch) throws -> Tools.Result {
        let command = ([Tools.zkinfer] + arguments).joined(separator: " ")
        return try Tools.run(Self.script, ["-qec", command, "/dev/null"], in: dir)
    }

    @Test func proveShowsItsPartsOnATerminal() throws {
        try Tools.requireBinaries()
        guard FileManager.default.isExecutableFile(atPath: Self.script) else { return }
        let keys = Tools.keys, dir = try Scratch()
        let r = try onTerminal(["prove", keys.circuit, "--pk", keys.pk, Tools.input, "-o", dir.path("p.proof")], in: dir)
        #expect(r.code == 0)
        // The first part of each step is always drawn: the witness's layers, then the prover's rounds.
        #expect(r.out.contains("… inference: layer"), "\(r.out)")
        #expect(r.out.contains("… prove: witness phase"), "\(r.out)")
        // Each drawn line is cleared once its step is done, before the tool's own output.
        #expect(r.out.contains("\u{1B}[K"))
    }

    @Test func nothingExtraWithJSONOrWithoutATerminal() throws {
        try Tools.requireBinaries()
        let keys = Tools.keys, dir = try Scratch()
        let plain = try Tools.run(Tools.zkinfer, ["prove", keys.circuit, "--pk", keys.pk, Tools.input, "-o", dir.path("a.proof")], in: dir)
        #expect(plain.code == 0)
        #expect(!plain.err.contains("…") && !plain.err.contains("\u{1B}"), "\(plain.err)")
        guard FileManager.default.isExecutableFile(atPath: Self.script) else { return }
        let json = try onTerminal(["prove", keys.circuit, "--pk", keys.pk, Tools.input, "-o", dir.path("b.proof"), "--json"], in: dir)
        #expect(json.code == 0)
        #expect(!json.out.contains("…") && !json.out.contains("\u{1B}"), "\(json.out)")
    }
}
