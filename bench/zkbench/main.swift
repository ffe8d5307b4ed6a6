import CommandLineSupport

let root = Command(
    name: "zkbench",
    summary: "ZKInfer benchmarks (figures: bench/README.md)",
    subcommands: [
        NTTBenchmark.command,
        MSMBenchmark.command,
    ])

CommandLineTool.main(root)
