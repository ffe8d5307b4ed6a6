import DirectInference
import FieldArithmetic
import Foundation
import KZG
import PlonkVerifier
import Quantization
import Testing
import TestSupport
import ZKInferKit

@testable import CircuitCompiler
@testable import ConstraintSystem
@testable import PlonkProver

/// Issue 14, finding 1: inputs must be integers in range, public or private.
///
/// Attacks docs/protocol.md §10 (instance columns and their bounds), §11 (public folds: `W·x` computed by
/// the verifier modulo r), §15 step 1 (the bound check before the transcript) and §16.7 (why bounding public
/// values is enough), with a cheating prover (`proveUnchecked`: no checker) and the real verifier.
///
/// The forgery: mlp_mnist's first layer is 64×784. On any 65 input positions its weights have a non-zero
/// kernel vector δ modulo r, so x' = x + δ gives the same W·x' ≡ W·x (mod r): every fold and gate identity
/// still holds, and with unbounded public values the proof verifies with the honest output although x' (65
/// values of ~2^254) is no input at all. The bound (b = B = 32 bits) makes it fail before any algebra.
struct PublicValueBoundTests {
    @Test func kernelForgeryVerifiesOnlyWithoutTheBound() throws {
        let m = try ForgeryFixture.model("mlp_mnist", publicInput: true)
        let compiled = m.compiled
        let length = compiled.layout.publicColumnLength
        let positions = ForgeryFixture.positions
        let delta = try ForgeryFixture.kernel(positions.map { compiled.system.publicTerms[$0] }, equations: 64)

        let honest = try compiled.assignment(trace: m.trace)
        var forged = honest
        for (j, d) in zip(positions, delta) {
            let column = compiled.publicValues[j / length]
            let x = honest.value(column, row: j % length)!
            try forged.set(column, row: j % length, x + d)
        }
        #expect(positions.allSatisfy { !PublicValueBound(bits: 32).contains(forged.instance[$0 / length][$0 % length]) },
                "every forged input is a large field element, not an activation")
        let phase2: (Int, inout Assignment) throws -> Void = { phase, a in
            try compiled.assignPhase(phase, &a)
        }

