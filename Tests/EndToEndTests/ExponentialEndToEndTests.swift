import DirectInference
import Foundation
import KZG
import ModelGraph
import ModelMetadata
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import ONNXImport
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

    /// ReduceMax over 320 elements, ReduceMin over 20 strided ones and LogSoftmax over 320 (wide_reduce_net,
    /// bench/vectors/make_onnx_wide_reduce.py): more than one `MaxPoolGadget` lane holds, so the importer cuts each
    /// group into a tree of ≤ 16-member reductions (docs/fixed-point.md §6c). Proved, verified, every output `zkinfer
    /// run`'s bit for bit and within the quantization error of onnxruntime's float32 outputs.
    @Test func wideReductionsProveAsTrees() throws {
        let a = try Shared.artifacts(modelPath: Self.directory.appendingPathComponent("wide_reduce_net.onnx").path,
                                     inputPath: Self.directory.appendingPathComponent("wide_reduce_net.input.json").path)
        let windows = a.compiled.plan.groups.compactMap { group -> Int? in
            if case .maxPool(let gadget) = group.kind { return gadget.window }
            return nil
        }
        #expect(ExtremumTree.maxGroup == PoolingOp.maxReduceGroup, "the importer cuts groups to what one lane proves")
        #expect(PoolingImport.globalMaxLane == PoolingOp.maxGlobalWindow, "the importer keeps one GlobalMaxPool lane only where it proves")
        // ReduceMax and LogSoftmax: 320 → 20 chunks of 16 → 2 of 10 → 1; ReduceMin: 20 → 2 of 10 → 1 (16 outputs).
        #expect(windows.sorted() == [2, 2, 2, 10, 10, 10, 16, 16], "lane windows \(windows)")
        let v = try Shared.proveAndVerify(a)
        let scale = Double(1 << a.model.settings.activationScale)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent(
            "wide_reduce_net.expected.json"))) as! [String: Any]
        let reference = expected["output_data"] as! [[Double]]
        #expect(v.description.outputs.count == 3)
        for i in v.description.outputs.indices {
            let proved = try #require(v.proved(i))
            #expect(proved == v.directFixed[i], "output \(i)")
            #expect(proved.count == reference[i].count)
            let error = zip(proved, reference[i]).map { abs(Double($0) / scale - $1) }.max() ?? .infinity
            #expect(error < 0.02, "output \(i): max |proof − onnxruntime| = \(error)")
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
