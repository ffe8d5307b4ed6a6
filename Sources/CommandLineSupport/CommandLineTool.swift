#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry point for an executable: parses, runs, maps errors to exit codes and one line on stderr.
public enum CommandLineTool {
    /// Runs `root` with `arguments` (without the program name) and returns the exit code.
    public static func run(_ root: Command, arguments: [String]) -> ExitCode {
        do {
            switch try ArgumentParser.parse(arguments, root: root) {
            case .help(let command, let path):
                Console.out(HelpText.render(command, path: path))
                return .success
            case .run(let command, let invocation):
                guard let action = command.action else { return .usage }
                try action(invocation)
                return .success
            }
        } catch let failure as CommandFailure {
            Console.err("\(root.name): \(failure.message)")
            return failure.exitCode
        } catch {
            // Library errors are typed with their context; anything reaching here is malformed input.
            Console.err("\(root.name): \(oneLine(String(describing: error)))")
            return .usage
        }
    }

    /// Runs with the process arguments and exits.
    public static func main(_ root: Command) -> Never {
        let code = run(root, arguments: Array(CommandLine.arguments.dropFirst()))
        exit(code.rawValue)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
