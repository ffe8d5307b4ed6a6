import CircuitCompiler
import DirectInference
import Parallelism
import PlonkProver
import Quantization
import SystemSupport

/// `zkinfer prove-batch`'s engine: one loaded circuit and proving key, `jobs` workers taking inputs from one
/// stream and writing `<out>/<name>.proof` atomically. An input whose proof already exists is skipped
/// (resume); a bad input fails alone, by name, and the others go on.
///
/// With more than one job each proof runs on one thread (`Parallel.threadCount = 1`): a small proof's
/// kernels are too short to split well, so whole proofs side by side use the cores best; with one job the
/// proof's kernels use every thread, as `zkinfer prove` does.
public final class BatchProver: @unchecked Sendable {
    public enum Status: Sendable, Equatable {
        case proved
        /// The proof file already existed: not proved again.
        case skipped
        case failed(String)
    }

    public struct Outcome: Sendable {
        public let name: String
        public let source: String
        public let proofPath: String
        public let status: Status
        /// Reading, witness and proving (0 when skipped).
        public let seconds: Double
    }

    public let model: QuantizedModel
    public let compiled: CompiledCircuit
    public let key: ProvingKey
    public let outDirectory: String
    public let jobs: Int

    public init(model: QuantizedModel, compiled: CompiledCircuit, key: ProvingKey, outDirectory: String, jobs: Int) {
        self.model = model
        self.compiled = compiled
        self.key = key
        self.outDirectory = outDirectory
        self.jobs = max(1, jobs)
    }

    /// Proves every input of `inputs`. `report` is called once per input, serialized (under a lock), in the
    /// order inputs finish. Returns the I/O error that stopped the input stream early, if any.
    public func run(_ inputs: BatchInputStream, report: @escaping (Outcome) -> Void) -> Error? {
        let lock = Mutex()
        final class Stop: @unchecked Sendable { var error: Error? }
        let stop = Stop()
        let savedThreads = Parallel.threadCount
        if jobs > 1 { Parallel.threadCount = 1 }
        defer { Parallel.threadCount = savedThreads }
        let tagPrefix = "\(FileSystem.processID)"
        WorkerThreads.run(count: jobs) { worker in
            while true {
                let next: BatchInput?? = lock.withLock {
                    guard stop.error == nil else { return nil }
                    do { return .some(try inputs.next()) } catch {
                        stop.error = error
                        return nil
                    }
                }
                guard let taken = next, let input = taken else { return }
                let outcome = self.prove(input, tag: "\(tagPrefix)-\(worker)")
                lock.withLock { report(outcome) }
            }
        }
        return stop.error
    }

    /// One input: skipped if its proof exists, else read, parsed, proved and written atomically.
    func prove(_ input: BatchInput, tag: String) -> Outcome {
        let proofPath = FileSystem.join(outDirectory, input.name + ".proof")
        if FileSystem.exists(proofPath) {
            return Outcome(name: input.name, source: input.source, proofPath: proofPath, status: .skipped, seconds: 0)
        }
        let clock = ContinuousClock()
        let start = clock.now
        func done(_ status: Status) -> Outcome {
            Outcome(name: input.name, source: input.source, proofPath: proofPath, status: status, seconds: (clock.now - start).seconds)
        }
        let bytes: [UInt8]
        switch input.load() {
        case .success(let b): bytes = b
        case .failure(let error): return done(.failed(error.reason))
        }
        do {
            let samples = try InputFile.parse(bytes, graph: model.graph)
            guard samples.count == 1 else { return done(.failed("holds \(samples.count) samples; each input must be one")) }
            let result = try Pipeline.prove(model: model, compiled: compiled, key: key, input: samples[0])
            try FileSystem.writeAtomically(result.proof.encoded, to: proofPath, tag: tag)
            return done(.proved)
        } catch {
            return done(.failed(Self.oneLine("\(error)")))
        }
    }

    static func oneLine(_ text: String) -> String { text.split(whereSeparator: \.isNewline).joined(separator: " ") }
}
