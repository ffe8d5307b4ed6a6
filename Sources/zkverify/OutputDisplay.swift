import CommandLineSupport
import ConstraintSystem
import FieldArithmetic
import ModelMetadata
import PlonkVerifier

/// What `zkverify` prints about a verified proof: the public values and the key's metadata.
///
/// Hook for the compiler (issue 8): the key's metadata holds scales and the instance layout; decoding
/// them into dequantized outputs belongs here (`outputLines` / `outputJSON`), reading only
/// `key.metadata` and the verified public values.
enum OutputDisplay {
    static func outputLines(key: VerifyingKey, publicValues: [[Fr]]) -> [String] {
        // A key made by the compiler: the verified outputs as real numbers, through the key's own layout.
        if let model = ModelDescription(key.metadata) { return model.outputLines(publicValues: publicValues) }
        var lines: [String] = []
        for (i, column) in publicValues.enumerated() {
            let name = key.circuit.instanceNames[i]
            lines.append("public \(name): [" + column.map(FieldFormatting.signed).joined(separator: ", ") + "]")
        }
        for entry in key.metadata.printable { lines.append("metadata \(entry.key): \(entry.value)") }
        return lines
    }

    static func outputJSON(key: VerifyingKey, publicValues: [[Fr]]) -> [(String, JSONValue)] {
        var model: [(String, JSONValue)] = []
        if let d = ModelDescription(key.metadata) {
            model.append(("scale", .int(d.activationScale)))
            model.append(("model_sha256", .string(d.modelSHA256)))
            func tensor(_ t: ModelDescription.VerifiedTensor?, digest: Bool) -> JSONValue {
                guard let t else { return .null }
                var members: [(String, JSONValue)] = [
                    ("name", .string(t.name)), ("shape", .array(t.shape.map { .int($0) })),
                    ("values", .array(t.values.map { .double($0) })), ("fixed", .array(t.fixed.map { .int(Int($0)) })),
                ]
                if t.isInteger { members.append(("integer", .bool(true))) }
                if digest { members.append(("sha256", .string(ModelDescription.digest(t.fixed)))) }
                return .object(members)
            }
            model.append(("outputs", .array(d.verifiedOutputs(publicValues: publicValues).map { tensor($0, digest: false) })))
            // Public inputs: every value, and the digest of docs/proof-format.md §6.
            model.append(("inputs", .array(d.verifiedInputs(publicValues: publicValues).map { tensor($0, digest: true) })))
        }
        return model + [
            ("public_values", Artifacts.publicValuesJSON(publicValues)),
            ("instance_columns", .array(key.circuit.instanceNames.map(JSONValue.string))),
            ("metadata", .object(key.metadata.printable.map { ($0.key, .string($0.value)) })),
        ]
    }
}
