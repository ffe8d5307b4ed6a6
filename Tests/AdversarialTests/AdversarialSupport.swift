import ConstraintSystem
import CryptoPrimitives
import DirectInference
import FieldArithmetic
import Foundation
import KZG
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier
@testable import ZKInferKit

/// Paths of the repository this suite runs in.
enum AdversarialPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func model(_ name: String) -> URL { root.appendingPathComponent("circuits/\(name)/model.onnx") }
    static func input(_ name: String) -> URL { root.appendingPathComponent("circuits/\(name)/input.json") }
    /// The `zkverify` executable built next to the tests by `swift build --build-tests` (`make test`).
    static let zkverify = root.appendingPathComponent(".build/release/zkverify").path
}

/// Development SRSs by size, made once per test process (INSECURE: whoever ran the setup knows τ; tests only).
enum AdversarialSRS {
    nonisolated(unsafe) private static var cache: [Int: SRS] = [:]
    private static let lock = NSLock()

    static func make(log2Size: Int) throws -> SRS {
        lock.lock()
        defer { lock.unlock() }
        if let srs = cache[log2Size] { return srs }
        let srs = try SRS.insecureDevelopment(log2Size: log2Size)
        cache[log2Size] = srs
        return srs
    }
}

/// A model compiled, set up (development SRS) and run on one input: what every end-to-end cheat starts from.
/// Cheats start from `honest()` (phase 1), change cells, and go through `failures` (the checker, at a fixed ρ)
/// and `proveCheat` (the real prover without its checker, the running sum recomputed at the drawn ρ as a
/// cheating prover would) to `PlonkVerifier.verify`.
struct ProvedModel: @unchecked Sendable {
    let file: CircuitFile
    let model: QuantizedModel
    let compiled: CompiledCircuit
    let key: ProvingKey
    let trace: IntegerTrace
    var vk: VerifyingKey { key.verifyingKey }
    var graph: ModelGraph { model.graph }
    var circuit: Circuit { compiled.circuit }
    static let checkerRho = Fr(0x1234_5678_9abc_def1)

    /// A shared model of circuits/ on its own input.json, through the circuit file as `zkinfer` does.
    init(shared name: String, options: CompileOptions = CompileOptions(), settings: QuantizationSettings = .default) throws {
        let onnx = [UInt8](try Data(contentsOf: AdversarialPaths.model(name)))
        let (file, _) = try CircuitFile.compile(onnx: onnx, settings: settings, options: options)
        let decoded = try CircuitFile.decode(file.encoded)
        let (model, compiled) = try decoded.rebuild()
        let input = try InputFile.load(path: AdversarialPaths.input(name).path, graph: model.graph)[0]
        let quantized = try input.quantized(for: model.graph, settings: settings)
        try self.init(file: decoded, model: model, compiled: compiled, input: quantized)
    }

    /// A graph built in code (no ONNX file: the key's model hash is that of `name`), on quantized inputs.
    init(graph: ModelGraph, name: String, input: [[Int64]], settings: QuantizationSettings = .default,
         options: CompileOptions = CompileOptions()) throws {
        let model = try QuantizedModel(graph, settings: settings)
        let compiled = try CompiledCircuit(model: model, options: options)
        let header = CircuitFile.Header(
            compiler: ModelDescriptionBuilder.compilerVersion, modelSHA256: SHA256.hash(Array(name.utf8)).hexEncoded,
            settings: settings, publicInput: options.publicInput, lanesPerRow: compiled.layout.lanesPerRow,
            log2Rows: compiled.layout.log2Rows, stackRangeChecks: compiled.layout.isStacked, limbBits: compiled.plan.limbBits,
            laneColumns: LaneColumns(limbs: compiled.layout.limbColumns, free: compiled.layout.freeColumns))
        try self.init(file: CircuitFile(header: header, onnx: []), model: model, compiled: compiled, input: input)
    }

    private init(file: CircuitFile, model: QuantizedModel, compiled: CompiledCircuit, input: [[Int64]]) throws {
        self.file = file
        self.model = model
        self.compiled = compiled
        key = try Pipeline.setup(file, compiled: compiled, srs: try AdversarialSRS.make(log2Size: compiled.layout.log2Rows))
        trace = try IntegerInterpreter(model).run(quantizedInputs: input, trace: true)
    }

    /// Another input on the same circuit and key.
    func with(input: [[Int64]]) throws -> ProvedModel {
        try ProvedModel(file: file, model: model, compiled: compiled, key: key, input: input)
    }

