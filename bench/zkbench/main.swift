import CommandLineSupport

let root = Command(
    name: "zkbench",
    summary: "ZKInfer benchmarks (release builds only; figures are ns/op unless named otherwise)",
    discussion: "JSON keys are documented in bench/README.md.",
    subcommands: [
        ArithBenchmark.command,
        NTTBenchmark.command,
        MSMBenchmark.command,
        MSMSizesBenchmark.command,
        MSMTableBenchmark.command,
        SmallKernelBenchmark.command,
        KZGBenchmark.command,
        SRSBenchmark.command,
        PlonkBenchmark.command,
        LinearArgumentBenchmark.command,
        CommittedRelationBenchmark.command,
    ])

CommandLineTool.main(root)
