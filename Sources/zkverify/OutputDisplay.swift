import CommandLineSupport
import ConstraintSystem
import FieldArithmetic
import PlonkVerifier

/// What `zkverify` prints about a verified proof: the public values and the key's metadata.
///
/// Hook for the compiler (issue 8): the key's metadata holds scales and the instance layout; decoding
/// them into dequantized outputs belongs here (`outputLines` / `outputJSON`), reading only
/// `key.metadata` and the verified public values.
enum OutputDisplay {
    static func outputLines(key: VerifyingKey, publicValues: [[Fr]]) -> [String] {
        var lines: [String] = []
        for (i, column) in publicValues.enumerated() {
            let name = key.circuit.instanceNames[i]
            lines.append("public \(name): [" + column.map(FieldFormatting.signed).joined(separator: ", ") + "]")
        }
        for entry in key.metadata.printable { lines.append("metadata \(entry.key): \(entry.value)") }
        return lines
    }

    static func outputJSON(key: VerifyingKey, publicValues: [[Fr]]) -> [(String, JSONValue)] {
        [
            ("public_values", Artifacts.publicValuesJSON(publicValues)),
            ("instance_columns", .array(key.circuit.instanceNames.map(JSONValue.string))),
            ("metadata", .object(key.metadata.printable.map { ($0.key, .string($0.value)) })),
        ]
    }
}