        // (a) The attack is real: with the bound disabled (b = 0), the checker accepts the forged witness and
        // the verifier accepts its proof, with the honest output.
        let open = compiled.circuit.withInstanceBits(compiled.circuit.instanceBits.map { _ in 0 })
        var checked = forged
        try compiled.assignSum(&checked, rho: Fr(1234567))
        #expect(ConstraintChecker.check(open, checked).isEmpty, "without bounds the forged witness satisfies every constraint")
        let openKey = try KeyGeneration.generate(circuit: open, srs: m.srs)
        let openProof = try PlonkProver.proveUnchecked(key: openKey, circuit: open, assignment: forged, witness: phase2)
        try PlonkVerifier.verify(key: openKey.verifyingKey, proof: openProof)
        let outputs = compiled.plan.publicInputCount..<(compiled.plan.publicInputCount + compiled.plan.publicOutputCount)
        #expect(outputs.map { openProof.publicValues[$0 / length][$0 % length] }
                == outputs.map { honest.instance[$0 / length][$0 % length] }, "same output as the honest input")

        // (b) The compiled key bounds every public value to B = 32 bits: the same forgery is refused before any
        // algebra, naming the first forged value's column and row; the checker (hence the honest prover)
        // refuses the witness too.
        #expect(compiled.circuit.instanceBits.allSatisfy { $0 == 32 })
        let key = m.key
        let proof = try PlonkProver.proveUnchecked(key: key, circuit: compiled.circuit, assignment: forged, witness: phase2)
        let first = positions[0]
        do {
            try PlonkVerifier.verify(key: key.verifyingKey, proof: proof)
            Issue.record("the kernel forgery verified under the bounded key")
        } catch let error as VerificationError {
            guard case .publicValueOutOfRange(let column, _, let row, _, 32) = error else {
                Issue.record("wrong reason: \(error)")
                return
            }
            #expect(column == first / length && row == first % length && !error.isMalformed)
        }
        let failures = ConstraintChecker.check(compiled.circuit, checked)
        #expect(failures.count == positions.count && failures.allSatisfy {
            if case .publicValueOutOfRange(_, _, _, 32) = $0 { return true } else { return false }
        })
        #expect(throws: ProverError.self) {
            try PlonkProver.prove(key: key, circuit: compiled.circuit, assignment: forged, witness: phase2)
        }

        // Batch verification refuses it per proof, next to a valid one.
        let valid = try PlonkProver.prove(key: key, circuit: compiled.circuit, assignment: honest, witness: phase2)
        let batch = try PlonkVerifier.batchVerify([.init(key: key.verifyingKey, proof: valid), .init(key: key.verifyingKey, proof: proof)])
        #expect(batch.outcomes[0] == nil)
        if case .publicValueOutOfRange = batch.outcomes[1] {} else { Issue.record("batch: \(String(describing: batch.outcomes[1]))") }

        // And `zkverify` reports it as an invalid proof (exit 1) naming the column, row and bound.
        let dir = try ForgeryFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vkPath = dir.appendingPathComponent("vk.bin").path, proofPath = dir.appendingPathComponent("forged.proof").path
        try Data(key.verifyingKey.encoded).write(to: URL(fileURLWithPath: vkPath))
        try Data(proof.encoded).write(to: URL(fileURLWithPath: proofPath))
        let r = try ForgeryFixture.zkverify(["--vk", vkPath, "--proof", proofPath, "--allow-dev-srs"])
        #expect(r.code == 1)
        #expect(r.err.contains("public value \(first / length)[\(first % length)] (instance column 'public\(first / length)'"))
        #expect(r.err.contains("outside the column's bound [−2^31, 2^31)"))
    }

    /// A private input (`--private-input`) is an identity rescale lane: w = x + 2^(B−1) as a B-bit limb
    /// decomposition (CircuitPlan: `RescaleGadget(shift: 0, activation: .identity)`, receiving nothing). The
    /// same kernel step δ on 65 private inputs keeps every fold identity (the first layer's sums do not
    /// change modulo r); only the limbs' range lookups can catch it — and they do, through the real prover
    /// and verifier. Attacks §9 (logUp range lookups) and §11, with §16.7's private-value argument.
    @Test func privateInputOutsideTheBoundIsRejected() throws {
        let m = try ForgeryFixture.model("mlp_mnist", publicInput: false)
        let compiled = m.compiled
        let group = try #require(compiled.plan.groups.firstIndex { !$0.receives })
        let g = compiled.plan.groups[group]
        #expect(g.kind == .rescale(RescaleGadget(shift: 0, activation: .identity, activationBits: 32)).withLimbBits(compiled.plan.limbBits))
        #expect(compiled.plan.layers[g.layer].op == "Input (private)" && g.count == 784)
        #expect(compiled.plan.publicInputCount == 0)

        let positions = ForgeryFixture.positions
        let start = compiled.system.groupStart[group]
        let delta = try ForgeryFixture.kernel(positions.map { compiled.system.laneTerms[start + $0] }, equations: 64)
        var forged = try compiled.assignment(trace: m.trace)
        for (j, d) in zip(positions, delta) {
            // Limb 0 has weight 1 in w, so adding δ to it moves the lane's value x to x + δ.
            let cells = compiled.cells(group: group, index: j)
            try forged.set(cells.limbs[0], row: cells.row, forged.value(cells.limbs[0], row: cells.row)! + d)
        }
        try compiled.fillLinks(&forged)
        let phase2: (Int, inout Assignment) throws -> Void = { phase, a in
            try compiled.assignPhase(phase, &a)
        }

        // Only the range checks fail: one lookup per forged lane, nothing in the fold.
        var checked = forged
        try compiled.assignSum(&checked, rho: Fr(7654321))
        let failures = ConstraintChecker.check(compiled.circuit, checked)
        #expect(failures.count == positions.count, "\(failures.prefix(3))")
        #expect(failures.allSatisfy { ($0.constraintName ?? "").hasPrefix("range\(compiled.plan.limbBits)") })

        let proof = try PlonkProver.proveUnchecked(key: m.key, circuit: compiled.circuit, assignment: forged, witness: phase2)
        #expect(throws: VerificationError.pairingCheckFailed) { try PlonkVerifier.verify(key: m.key.verifyingKey, proof: proof) }
    }

    /// The honest path never makes a proof that no verifier accepts: an input that quantizes outside
    /// [−2^(B−1), 2^(B−1)) is refused by the direct path with the spec's message, before any proving.
    @Test func honestProverRefusesAnOutOfRangeInput() throws {
        let m = try ForgeryFixture.model("mlp_mnist", publicInput: true)
        var input = m.input
        input.tensors[0][5] = .float(32768)  // 2^15 · 2^16 = 2^31: just outside B = 32
        do {
            _ = try Pipeline.prove(model: m.model, compiled: m.compiled, key: m.key, input: input)
            Issue.record("an out-of-range input was proved")
        } catch {
            #expect("\(error)".contains("value out of range at layer input 'input': element 5 = 32768.0"))
        }
        input.tensors[0][5] = .float(32767.99998)  // Q_16 = 2^31 − 1: the largest allowed value
        let proof = try Pipeline.prove(model: m.model, compiled: m.compiled, key: m.key, input: input).proof
        try PlonkVerifier.verify(key: m.key.verifyingKey, proof: proof)
    }
}

