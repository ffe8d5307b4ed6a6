import Testing
@testable import CommandLineSupport

struct ShortOptionTests {
    static let leaf = Command(
        name: "calibrate", summary: "calibrate", arguments: "<model>",
        options: [.value("output", "file", "where to write", short: "o"), .flag("float", "float path")]
    ) { _ in }
    static let root = Command(name: "zkinfer", summary: "tool", subcommands: [leaf])

    @Test func oneLetterAliasTakesAValue() throws {
        guard case .run(_, let invocation) = try ArgumentParser.parse(["calibrate", "m.onnx", "-o", "s.json"], root: Self.root)
        else { Issue.record("expected a runnable command"); return }
        #expect(invocation.value("output") == "s.json" && invocation.positionals == ["m.onnx"])
        #expect(throws: CommandFailure.self) { try ArgumentParser.parse(["calibrate", "-o"], root: Self.root) }
        #expect(throws: CommandFailure.self) { try ArgumentParser.parse(["calibrate", "-x", "1"], root: Self.root) }
        #expect(HelpText.render(Self.leaf, path: ["zkinfer", "calibrate"]).contains("-o, --output <file>"))
    }
}
