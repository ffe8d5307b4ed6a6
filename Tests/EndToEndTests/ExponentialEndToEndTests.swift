import DirectInference
import Foundation
import KZG
import ModelMetadata
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// compile → setup → prove → verify on exp_log_reduce_net (bench/vectors/make_onnx_exponential.py): Exp and Log on
/// `ExpGadget`/`LogGadget` lanes, LogSoftmax as ReduceMax, Exp, ReduceSum and Log, ReduceMax and ReduceMin on
/// `MaxPoolGadget` lanes (docs/fixed-point.md §6b, §6c). Every proved output is `zkinfer run`'s, bit for bit.
struct ExponentialEndToEndTests {
    static let directory = Shared.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/exponential")

    @Test func proofVerifiesAndCarriesTheDirectOutputs() throws {
        let a = try Shared.artifacts(modelPath: Self.directory.appendingPathComponent("exp_log_reduce_net.onnx").path,
                                     inputPath: Self.directory.appendingPathComponent("exp_log_reduce_net.input.json").path)
        let kinds = Set(a.compiled.plan.groups.map(\.kind.name))
        for prefix in ["exp", "log", "maxpool", "minpool"] {
            #expect(kinds.contains { $0.hasPrefix(prefix) }, "no \(prefix) lanes in \(kinds)")
        }
        let v = try Shared.proveAndVerify(a)
        #expect(v.description.outputs.count == 5)
        for i in v.description.outputs.indices {
            #expect(v.proved(i) == v.directFixed[i], "output \(i)")
        }
    }

    /// Sin and Cos of rotary angles (newer_ops/sin_cos_rotary, bench/vectors/make_onnx_newer_ops.py) on `SineGadget`
    /// lanes: proved, verified, and both outputs `zkinfer run`'s.
    @Test func sinCosProofVerifiesAndCarriesTheDirectOutputs() throws {
        let folder = Shared.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/newer_ops")
        let a = try Shared.artifacts(modelPath: folder.appendingPathComponent("sin_cos_rotary.onnx").path,
                                     inputPath: folder.appendingPathComponent("sin_cos_rotary.input.json").path)
        let kinds = Set(a.compiled.plan.groups.map(\.kind.name))
        #expect(kinds.contains { $0.hasPrefix("sin") } && kinds.contains { $0.hasPrefix("cos") }, "\(kinds)")
        let v = try Shared.proveAndVerify(a)
        for i in v.description.outputs.indices {
            #expect(v.proved(i) == v.directFixed[i], "output \(i)")
        }
    }
}
