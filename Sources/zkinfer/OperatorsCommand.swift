import CommandLineSupport
import ONNXImport

/// `zkinfer operators`: the ONNX operators and opsets the importer accepts, from `SupportedOperators` (the one
/// list; the conformance harness, bench/conformance/, reads it from here).
enum OperatorsCommand {
    static let command = Command(
        name: "operators", summary: "list the ONNX operators and opsets that models may use",
        examples: ["zkinfer operators --json"]
    ) { invocation in
        let computed = SupportedOperators.computed.sorted(), foldable = SupportedOperators.foldable.sorted()
        let resolved = SupportedOperators.resolved.sorted()
        let opsets = SupportedOperators.opsets
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("computed", .array(computed.map { .string($0) })),
                ("foldable", .array(foldable.map { .string($0) })),
                ("resolved", .array(resolved.map { .string($0) })),
                ("opsets", .array([.int(Int(opsets.lowerBound)), .int(Int(opsets.upperBound))])),
            ]).rendered())
            return
        }
        Console.out("default-domain (ai.onnx) opsets \(opsets.lowerBound)...\(opsets.upperBound)")
        Console.out("computed: " + computed.joined(separator: ", "))
        Console.out("folded at import (constant inputs only): " + foldable.joined(separator: ", "))
        Console.out("resolved at import (static control flow, sequences): " + resolved.joined(separator: ", "))
    }
}