    private init(file: CircuitFile, model: QuantizedModel, compiled: CompiledCircuit, key: ProvingKey, input: [[Int64]]) throws {
        self.file = file
        self.model = model
        self.compiled = compiled
        self.key = key
        trace = try IntegerInterpreter(model).run(quantizedInputs: input, trace: true)
    }

    // MARK: Witnesses

    /// The honest phase-1 assignment (lanes, produced and received cells, public values).
    func honest() throws -> Assignment { try compiled.assignment(trace: trace) }

    /// The callback of an honest or cheating prover: the committed relation's columns at the drawn ρ and s.
    var phase2: (Int, inout Assignment) throws -> Void {
        let compiled = self.compiled
        return { phase, a in
            // Phase 1: the produced and received cells follow the lanes (a cheat may have rewritten them).
            if phase == 1 { try compiled.fillLinks(&a) }
            try compiled.assignPhase(phase, &a)
        }
    }

    /// "name@row" of every failing gate and lookup (other failures by description), unique and sorted, for the
    /// phase-1 assignment `a` with its running sum at a fixed ρ.
    func failures(_ a: Assignment, rho: Fr = checkerRho) throws -> [String] {
        var full = a
        try compiled.assignSum(&full, rho: rho)
        let names = ConstraintChecker.check(circuit, full).map { f in f.constraintName.map { "\($0)@\(f.row!)" } ?? f.description }
        return Array(Set(names)).sorted()
    }

    /// Proves `a` through the test-only entry point that skips the checker.
    /// Its produced and received cells follow the (tampered) lanes, as a cheating prover would keep them.
    func proveCheat(_ a: Assignment) throws -> ProofFile {
        var linked = a
        try compiled.fillLinks(&linked)
        return try PlonkProver.proveUnchecked(key: key, circuit: circuit, assignment: linked, witness: phase2)
    }

    /// An honest proof of this model's input (the checked prover).
    func proveHonest() throws -> ProofFile {
        try PlonkProver.prove(key: key, circuit: circuit, assignment: try honest(), witness: phase2)
    }

    /// Verifies as `zkverify` does: the key and the proof decoded from their bytes.
    func verify(_ proof: ProofFile) throws {
        try PlonkVerifier.verify(key: try VerifyingKey.decode(vk.encoded), proof: try ProofFile.decode(proof.encoded))
    }

    /// The honest witness is clean, its proof verifies, and the proof's public outputs are the direct path's
    /// integers (the proof carries `zkinfer run`'s answer): the baseline every cheat test departs from.
    func expectHonestProofCarriesTheDirectOutputs() throws {
        #expect(try failures(try honest()).isEmpty)
        try verify(try proveHonest())
        let values = compiled.publicValues(trace: trace)
        var offset = compiled.plan.publicInputCount
        for id in graph.outputs {
            let direct = trace.values[id]
            #expect(Array(values[offset..<offset + direct.count]) == direct)
            offset += direct.count
        }
    }

    /// The cheat, end to end: exactly `expected` fails under the checker; the proof made without the checker is
    /// rejected by the verifier's pairing check (the public values stay in range, so nothing else rejects it).
    func requireCaught(_ a: Assignment, expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try failures(a)
        #expect(found == Array(Set(expected)).sorted(), "\(found) vs \(expected)", sourceLocation: sourceLocation)
        let proof = try proveCheat(a)
        #expect(throws: VerificationError.pairingCheckFailed, sourceLocation: sourceLocation) { try verify(proof) }
    }

    // MARK: Lanes and names

    /// The lane group of the layer named `layer`.
    func group(_ layer: String) throws -> Int {
        for l in compiled.plan.layers where l.name == layer {
            if case .lanes(let g) = l.role { return g }
        }
        throw CompilerError.witnessMismatch("no lanes for layer \(layer)")
    }

    func kind(_ group: Int) -> LaneKind { compiled.plan.groups[group].kind }
    func count(_ group: Int) -> Int { compiled.plan.groups[group].count }
    func cells(_ group: Int, _ index: Int) -> (row: Int, limbs: [AdviceColumn], free: [AdviceColumn]) {
        compiled.cells(group: group, index: index)
    }

    /// The lane's honest trace integers (their meaning is the gadget's).
    func laneInputs(_ group: Int, _ index: Int) throws -> [Int64] {
        try compiled.laneInputs(group: group, trace: trace).0(index)
    }

    /// Lanes of a group whose trace integers satisfy `predicate`.
    func lanes(_ group: Int, where predicate: ([Int64]) -> Bool) throws -> [Int] {
        try (0..<count(group)).filter { predicate(try laneInputs(group, $0)) }
    }

