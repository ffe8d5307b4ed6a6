import CircuitCompiler
import CommandLineSupport
import ZKInferKit
import SystemSupport

/// `zkinfer compile model.onnx -o out/circuit.zkc`: the model as a circuit file (the model, settings and
/// resolved layout; deterministic: the same model and settings give the same bytes).
enum CompileCommand {
    static let command = Command(
        name: "compile", summary: "compile a model into a circuit file (.zkc)", arguments: "<model.onnx>",
        options: CompilerCommandSupport.options + [CommonOptions.out("circuit file to write (e.g. out/circuit.zkc)"),
                                                   CompilerCommandSupport.maxMemory],
        examples: ["zkinfer compile circuits/mlp_tiny/model.onnx -o out/circuit.zkc",
                   "zkinfer compile model.onnx --settings settings.json --private-input -o out/circuit.zkc"]
    ) { invocation in
        let progress = TerminalProgress.install(for: invocation)
        defer { progress?.finish() }
        let path = try invocation.positional(0, "model.onnx")
        let out = try invocation.requiredValue("out")
        // External data is inlined: the circuit file holds (and hashes) the whole model.
        let onnx = try ModelCommandSupport.selfContainedModel(path)
        let imported = try ModelCommandSupport.importModel(onnx, path: path)  // import errors listed the same way as `check`
        let settings = try ModelCommandSupport.loadSettings(invocation)
        let options = try CompilerCommandSupport.compileOptions(invocation)
        // The plan and layout alone (what `stats` computes, quickly): refuse a compile that cannot fit in memory.
        let estimate = try CompilerCommandSupport.mapErrors { () -> ModelStatistics in
            let (plan, layout) = try CircuitLayout.choose(graph: imported.graph, settings: settings, options: options)
            return ModelStatistics(plan: plan, layout: layout)
        }
        try CompilerCommandSupport.requireMemory([("compile", estimate.estimatedCompilePeakBytes),
                                                  (CompilerCommandSupport.proving, estimate.estimatedProverPeakBytes)], invocation)
        // The key's size: exact but for the SRS origin's text, which setup adds (tens of bytes).
        let (file, compiled, keyBytes) = try CompilerCommandSupport.mapErrors {
            try Steps.timed("compile") { try CircuitFile.compileSizingKey(onnx: onnx, settings: settings, options: options) }
        }
        try Files.write(file.encoded, to: out)
        let stats = ModelStatistics(compiled: compiled)
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("circuit", .string(out)), ("model_sha256", .string(file.header.modelSHA256)),
                ("log2_rows", .int(stats.log2Rows)), ("lane_rows", .int(stats.laneRows)),
                ("lanes_per_row", .int(stats.lanesPerRow)), ("public_input", .bool(options.publicInput)),
                ("proof_bytes", .int(stats.proofBytes)), ("verifying_key_bytes", .int(keyBytes)),
            ]).rendered())
        } else {
            Console.out("\(out): 2^\(stats.log2Rows) rows (\(stats.laneRows) lane rows), \(stats.adviceColumns) advice columns, "
                        + "\(stats.lookupArguments) lookups, proof \(stats.proofBytes) bytes, verifying key ~\(keyBytes) bytes; "
                        + "input \(options.publicInput ? "public" : "private")")
        }
    }
}

/// File helpers for the pipeline commands: one-line errors, parent directories created.
enum Files {
    static func read(_ path: String, what: String, limit: Int = Int.max) throws -> [UInt8] {
        do { return try FileSystem.read(path, limit: limit) } catch let error as FileSystem.Failure {
            throw CommandFailure.malformedInput("cannot read \(what) '\(path)': \(error.reason)")
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do { try FileSystem.write(bytes, to: path) } catch {
            throw CommandFailure.usage("cannot write \(error)")
        }
    }

    static func circuit(_ path: String) throws -> CircuitFile {
        try circuit(try read(path, what: "circuit file"), path: path)
    }

    /// A circuit file already read from `path`.
    static func circuit(_ bytes: [UInt8], path: String) throws -> CircuitFile {
        do { return try CircuitFile.decode(bytes) } catch let error as PipelineError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }
}

enum Steps {
    /// Runs `body` and reports its duration on stderr when it took over a second — only while progress is
    /// drawn (stderr a terminal, no `--json`: `TerminalProgress`), so pipelines and logs see nothing extra.
    static func timed<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let seconds = (clock.now - start).seconds
        if seconds > 1 && StepProgress.sink != nil { Console.err("… \(label): \(formatSeconds(seconds))") }
        return result
    }
}
