/// A command or a group of subcommands. Groups dispatch on their first positional argument.
public struct Command: Sendable {
    public typealias Action = @Sendable (Invocation) throws -> Void

    public let name: String
    public let summary: String
    /// Positional argument synopsis shown in help, e.g. `<model.onnx> <input.json>`.
    public let arguments: String
    public let options: [OptionSpec]
    public let subcommands: [Command]
    public let discussion: String
    /// Complete command lines shown under "examples:" in `--help` (every runnable command has at least one).
    public let examples: [String]
    let action: Action?

    public init(
        name: String, summary: String, arguments: String = "", options: [OptionSpec] = [],
        discussion: String = "", examples: [String] = [], action: @escaping Action
    ) {
        self.name = name
        self.summary = summary
        self.arguments = arguments
        self.options = options
        self.subcommands = []
        self.discussion = discussion
        self.examples = examples
        self.action = action
    }

    public init(name: String, summary: String, discussion: String = "", examples: [String] = [], subcommands: [Command]) {
        self.name = name
        self.summary = summary
        self.arguments = ""
        self.options = []
        self.subcommands = subcommands
        self.discussion = discussion
        self.examples = examples
        self.action = nil
    }

    var allOptions: [OptionSpec] { options + [CommonOptions.json, CommonOptions.help] }
}
