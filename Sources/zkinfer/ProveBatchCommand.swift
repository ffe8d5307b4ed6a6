import CircuitCompiler
import CommandLineSupport
import PlonkProver
import SystemSupport
import ZKInferKit

/// `zkinfer prove-batch circuit.zkc --pk pk.bin --inputs <folder | file.jsonl> -o <folder> [--jobs N]
/// [--shard i/N]`: many proofs with the circuit and key loaded once (see `BatchProver`, `BatchInputStream`).
/// Exit 0: every input of the shard has its proof (proved now or before); 1: some input failed (each named
/// on stderr and in summary.json); 2: usage, or the circuit, key or input source cannot be used at all.
enum ProveBatchCommand {
    static let command = Command(
        name: "prove-batch", summary: "prove many inputs with one loaded key, in parallel (resumable, shardable)",
        arguments: "<circuit.zkc>",
        options: [
            .value("pk", "PATH", "proving key (from `zkinfer setup`)"),
            .value("inputs", "PATH", "a folder of *.json inputs, or a JSON Lines file (one input per line)"),
            CommonOptions.out("folder for the proofs (<name>.proof) and summary.json"),
            .value("jobs", "N", "proofs in parallel (default: the CPUs this process may use)", short: "j"),
            .value("shard", "i/N", "prove only inputs at positions p with p mod N = i (0 ≤ i < N); the N shards are disjoint and cover all"),
        ],
        discussion: """
            Each proof is named after its input: x01.json → x01.proof; line L of batch.jsonl → batch-00000L.proof. \
            Proofs are written atomically (a hidden temporary file, then a rename), and an input whose proof already \
            exists is skipped, so an interrupted run resumes where it stopped. A bad input (unreadable, wrong shape, out \
            of range) is reported by name and the others still prove. summary.json (summary-<i>of<N>.json with --shard) \
            lists every input's status, seconds and error. Progress and ETA are shown when stderr is a terminal.
            Then verify them all: zkverify batch proofs/ --vk out/vk.bin --trust-srs <identity>
            """,
        examples: [
            "zkinfer prove-batch out/circuit.zkc --pk out/pk.bin --inputs inputs/ -o proofs/ --jobs 2",
            "zkinfer prove-batch out/circuit.zkc --pk out/pk.bin --inputs inputs.jsonl -o proofs/ --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT",
        ]
    ) { invocation in
        let circuitPath = try invocation.positional(0, "circuit.zkc")
        let pkPath = try invocation.requiredValue("pk")
        let inputsPath = try invocation.requiredValue("inputs")
        let out = try invocation.requiredValue("out")
        var jobs = try invocation.integer("jobs", default: availableCPUs(), in: 1...1024)
        var shard = Shard.whole
        if let text = invocation.value("shard") {
            guard let parsed = Shard(text) else {
                throw CommandFailure.usage("--shard expects i/N with 0 ≤ i < N, got '\(text)' (e.g. --shard 0/3 … --shard 2/3; in a Slurm array: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-2)")
            }
            shard = parsed
        }
        let clock = ContinuousClock()
        let start = clock.now

        let loaded = try LoadedProver(circuitPath: circuitPath, pkPath: pkPath)
        let (key, model, compiled) = (loaded.key, loaded.model, loaded.compiled)
        if let available = Pipeline.availableMemory() {
            let fitting = available / max(1, loaded.estimatedPeakBytes)
            guard fitting >= 1 else {
                throw CommandFailure.rejected(PipelineError.insufficientMemory(needed: loaded.estimatedPeakBytes, available: available).description)
            }
            if fitting < jobs {
                Console.err("note: \(jobs) jobs would need about \((loaded.estimatedPeakBytes * jobs) >> 20) MB; running \(fitting)")
                jobs = fitting
            }
        }
        let inputs: BatchInputStream
        do { inputs = try BatchInputStream(path: inputsPath, shard: shard) } catch let error as BatchInputError {
            throw CommandFailure.usage("--inputs: \(error)")
        }
        do { try FileSystem.createDirectory(out) } catch {
            throw CommandFailure.usage("cannot create '\(out)': \(error)")
        }
        let loadSeconds = (clock.now - start).seconds

        let summaryName = shard == .whole ? "summary.json" : "summary-\(shard.index)of\(shard.count).json"
        let summary = try BatchSummaryWriter(path: FileSystem.join(out, summaryName), header: [
            ("tool", .string("zkinfer prove-batch")), ("version", .string(ZKInferVersion.string)),
            ("circuit", .string(circuitPath)), ("proving_key", .string(pkPath)),
            ("key_fingerprint", .string(key.verifyingKey.fingerprintHex)), ("inputs_source", .string(inputsPath)),
            ("shard", shard == .whole ? .null : .string(shard.description)), ("jobs", .int(jobs)),
            ("load_seconds", .double(BatchSummaryWriter.rounded(loadSeconds))),
        ])
        let progressEnabled = Console.stderrIsTerminal && !invocation.wantsJSON
        let progress = BatchProgress(enabled: progressEnabled, total: progressEnabled ? (try? inputs.countInShard()) : nil)
        let batchStart = clock.now
        let prover = BatchProver(model: model, compiled: compiled, key: key, outDirectory: out, jobs: jobs)
        let streamError = prover.run(inputs) { outcome in
            summary.append(outcome)
            if case .failed(let message) = outcome.status { progress.message("failed: \(outcome.source): \(message)") }
            progress.update(summary)
        }
        let seconds = (clock.now - batchStart).seconds
        progress.update(summary, force: true)
        progress.end()
        let stopped = streamError.map { "reading \(inputsPath) failed after \(summary.total) inputs: \($0)" }
        let totals = try summary.finish(seconds: seconds, stoppedBy: stopped)

        if invocation.wantsJSON {
            Console.out(JSONValue.object([("summary", .string(summary.path)), ("load_seconds", .double(BatchSummaryWriter.rounded(loadSeconds)))] + totals).rendered())
        } else {
            let rate = seconds > 0 ? TextFormatting.fixed(Double(summary.proved) / seconds, decimals: 1) : "–"
            Console.out("\(summary.total) input(s)\(shard == .whole ? "" : " in shard \(shard)"): \(summary.proved) proved, "
                        + "\(summary.skipped) skipped (proof exists), \(summary.failed) failed in \(formatSeconds(seconds)) "
                        + "(\(rate) proofs/s, \(jobs) job\(jobs == 1 ? "" : "s"); key loaded in \(formatSeconds(loadSeconds)))")
            Console.out("summary: \(summary.path)")
        }
        if let stopped { throw CommandFailure.rejected(stopped) }
        if summary.failed > 0 {
            throw CommandFailure.rejected("\(summary.failed) of \(summary.total) input(s) failed (named above and in \(summary.path)); fix them and run the same command again: proved inputs are skipped")
        }
    }
}
