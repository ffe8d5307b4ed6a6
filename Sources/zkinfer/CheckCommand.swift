import CommandLineSupport
import ModelGraph
import ONNXImport

/// `zkinfer check model.onnx`: the import pre-flight alone — lists every unsupported node at once.
enum CheckCommand {
    static let command = Command(
        name: "check", summary: "check that an ONNX model can be imported (lists every unsupported node)",
        arguments: "<model.onnx>",
        examples: ["zkinfer check circuits/mlp_tiny/model.onnx"]
    ) { invocation in
        let path = try invocation.positional(0, "model.onnx")
        let model = try ModelCommandSupport.loadModel(path)
        let graph = model.graph
        var counts: [String: Int] = [:]
        for node in graph.nodes { counts[node.sourceOp, default: 0] += 1 }
        let ops = counts.keys.sorted().map { "\($0) ×\(counts[$0]!)" }
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("model", .string(path)), ("supported", .bool(true)), ("opset", .int(Int(model.opset))),
                ("producer", .string(model.producer)), ("nodes", .int(graph.nodes.count)),
                ("parameters", .int(graph.parameterCount)),
                ("inputs", .array(graph.inputs.map { .object([("name", .string(graph.values[$0].name)), ("shape", .array(graph.values[$0].shape.map { .int($0) }))]) })),
                ("outputs", .array(zip(graph.outputNames, graph.outputs).map { .object([("name", .string($0)), ("shape", .array(graph.values[$1].shape.map { .int($0) }))]) })),
                ("operators", .object(counts.keys.sorted().map { ($0, .int(counts[$0]!)) })),
            ]).rendered())
            return
        }
        Console.out("\(path): supported (opset \(model.opset), \(graph.nodes.count) nodes, \(graph.parameterCount) parameters)")
        for id in graph.inputs { Console.out("  input  '\(graph.values[id].name)' \(Shape.describe(graph.values[id].shape))") }
        for (name, id) in zip(graph.outputNames, graph.outputs) { Console.out("  output '\(name)' \(Shape.describe(graph.values[id].shape))") }
        Console.out("  operators: " + ops.joined(separator: ", "))
    }
}
