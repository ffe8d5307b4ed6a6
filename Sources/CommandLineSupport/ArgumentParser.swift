/// Hand-written parser: `--name value`, `--name=value`, flags, `--` ends options.
enum ArgumentParser {
    enum Outcome {
        case run(Command, Invocation)
        case help(Command, path: [String])
    }

    static func parse(_ arguments: [String], root: Command) throws -> Outcome {
        var command = root
        var path = [root.name]
        var remaining = arguments[...]

        // Descend through command groups.
        while !command.subcommands.isEmpty {
            guard let word = remaining.first else { return .help(command, path: path) }
            if word == "--help" || word == "-h" || word == "help" { return .help(command, path: path) }
            guard let next = command.subcommands.first(where: { $0.name == word }) else {
                let known = command.subcommands.map(\.name).joined(separator: ", ")
                throw CommandFailure.usage("unknown command '\(word)' for '\(path.joined(separator: " "))' (commands: \(known))")
            }
            remaining = remaining.dropFirst()
            command = next
            path.append(word)
        }

        var positionals: [String] = []
        var values: [String: String] = [:]
        var repeated: [String: [String]] = [:]
        var flags: Set<String> = []
        var optionsEnded = false
        while let word = remaining.popFirst() {
            if optionsEnded || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                continue
            }
            if word == "--" { optionsEnded = true; continue }
            if word == "-h" { return .help(command, path: path) }
            if !word.hasPrefix("--"), word.count == 2,
               let spec = command.allOptions.first(where: { $0.short == word.last }) {
                // One-letter alias of an option (e.g. `-o file`).
                if spec.takesValue {
                    guard let value = remaining.popFirst() else { throw CommandFailure.usage("option \(word) needs a value") }
                    values[spec.name] = value
                    repeated[spec.name, default: []].append(value)
                } else {
                    flags.insert(spec.name)
                }
                continue
            }
            guard word.hasPrefix("--") else {
                throw CommandFailure.usage("unknown option '\(word)' for '\(path.joined(separator: " "))'; see --help")
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = command.allOptions.first(where: { $0.name == name }) else {
                throw CommandFailure.usage("unknown option '--\(name)' for '\(path.joined(separator: " "))'; see --help")
            }
            if spec.takesValue {
                guard let value = inlineValue ?? remaining.popFirst() else {
                    throw CommandFailure.usage("option --\(name) needs a value")
                }
                values[name] = value
                repeated[name, default: []].append(value)
            } else {
                if inlineValue != nil { throw CommandFailure.usage("option --\(name) takes no value") }
                if name == "help" { return .help(command, path: path) }
                flags.insert(name)
            }
        }
        return .run(command, Invocation(
            commandPath: path, positionals: positionals, values: values, flags: flags, repeatedValues: repeated))
    }
}
