import CommandLineSupport

enum VersionCommand {
    static let command = Command(name: "version", summary: "print the toolkit version", examples: ["zkinfer version --json"]) { invocation in
        if invocation.wantsJSON {
            Console.out(JSONValue.object([("version", .string(ZKInferVersion.string))]).rendered())
        } else {
            Console.out("zkinfer \(ZKInferVersion.string)")
        }
    }
}
