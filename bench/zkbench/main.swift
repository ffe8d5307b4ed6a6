import CommandLineSupport

let root = Command(
    name: "zkbench",
    summary: "ZKInfer benchmarks (figures: bench/README.md)",
    subcommands: [
        NTTBenchmark.command,
        MSMBenchmark.command,
        KZGBenchmark.command,
        SRSBenchmark.command,
    ])

CommandLineTool.main(root)
