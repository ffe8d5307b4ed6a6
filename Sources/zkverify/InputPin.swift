import CommandLineSupport
import FieldArithmetic
import FixedPointCore
import ModelMetadata
import PlonkVerifier

/// `zkverify --input input.json`: a valid proof says only that *some* input in range gives its output; this
/// pins which one. The file (any format `zkinfer prove` accepts) is quantized with the key's own settings
/// (docs/fixed-point.md §2, the settings JSON in the key's metadata, bound by its fingerprint) and every
/// integer must equal the proof's public input at the same place.
///
/// Exit codes: a file that is not an input file, a key without a model description, or a key whose input is
/// private: 2. A file that does not fit the key's inputs (names, counts) or quantizes outside the bound: 1,
/// like a differing value.
struct InputPin {
    /// An input file needs at most ~40 bytes per value ({"value": …, "decimals": …} included): 256 per value
    /// plus 4 KiB is never too few for an honest file and bounds what a hostile one costs (the JSON tree is
    /// up to ~25× the file; docs/proof-format.md, "Decoder bounds"). Shapes come from the key: saturating.
    static func maximumFileBytes(_ specs: [InputTensorSpec]) -> Int {
        var total = 4096
        for spec in specs {
            let (bytes, overflow) = spec.elementCount.multipliedReportingOverflow(by: 256)
            guard !overflow, total <= Int.max - bytes else { return Int.max }
            total += bytes
        }
        return total
    }

    let path: String
    let description: ModelDescription
    let settings: QuantizationSettings
    /// Every model input (all public) with the file's integers.
    let tensors: [(layout: ModelDescription.TensorLayout, integers: [Int64])]

    static func load(_ path: String, key: VerifyingKey) throws -> InputPin {
        guard let description = ModelDescription(key.metadata) else {
            throw CommandFailure.malformedInput(
                "--input needs a key made by `zkinfer setup`: this key has no model description (use --public to pin raw public values)")
        }
        if let hidden = description.inputs.first(where: { $0.publicStart == nil }) {
            throw CommandFailure.malformedInput(
                "the key's input '\(hidden.name)' is private (compiled with --private-input): its proofs do not reveal it, so --input cannot pin it")
        }
        let settings: QuantizationSettings
        do { settings = try QuantizationSettings.decode(Array(description.settingsJSON.utf8)) } catch {
            throw CommandFailure.malformedInput("the key's settings do not decode: \(error)")
        }
        let specs = description.inputs.map { InputTensorSpec(name: $0.name, shape: $0.shape, isInteger: $0.isInteger) }
        for (layout, spec) in zip(description.inputs, specs) where layout.count != spec.elementCount {
            throw CommandFailure.malformedInput(
                "the key's input '\(layout.name)' has \(layout.count) public values for shape \(spec.shape)")
        }
        do {
            let samples = try InputFileFormat.load(path: path, inputs: specs, maximumBytes: maximumFileBytes(specs))
            guard samples.count == 1 else {
                throw CommandFailure.malformedInput("\(path) holds \(samples.count) samples; a proof has one input")
            }
            let tensors = try zip(description.inputs, samples[0]).map { layout, values in
                (layout, try InputFileFormat.quantize(values, input: layout.name, settings: settings, isInteger: layout.isInteger))
            }
            return InputPin(path: path, description: description, settings: settings, tensors: tensors)
        } catch let error as QuantizationError {
            switch error {
            case .inputMismatch(let reason):
                throw CommandFailure.rejected("\(path) does not fit the key's inputs: \(reason)")
            case .outOfRange:
                throw CommandFailure.rejected("\(path): \(error) (no valid proof of this key can have it as input)")
            default:
                throw CommandFailure.malformedInput("\(path): \(error)")
            }
        }
    }

    /// The first public input that differs from the file — tensor, flat index, the file's and the proof's
    /// integers (and real values) — or nil when all are equal. Call on verified public values.
    func firstMismatch(_ publicValues: [[Fr]]) -> String? {
        for (layout, expected) in tensors {
            let scale = description.scale(of: layout)
            func show(_ v: Int64) -> String { "\(v) (\(ModelDescription.format(FixedPoint.dequantize(v, scale: scale))))" }
            guard let proved = description.integers(of: layout, publicValues: publicValues), proved.count == expected.count else {
                return "the proof's input '\(layout.name)' is not \(expected.count) integers of this key's layout"
            }
            if let i = expected.indices.first(where: { expected[$0] != proved[$0] }) {
                return "input '\(layout.name)' element \(i): \(path) gives \(show(expected[i])), the proof has \(show(proved[i]))"
            }
        }
        return nil
    }

    /// One line per pinned tensor, for a match.
    var matchLines: [String] {
        tensors.map { "input '\($0.layout.name)' matches \(path) (\($0.integers.count) values at scale 2^\(description.scale(of: $0.layout)))" }
    }
}
