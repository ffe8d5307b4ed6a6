import CommandLineSupport
import DirectInference
import ModelGraph
import ONNXImport
import Quantization
import SystemSupport

/// `zkinfer run model.onnx input.json`: direct (unproven) inference on the fixed-point path, or the
/// float reference with --float.
enum RunCommand {
    static let command = Command(
        name: "run", summary: "run a model directly (fixed-point by default, --float for the reference)",
        arguments: "<model.onnx> <input.json>",
        options: [
            .value("settings", "settings.json", "quantization settings (from `zkinfer calibrate`); defaults otherwise"),
            .flag("float", "run the float reference path instead of the fixed-point path"),
            .value("trace", "trace.json", "write every layer's integers (the circuit witness) to this file"),
            .value("repeat", "N", "also time N in-process runs of the chosen path and report the median (for bench/)"),
        ],
        discussion: """
            Inputs: {"input_data": [[...]]} or {"<input name>": [...]}; numbers or {"value": v, "decimals": d}.
            The fixed-point path is what proofs attest; its error against the float path is reported with
            the bound docs/fixed-point.md predicts.
            """,
        examples: ["zkinfer run circuits/mlp_tiny/model.onnx circuits/mlp_tiny/input.json",
                   "zkinfer run circuits/mlp_tiny/model.onnx circuits/mlp_tiny/input.json --float --json"]
    ) { invocation in
        let modelPath = try invocation.positional(0, "model.onnx")
        let inputPath = try invocation.positional(1, "input.json")
        let model = try ModelCommandSupport.loadModel(modelPath)
        let graph = model.graph
        let samples = try ModelCommandSupport.loadInputs(inputPath, graph: graph)
        guard samples.count == 1 else {
            throw CommandFailure.malformedInput("\(inputPath) holds \(samples.count) samples; run takes one")
        }
        let input = samples[0]
        let repeats = try invocation.integer("repeat", default: 0, in: 0...1_000_000)
        if invocation.flag("float") {
            let result = try ModelCommandSupport.mapErrors { try Inference.runFloat(graph, input: input) }
            let timing = try ModelCommandSupport.mapErrors { try median(repeats) { _ = try Inference.runFloat(graph, input: input) } }
            if invocation.wantsJSON {
                Console.out(JSONValue.object([("model", .string(modelPath)), ("path", .string("float")),
                                              ("outputs", outputsJSON(result, scale: nil)),
                                              ("medianSeconds", timing.map { .double($0) } ?? .null)]).rendered())
            } else {
                Console.out("\(modelPath): float reference path")
                printOutputs(result)
            }
            return
        }
        let settings = try ModelCommandSupport.loadSettings(invocation)
        let (result, report, timing) = try ModelCommandSupport.mapErrors { () -> (InferenceResult, ErrorReport, Double?) in
            let quantized = try QuantizedModel(graph, settings: settings)
            let result = try Inference.runFixed(quantized, input: input, trace: invocation.value("trace") != nil)
            let timing = try median(repeats) { _ = try Inference.runFixed(quantized, input: input) }
            return (result, try Inference.errorReport(quantized, input: input), timing)
        }
        if let tracePath = invocation.value("trace"), let trace = result.trace {
            let text = TraceJSON.render(trace, graph: graph)
            do { try FileSystem.write(Array(text.utf8), to: tracePath) } catch {
                throw CommandFailure.usage("cannot write \(error)")
            }
        }
        let outputs = report.outputs
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("model", .string(modelPath)), ("path", .string("fixed-point")),
                ("settings", ModelCommandSupport.settingsJSON(settings)),
                ("inputs", .array(zip(graph.inputs, result.quantizedInputs!).map { id, q in
                    .object([("name", .string(graph.values[id].name)), ("shape", .array(graph.values[id].shape.map { .int($0) })),
                             ("fixed", .array(q.map { .int(Int($0)) }))])
                })),
                ("outputs", outputsJSON(result, scale: settings.activationScale)),
                ("errorVsFloat", .object([
                    ("maxAbsError", .double(report.maxOutputError)),
                    ("bound", .double(outputs.map(\.bound).max() ?? 0)),
                    ("withinBounds", .bool(report.withinBounds)),
                    ("layers", ModelCommandSupport.errorEntriesJSON(report.entries)),
                ])),
                ("medianSeconds", timing.map { .double($0) } ?? .null),
            ]).rendered())
            return
        }
        Console.out("\(modelPath): fixed-point path (\(ModelCommandSupport.describe(settings)))")
        printOutputs(result)
        Console.out("max |fixed − float| = \(ModelCommandSupport.scientific(report.maxOutputError)) (spec bound \(ModelCommandSupport.scientific(outputs.map(\.bound).max() ?? 0)))")
    }

    /// Median wall time of `count` runs of `body` (nil when count is 0): in-process latency for bench/.
    static func median(_ count: Int, _ body: () throws -> Void) throws -> Double? {
        guard count > 0 else { return nil }
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<count {
            let start = clock.now
            try body()
            times.append((clock.now - start).seconds)
        }
        return times.sorted()[count / 2]
    }

    static func outputsJSON(_ result: InferenceResult, scale: Int?) -> JSONValue {
        .array((0..<result.names.count).map { i in
            var members: [(String, JSONValue)] = [
                ("name", .string(result.names[i])), ("shape", .array(result.shapes[i].map { .int($0) })),
                ("values", .array(result.outputs[i].map { .double($0) })),
            ]
            if let fixed = result.fixed, let scale {
                members.append(("fixed", .array(fixed[i].map { .int(Int($0)) })))
                members.append(("scale", .int(scale)))
            }
            return .object(members)
        })
    }

    static func printOutputs(_ result: InferenceResult) {
        for i in 0..<result.names.count {
            Console.out("output '\(result.names[i])' \(Shape.describe(result.shapes[i]))")
            Console.out(ModelCommandSupport.pad("index", 7) + ModelCommandSupport.pad("value", 16) + (result.fixed != nil ? ModelCommandSupport.pad("fixed", 14) : ""))
            for (j, v) in result.outputs[i].enumerated() {
                var line = ModelCommandSupport.pad(String(j), 7) + ModelCommandSupport.pad(TextFormatting.fixed(v, decimals: 8), 16)
                if let fixed = result.fixed { line += ModelCommandSupport.pad(String(fixed[i][j]), 14) }
                Console.out(line)
            }
        }
    }
}

