import Foundation
import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import ONNXImport
import Quantization
import Testing

@testable import CircuitCompiler

/// The operator-family vectors (Tests/DirectInferenceTests/Vectors/ops): those the manifest marks as lowered
/// compile and their honest witness (the direct path's trace) satisfies the circuit; the others are refused by
/// the compiler with a message, never a trap.
struct OperatorVectorCircuitTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let circuit: Bool
        var description: String { name }
    }

    static let directory = Repository.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/ops")

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
            #expect(throws: CompilerError.self) { try Compiled(graph, input: quantized) }
            return
        }
        let compiled = try Compiled(graph, input: quantized)
        let failures = compiled.check(try compiled.witness(rho: Fr(0xfeed_f00d)))
        #expect(failures.isEmpty, "\(c.name): \(failures.prefix(3))")
    }
}
