/// Renders `--help` for a command or a command group.
enum HelpText {
    static func render(_ command: Command, path: [String]) -> String {
        var lines: [String] = []
        let invocation = path.joined(separator: " ")
        lines.append("\(invocation) — \(command.summary)")
        lines.append("")
        if command.subcommands.isEmpty {
            let args = command.arguments.isEmpty ? "" : " \(command.arguments)"
            lines.append("usage: \(invocation)\(args) [options]")
            lines.append("")
            lines.append("options:")
            let width = command.allOptions.map { $0.synopsis.count }.max() ?? 0
            for option in command.allOptions {
                lines.append("  \(option.synopsis.padding(toLength: width, withPad: " ", startingAt: 0))  \(option.help)")
            }
        } else {
            lines.append("usage: \(invocation) <command> [options]")
            lines.append("")
            lines.append("commands:")
            let width = command.subcommands.map { $0.name.count }.max() ?? 0
            for sub in command.subcommands {
                lines.append("  \(sub.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(sub.summary)")
            }
            lines.append("")
            lines.append("Run '\(invocation) <command> --help' for a command's options.")
        }
        if !command.discussion.isEmpty {
            lines.append("")
            lines.append(command.discussion)
        }
        if !command.examples.isEmpty {
            lines.append("")
            lines.append(command.examples.count == 1 ? "example:" : "examples:")
            for example in command.examples { lines.append("  \(example)") }
        }
        lines.append("")
        lines.append("exit codes: 0 success, 1 rejected (e.g. invalid proof), 2 usage or malformed input")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(toLength length: Int, withPad pad: String, startingAt _: Int) -> String {
        count >= length ? self : self + String(repeating: pad, count: length - count)
    }
}
