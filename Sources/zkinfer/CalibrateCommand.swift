import CommandLineSupport
import DirectInference
import ModelGraph
import Quantization
import SystemSupport

/// `zkinfer calibrate model.onnx --data inputs.json -o settings.json`.
enum CalibrateCommand {
    static let command = Command(
        name: "calibrate", summary: "choose fixed-point scales from sample inputs and write a settings file",
        arguments: "<model.onnx>",
        options: [
            .value("data", "inputs.json", "one or more samples (input.json format, or a JSON array of them)"),
            CommonOptions.out("where to write the settings (default: print only)", placeholder: "settings.json"),
            .value("bits", "B", "activation bound bits B (8...32, default 32)"),
            .value("margin", "bits", "headroom kept below the bound, in bits (0...8, default 1)"),
        ],
        examples: ["zkinfer calibrate circuits/mlp_tiny/model.onnx --data samples.json -o settings.json"]
    ) { invocation in
        let modelPath = try invocation.positional(0, "model.onnx")
        let dataPath = try invocation.requiredValue("data")
        let bits = try invocation.integer("bits", default: 32, in: 8...32)
        let margin = try invocation.integer("margin", default: 1, in: 0...8)
        let model = try ModelCommandSupport.loadModel(modelPath)
        let samples = try ModelCommandSupport.loadInputs(dataPath, graph: model.graph)
        let result = try ModelCommandSupport.mapErrors {
            try Calibration.calibrate(model.graph, samples: samples, activationBits: bits, margin: margin)
        }
        if let output = invocation.value("out") {
            do { try FileSystem.write(result.settings.encoded(), to: output) } catch {
                throw CommandFailure.usage("cannot write \(error)")
            }
        }
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("model", .string(modelPath)), ("samples", .int(samples.count)),
                ("settings", ModelCommandSupport.settingsJSON(result.settings)),
                ("maxOutputError", .double(result.maxOutputError)),
                ("largestActivation", .double(result.largestActivation)),
                ("candidates", .int(result.candidatesTried)),
                ("layers", ModelCommandSupport.errorEntriesJSON(result.layers)),
            ]).rendered())
            return
        }
        Console.out("\(modelPath): \(samples.count) sample(s), largest activation \(ModelCommandSupport.scientific(result.largestActivation)), \(result.candidatesTried) candidates")
        Console.out("chosen: \(ModelCommandSupport.describe(result.settings))")
        Console.out("max output error \(ModelCommandSupport.scientific(result.maxOutputError))")
        for line in ModelCommandSupport.errorTable(result.layers) { Console.out(line) }
        if let output = invocation.value("out") { Console.out("wrote \(output)") }
    }
}
