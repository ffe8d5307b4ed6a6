import Foundation
import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import ONNXImport
import Quantization
import Testing

@testable import CircuitCompiler

/// The newer operators' vectors (Tests/DirectInferenceTests/Vectors/newer_ops): those the manifest marks as lowered
/// (selections as wiring, CumSum's linear node, the normalizations' steps, OneHot's table) compile and their honest
/// witness satisfies the circuit (comparisons, logic, rounding, ArgMax/ArgMin on `StepGadget`/`ArgExtremumGadget` lanes too); the others (data movement alone) are refused with "no circuit gadget" or "nothing to prove".
struct NewerOperatorCircuitTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let circuit: Bool
        var description: String { name }
    }

    static let directory = Repository.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/newer_ops")

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { Case(name: $0["name"] as! String, circuit: $0["circuit"] as! Bool) }
    }()

    @Test(arguments: cases)
    func loweredOrRefused(_ c: Case) throws {
        let graph = try ONNXImporter.load(path: Self.directory.appendingPathComponent("\(c.name).onnx").path).graph
        let input = try InputFile.load(path: Self.directory.appendingPathComponent("\(c.name).input.json").path, graph: graph)[0]
        let quantized = try input.quantized(for: graph, settings: .default)
        guard c.circuit else {
            do {
                _ = try Compiled(graph, input: quantized)
                Issue.record("\(c.name) compiled; the manifest expects a refusal")
            } catch let error as CompilerError {
                #expect("\(error)".contains("has no circuit gadget") || "\(error)".contains("nothing to prove"), "\(c.name): \(error)")
            }
            return
        }
        let compiled = try Compiled(graph, input: quantized)
        let failures = compiled.check(try compiled.witness(rho: Fr(0xfeed_f00d)))
        #expect(failures.isEmpty, "\(c.name): \(failures.prefix(3))")
    }
}
