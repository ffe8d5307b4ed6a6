import CommandLineSupport
import ConstraintSystem
import FieldArithmetic
import PlonkVerifier
import SystemSupport

/// Reading keys and proofs; every failure becomes a one-line `CommandFailure` (exit 2: malformed input).
enum Artifacts {
    static func read(_ path: String, what: String, limit: Int = Int.max) throws -> [UInt8] {
        do { return try FileSystem.read(path, limit: limit) } catch let error as FileSystem.Failure {
            throw CommandFailure.malformedInput("cannot read \(what) '\(path)': \(error.reason)")
        }
    }

    static func key(_ path: String) throws -> VerifyingKey {
        do { return try VerifyingKey.decode(try read(path, what: "verifying key")) } catch let e as KeyError {
            throw CommandFailure.malformedInput("\(path): \(e)")
        }
    }

    static func proof(_ path: String) throws -> ProofFile {
        do { return try ProofFile.decode(try read(path, what: "proof")) } catch let e as VerificationError {
            throw CommandFailure.malformedInput("\(path): \(e)")
        }
    }

    static func publicValuesJSON(_ values: [[Fr]]) -> JSONValue {
        .array(values.map { .array($0.map { .string(FieldFormatting.signed($0)) }) })
    }
}
