import CommandLineSupport
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

/// Loading and error mapping shared by the model commands (check, run, calibrate).
enum ModelCommandSupport {
    static func loadModel(_ path: String) throws -> ONNXModel {
        try importModel(try selfContainedModel(path), path: path)
    }

    /// The model file with its external data (if any) inlined: what `compile` embeds in a circuit file.
    static func selfContainedModel(_ path: String) throws -> [UInt8] {
        do { return try ONNXImporter.selfContainedModel(path: path) } catch let error as ONNXImportError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }

    /// The same for a model file already read.
    static func selfContainedModel(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        do { return try ONNXImporter.selfContainedModel(bytes: bytes, path: path) } catch let error as ONNXImportError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }

    static func importModel(_ bytes: [UInt8], path: String) throws -> ONNXModel {
        do {
            return try ONNXImporter.importModel(bytes: bytes)
        } catch ONNXImportError.unsupportedOperators(let nodes) {
            // The full list goes to stderr, one node per line; the exit line summarises.
            Console.err("\(path): \(nodes.count) unsupported node(s):")
            for node in nodes { Console.err("  - \(node)") }
            Console.err("supported operators: " + SupportedOperators.names.sorted().joined(separator: ", "))
            throw CommandFailure.rejected("model not supported: \(nodes.count) unsupported node(s)")
        } catch let error as ONNXImportError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }

    static func loadSettings(_ invocation: Invocation) throws -> QuantizationSettings {
        guard let path = invocation.value("settings") else { return .default }
        do { return try QuantizationSettings.load(path: path) } catch let error as QuantizationError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }

    static func loadInputs(_ path: String, graph: ModelGraph) throws -> [ModelInput] {
        do { return try InputFile.load(path: path, graph: graph) } catch let error as InferenceError {
            throw CommandFailure.malformedInput("\(path): \(error)")
        }
    }

    /// Runs `body`, turning spec violations into exit 1 and other library errors into exit 2.
    static func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as QuantizationError {
            if case .outOfRange = error { throw CommandFailure.rejected(error.description) }
            if case .unrepresentableConstant = error { throw CommandFailure.rejected(error.description) }
            throw CommandFailure.malformedInput(error.description)
        } catch let error as InferenceError {
            throw CommandFailure.malformedInput(error.description)
        } catch let error as ModelGraphError {
            throw CommandFailure.malformedInput(error.description)
        }
    }

    static func settingsJSON(_ s: QuantizationSettings) -> JSONValue {
        .object([
            ("version", .int(s.version)), ("activationScale", .int(s.activationScale)),
            ("parameterScale", .int(s.parameterScale)), ("activationBits", .int(s.activationBits)),
            ("tableScale", .int(s.tableScale)), ("tableBits", .int(s.tableBits)),
        ])
    }

    static func describe(_ s: QuantizationSettings) -> String {
        "s = \(s.activationScale), w = \(s.parameterScale), B = \(s.activationBits), tables t = \(s.tableScale), D = \(s.tableBits)"
    }

    static func scientific(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return x == 0 ? "0" : "\(x)" }
        var exponent = 0
        var mantissa = abs(x)
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let rounded = (mantissa * 100).rounded() / 100
        return (x < 0 ? "-" : "") + String(format2(rounded)) + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    }

    static func format2(_ x: Double) -> String {
        let cents = Int((x * 100).rounded())
        let text = String(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + String(cents % 100)
        return text
    }

    static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }

    static func errorEntriesJSON(_ entries: [ErrorReport.Entry]) -> JSONValue {
        .array(entries.map {
            .object([("name", .string($0.name)), ("op", .string($0.op)), ("output", .bool($0.isOutput)),
                     ("maxAbsError", .double($0.maxAbsError)), ("meanAbsError", .double($0.meanAbsError)),
                     ("bound", .double($0.bound))])
        })
    }

    static func errorTable(_ entries: [ErrorReport.Entry]) -> [String] {
        let width = max(5, entries.map(\.name.count).max() ?? 0)
        var lines = ["  " + pad("layer", width, left: true) + "  " + pad("op", 18, left: true) + pad("max |err|", 11) + pad("mean |err|", 11) + pad("bound", 11)]
        for e in entries {
            lines.append("  " + pad(e.name, width, left: true) + "  " + pad(e.op + (e.isOutput ? " (out)" : ""), 18, left: true)
                         + pad(scientific(e.maxAbsError), 11) + pad(scientific(e.meanAbsError), 11) + pad(scientific(e.bound), 11))
        }
        return lines
    }
}
