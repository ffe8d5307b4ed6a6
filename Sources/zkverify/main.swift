import CommandLineSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `zkverify --vk … --proof …` verifies one proof; `zkverify batch …` many; `zkverify show …` prints a
// proof file as JSON. The first word picks the command, so the common case needs no subcommand.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "batch": exit(CommandLineTool.run(BatchCommand.command, arguments: Array(arguments.dropFirst())).rawValue)
case "show": exit(CommandLineTool.run(ShowCommand.command, arguments: Array(arguments.dropFirst())).rawValue)
default: CommandLineTool.main(VerifyCommand.command)
}
