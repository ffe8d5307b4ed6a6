import CommandLineSupport

let root = Command(
    name: "zkinfer",
    summary: "verifiable inference: run, compile and prove fixed-point neural networks",
    examples: [
        "zkinfer compile circuits/mlp_tiny/model.onnx -o out/circuit.zkc",
        "zkinfer params dev --log2 8 -o params/dev-k8.srs",
        "zkinfer setup out/circuit.zkc --params params/dev-k8.srs -o out/",
        "zkinfer prove out/circuit.zkc --pk out/pk.bin circuits/mlp_tiny/input.json -o out/proof.bin",
    ],
    subcommands: [
        VersionCommand.command,
        SelfCheckCommand.command,
        CheckCommand.command,
        OperatorsCommand.command,
        RunCommand.command,
        CalibrateCommand.command,
        StatsCommand.command,
        CompileCommand.command,
        SetupCommand.command,
        VerifyKeyCommand.command,
        ProveCommand.command,
        ProveBatchCommand.command,
        ParamsCommand.command,
    ])

CommandLineTool.main(root)