    /// Writes a lane from trace integers through the gadget's own witness (limbs and bits).
    func write(_ a: inout Assignment, _ group: Int, _ index: Int, inputs: [Int64]) throws {
        let c = cells(group, index)
        let (limbs, free) = try kind(group).gadget.witness(inputs)
        for (cell, v) in zip(c.limbs, limbs) { try a.set(cell, row: c.row, v) }
        for (cell, v) in zip(c.free, free) { try a.set(cell, row: c.row, v) }
    }

    /// A linear layer's output lane off by one (its received value raised by 1, every cell of the lane consistent
    /// with it): the checker finds the relation broken and the real verifier rejects the cheating proof, since the
    /// receiver no longer equals its row of W·x.
    func expectOffByOneOutputRejected(_ group: Int, _ lane: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var inputs = try laneInputs(group, lane)
        inputs[0] += 1
        var a = try honest()
        try write(&a, group, lane, inputs: inputs)
        #expect(try !failures(a).isEmpty, sourceLocation: sourceLocation)
        let cheat = try proveCheat(a)
        #expect(throws: VerificationError.self, sourceLocation: sourceLocation) { try verify(cheat) }
    }

    /// Keeps the produced and received cells equal to the (tampered) lanes' expressions, as a cheating prover
    /// would.
    func copyStack(_ a: inout Assignment) throws {
        try compiled.fillLinks(&a)
    }

    var close: String { "clr_close@\(compiled.layout.closeRow)" }
    func gate(_ group: Int, _ index: Int) -> String { "\(kind(group).name)@\(cells(group, index).row)" }

    /// The lookup that range-checks limb cell `cell` of a lane: its column's, or (stacked) the stack cell's.
    func rangeLookup(_ group: Int, _ index: Int, cell: Int) -> String {
        let lane = cells(group, index)
        let column = compiled.limbs.firstIndex(of: lane.limbs[cell])!
        let name = "range\(compiled.plan.limbBits)"
        guard compiled.layout.isStacked else { return "\(name).\(column)@\(lane.row)" }
        let place = compiled.layout.stackPlace(lane.row * compiled.layout.limbColumns + column)
        return "\(name).stack\(place.column)@\(place.row)"
    }

    /// The function-table lookup of a lane.
    func tableLookup(_ group: Int, _ index: Int) -> String {
        let slot = compiled.layout.placement(group: group, index: index).slot
        return "\(kind(group).name).\(slot)@\(cells(group, index).row)"
    }

    // MARK: Public values

    /// Position of element `element` of model output `output` among the public values.
    func publicPosition(output: Int, element: Int) -> (column: InstanceColumn, row: Int) {
        var p = compiled.plan.options.publicInput ? graph.inputs.reduce(0) { $0 + graph.values[$1].elementCount } : 0
        for o in 0..<output { p += graph.values[graph.outputs[o]].elementCount }
        p += element
        let length = compiled.layout.publicColumnLength
        return (compiled.publicValues[p / length], p % length)
    }

    /// Claims `value` as element `element` of output `output` (what a cheating prover publishes).
    func claim(_ a: inout Assignment, output: Int, element: Int, _ value: Int64) throws {
        let (column, row) = publicPosition(output: output, element: element)
        try a.set(column, row: row, value)
    }

    /// The model's real output (the direct path's integers).
    func direct(output: Int, element: Int) -> Int64 { trace.values[graph.outputs[output]][element] }

    /// Index of the model output named `name`.
    func output(_ name: String) -> Int { graph.outputNames.firstIndex(of: name)! }
}

/// What the transcript-order helpers need: a proving key (its verifying key follows).
protocol KeyHolder {
    var key: ProvingKey { get }
}

extension KeyHolder {
    var vk: VerifyingKey { key.verifyingKey }
}

extension ProvedModel: KeyHolder {}

/// A small hand-made circuit without a committed linear relation (docs/protocol.md §19): a·b = c on 4 rows with
/// c public (bounded) and a range-looked-up in a 16-row table, for the protocol's own adversarial tests, whose
/// constructions need a pairing check that is §13.3's alone.
struct RelationFreeCircuit: KeyHolder, @unchecked Sendable {
    let circuit: Circuit
    let key: ProvingKey
    let a: AdviceColumn, b: AdviceColumn, c: InstanceColumn
    let phase2: (Int, inout Assignment) throws -> Void = { _, _ in }