/// The witness trace as JSON: per layer, every integer array of `LayerTrace`.
enum TraceJSON {
    static func render(_ trace: IntegerTrace, graph: ModelGraph) -> String {
        func ints(_ a: [Int64]) -> JSONValue { .array(a.map { .int(Int($0)) }) }
        return JSONValue.object([
            ("settings", ModelCommandSupport.settingsJSON(trace.settings)),
            ("inputs", .array(graph.inputs.map { .object([("name", .string(graph.values[$0].name)), ("values", ints(trace.values[$0]))]) })),
            ("layers", .array(trace.layers.map { layer in
                var members: [(String, JSONValue)] = [
                    ("node", .string(layer.name)), ("op", .string(layer.op)),
                    ("inputs", .array(layer.inputs.map { .string(graph.values[$0].name) })),
                    ("output", ints(trace.values[layer.output])), ("shift", .int(layer.shift)),
                ]
                for (key, values) in [("accumulator", layer.accumulator), ("quotient", layer.quotient),
                                      ("remainder", layer.remainder), ("tableIndex", layer.tableIndex),
                                      ("interpolation", layer.interpolation),
                                      ("interpolationRemainder", layer.interpolationRemainder),
                                      ("rowMax", layer.rowMax), ("exponent", layer.exponent), ("rowSum", layer.rowSum),
                                      ("divisionRemainder", layer.divisionRemainder)] where !values.isEmpty {
                    members.append((key, ints(values)))
                }
                return .object(members)
            })),
        ]).rendered()
    }
}