/// Compiled models, keys and the kernel solver for the tests above (built once per process and option).
private enum ForgeryFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// 65 input positions spread over the 784 pixels.
    static let positions = (0..<65).map { 12 * $0 }

    struct Model: Sendable {
        let model: QuantizedModel
        let compiled: CompiledCircuit
        let key: ProvingKey
        let srs: SRS
        let input: ModelInput
        let trace: IntegerTrace
    }

    static let publicModel = Result { try build("mlp_mnist", publicInput: true) }
    static let privateModel = Result { try build("mlp_mnist", publicInput: false) }

    static func model(_ name: String, publicInput: Bool) throws -> Model {
        precondition(name == "mlp_mnist")
        return try (publicInput ? publicModel : privateModel).get()
    }

    static func build(_ name: String, publicInput: Bool) throws -> Model {
        let onnx = [UInt8](try Data(contentsOf: root.appendingPathComponent("circuits/\(name)/model.onnx")))
        let (file, _) = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions(publicInput: publicInput))
        let (model, compiled) = try file.rebuild()
        let srs = try SRS.insecureDevelopment(log2Size: compiled.circuit.log2Rows)
        let key = try Pipeline.setup(file, compiled: compiled, srs: srs)
        let input = try InputFile.load(path: root.appendingPathComponent("circuits/\(name)/input.json").path, graph: model.graph)[0]
        let trace = try Inference.runFixed(model, input: input, trace: true).trace!
        return Model(model: model, compiled: compiled, key: key, srs: srs, input: input, trace: trace)
    }

    /// A non-zero δ ∈ Fr^n with Σ_j W[p][j]·δ_j ≡ 0 (mod r) for every equation p, where column j's weights
    /// are `columns[j]` (the fold's terms of element j): Gaussian elimination over Fr on the equations × n
    /// system, one free variable set to a large constant. Requires n > equations (then a kernel vector exists).
    static func kernel(_ columns: [[LinearSystem.Term]], equations: Int) throws -> [Fr] {
        let powers = Array(Set(columns.flatMap { $0.map(\.power) })).sorted()
        try #require(powers.count == equations && columns.count > equations, "the first layer's \(equations) equations")
        let rowOf = Dictionary(uniqueKeysWithValues: powers.enumerated().map { ($1, $0) })
        let n = columns.count
        var a = [[Fr]](repeating: [Fr](repeating: .zero, count: n), count: powers.count)
        for (j, terms) in columns.enumerated() {
            for t in terms { a[rowOf[t.power]!][j] = a[rowOf[t.power]!][j] + Fr(signed: t.weight) }
        }
        // Reduced row echelon form.
        var pivotColumns: [Int] = []
        var row = 0
        for col in 0..<n where row < a.count {
            guard let p = (row..<a.count).first(where: { !a[$0][col].isZero }) else { continue }
            a.swapAt(row, p)
            let inv = a[row][col].inverse()
            a[row] = a[row].map { $0 * inv }
            for r in 0..<a.count where r != row && !a[r][col].isZero {
                let f = a[r][col]
                for c in col..<n { a[r][c] = a[r][c] - f * a[row][c] }
            }
            pivotColumns.append(col)
            row += 1
        }
        let free = try #require((0..<n).first { !pivotColumns.contains($0) })
        // The free variable at 3^160 (a large field element) rather than 1, so that every entry of δ is far
        // outside any bound; any multiple of a kernel vector is one.
        let scale = (0..<160).reduce(Fr.one) { power, _ in power * Fr(3) }
        var delta = [Fr](repeating: .zero, count: n)
        delta[free] = scale
        for (r, col) in pivotColumns.enumerated() { delta[col] = -a[r][free] * scale }
        // Check against the original weights: W·δ ≡ 0 for every equation, δ ≠ 0.
        var sums = [Fr](repeating: .zero, count: powers.count)
        for (j, terms) in columns.enumerated() {
            for t in terms { sums[rowOf[t.power]!] = sums[rowOf[t.power]!] + Fr(signed: t.weight) * delta[j] }
        }
        try #require(sums.allSatisfy(\.isZero) && delta.contains { !$0.isZero })
        return delta
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-bound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The real `zkverify` (built beside the tests by `swift build --build-tests`).
    static func zkverify(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let binary = root.appendingPathComponent(".build/release/zkverify").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build zkverify first (swift build --build-tests)")
        return try runTool(binary, arguments)
    }
}