    init() throws {
        var cs = ConstraintSystemBuilder()
        let q = cs.fixedColumn("q_mul"), table = cs.fixedColumn("table")
        a = cs.adviceColumn("a")
        b = cs.adviceColumn("b")
        c = cs.instanceColumn("c", length: 4, bits: 32)
        cs.addGate(name: "mul", selector: q, constraints: [a.cur * b.cur - c.cur])
        cs.enable(q, rows: 0..<4)
        for v in 0..<16 { cs.setFixed(table, row: v, Int64(v)) }
        cs.addLookup(LookupArgument(name: "range", selector: q, inputs: [a.cur], table: [table]))
        circuit = try cs.build()
        key = try KeyGeneration.generate(circuit: circuit, srs: try AdversarialSRS.make(log2Size: circuit.log2Rows))
    }

    func honest() throws -> Assignment {
        var w = Assignment(circuit: circuit)
        for row in 0..<4 {
            try w.set(a, row: row, Int64(row + 2))
            try w.set(b, row: row, Int64(3 * row - 1))
            try w.set(c, row: row, Int64((row + 2) * (3 * row - 1)))
        }
        return w
    }

    /// c₀ = a₀·b₀ + 1 published: only the gate at row 0 fails.
    func falseOutput() throws -> Assignment {
        var w = try honest()
        try w.set(c, row: 0, Int64(2 * -1 + 1))
        return w
    }

    func proveHonest() throws -> ProofFile { try PlonkProver.prove(key: key, circuit: circuit, assignment: try honest()) }

    func verify(_ proof: ProofFile) throws {
        try PlonkVerifier.verify(key: try VerifyingKey.decode(vk.encoded), proof: try ProofFile.decode(proof.encoded))
    }
}

/// Limb cells for a value that need not fit its decomposition (a cheat): full limbs take the low bits, the top
/// (partial or last full) limb takes everything above them, the helper follows the partial limb.
func overflowingLimbCells(_ value: Int64, _ d: LimbDecomposition) -> [Int64] {
    precondition(value >= 0)
    let mask = (Int64(1) << Int64(d.limbBits)) - 1
    var cells = (0..<d.fullLimbs).map { (value >> Int64(d.limbBits * $0)) & mask }
    if d.partialBits > 0 {
        let partial = value >> Int64(d.limbBits * d.fullLimbs)
        cells += [partial, partial << Int64(d.limbBits - d.partialBits)]
    } else {
        cells[d.fullLimbs - 1] = value >> Int64(d.limbBits * (d.fullLimbs - 1))
    }
    return cells
}

/// Deterministic reals for synthetic weights and inputs (SplitMix64, as the other suites).
struct SeededRandomReals {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [−1, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) * 2 - 1 }
    mutating func tensor(_ shape: [Int], scale: Double = 1, shift: Double = 0) -> Tensor {
        try! Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in unit() * scale + shift })
    }
    /// Quantized inputs: uniform reals in [−1, 1) at scale 2^s.
    mutating func inputs(_ count: Int, scale s: Int) -> [Int64] {
        (0..<count).map { _ in FixedPoint.quantize(unit(), scale: s)! }
    }
}

/// The `zkverify` executable run as a process (the test bundle cannot link the executable target: its static
/// standard library clashes with the tests' Foundation). `posix_spawn` with stdout and stderr sent to files:
/// a tenth of the system time of Foundation's `Process`, which matters for the thousands of mutation runs.
enum ZKVerifyProcess {
    /// Runs `zkverify arguments`: the exit code (−1 when killed by a signal or by the `timeout` in seconds),
    /// stdout and stderr.
    /// `scratch` (a directory and a name prefix) receives the two output files; by default a fresh directory.
    static func run(_ arguments: [String], timeout: Double = 60, scratch: (ScratchDirectory, String)? = nil) throws
        -> (code: Int32, out: String, err: String)
    {
        let fresh = scratch == nil ? try ScratchDirectory("zkverify-run") : nil
        defer { fresh?.remove() }
        let (directory, prefix) = scratch ?? (fresh!, "")
        let outPath = directory.url.appendingPathComponent(prefix + "stdout").path
        let errPath = directory.url.appendingPathComponent(prefix + "stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([AdversarialPaths.zkverify] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, AdversarialPaths.zkverify, &actions, nil, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        let child = pid
        let watchdog = DispatchWorkItem { kill(child, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        var wait: Int32 = 0
        while waitpid(child, &wait, 0) == -1 && errno == EINTR {}
        watchdog.cancel()
        // WIFEXITED / WEXITSTATUS: the low 7 bits are 0 for a normal exit, the status in bits 8–15.
        let code: Int32 = (wait & 0x7f) == 0 ? (wait >> 8) & 0xff : -1
        func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (code, read(outPath), read(errPath))
    }
}

/// A fresh directory under the system's temporary directory.
struct ScratchDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-adversarial-\(label)-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
