import Testing
@testable import CommandLineSupport

struct ArgumentParserTests {
    static let leaf = Command(
        name: "run", summary: "run a model", arguments: "<model>",
        options: [.flag("float", "float path"), .value("settings", "file", "settings file")]
    ) { _ in }
    static let root = Command(name: "zkinfer", summary: "tool", subcommands: [leaf])

    @Test func parsesPositionalsOptionsAndFlags() throws {
        guard case .run(_, let invocation) = try ArgumentParser.parse(
            ["run", "m.onnx", "--settings", "s.json", "--float", "--json", "in.json"], root: Self.root)
        else { Issue.record("expected a runnable command"); return }
        #expect(invocation.positionals == ["m.onnx", "in.json"])
        #expect(invocation.value("settings") == "s.json")
        #expect(invocation.flag("float") && invocation.wantsJSON)
        guard case .run(_, let inline) = try ArgumentParser.parse(["run", "--settings=x", "--", "--odd"], root: Self.root)
        else { Issue.record("expected a runnable command"); return }
        #expect(inline.value("settings") == "x" && inline.positionals == ["--odd"])
        // A repeated option: `value` keeps the last, `allValues` all in order (e.g. zkverify --trust-srs).
        guard case .run(_, let repeated) = try ArgumentParser.parse(["run", "--settings", "a", "--settings=b"], root: Self.root)
        else { Issue.record("expected a runnable command"); return }
        #expect(repeated.value("settings") == "b" && repeated.allValues("settings") == ["a", "b"])
        #expect(repeated.allValues("float").isEmpty)
    }

    @Test func helpEverywhere() throws {
        for args in [[], ["--help"], ["run", "--help"], ["run", "-h"], ["help"]] {
            guard case .help = try ArgumentParser.parse(args, root: Self.root) else {
                Issue.record("expected help for \(args)"); continue
            }
        }
        let text = HelpText.render(Self.leaf, path: ["zkinfer", "run"])
        #expect(text.contains("--settings <file>") && text.contains("--json") && text.contains("exit codes"))
    }

    @Test func usageErrorsExitWithTwo() {
        #expect(CommandLineTool.run(Self.root, arguments: ["nope"]) == .usage)
        #expect(CommandLineTool.run(Self.root, arguments: ["run", "--bogus"]) == .usage)
        #expect(CommandLineTool.run(Self.root, arguments: ["run", "--settings"]) == .usage)
        #expect(CommandLineTool.run(Self.root, arguments: ["run", "--float=1"]) == .usage)
        #expect(CommandLineTool.run(Self.root, arguments: ["run", "x"]) == .success)
    }

    @Test func failuresMapToExitCodes() {
        let rejecting = Command(name: "zkverify", summary: "", subcommands: [
            Command(name: "no", summary: "") { _ in throw CommandFailure.rejected("invalid proof") },
            Command(name: "bad", summary: "") { _ in throw CommandFailure.malformedInput("truncated") },
            Command(name: "num", summary: "", options: [.value("k", "n", "")]) { inv in
                _ = try inv.integer("k", default: 1, in: 1...10)
            },
        ])
        #expect(CommandLineTool.run(rejecting, arguments: ["no"]) == .rejected)
        #expect(CommandLineTool.run(rejecting, arguments: ["bad"]) == .usage)
        #expect(CommandLineTool.run(rejecting, arguments: ["num", "--k", "11"]) == .usage)
        #expect(CommandLineTool.run(rejecting, arguments: ["num", "--k", "3"]) == .success)
    }

    @Test func jsonRendering() {
        let value = JSONValue.object([("a", .int(1)), ("b", .array([.string("x\"\n"), .bool(true), .null]))])
        #expect(value.rendered() == #"{"a":1,"b":["x\"\n",true,null]}"#)
    }
}
