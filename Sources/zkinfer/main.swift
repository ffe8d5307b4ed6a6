import CommandLineSupport

let root = Command(
    name: "zkinfer",
    summary: "verifiable inference: run, compile and prove fixed-point neural networks",
    subcommands: [
        VersionCommand.command,
        SelfCheckCommand.command,
        CheckCommand.command,
        RunCommand.command,
        CalibrateCommand.command,
        StatsCommand.command,
        CompileCommand.command,
        SetupCommand.command,
        VerifyKeyCommand.command,
        ProveCommand.command,
        ParamsCommand.command,
    ])

CommandLineTool.main(root)
