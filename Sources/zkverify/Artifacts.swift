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

    /// The development-SRS policy: such keys prove nothing (whoever made the SRS can forge proofs).
    static func requireTrusted(_ key: VerifyingKey, allowDevelopment: Bool) throws {
        if key.srs.isInsecure && !allowDevelopment {
            throw CommandFailure.rejected(
                "the verifying key was made from an INSECURE development SRS (anyone holding its tau can forge proofs); pass --allow-dev-srs to verify anyway")
        }
    }

    static func publicValuesJSON(_ values: [[Fr]]) -> JSONValue {
        .array(values.map { .array($0.map { .string(FieldFormatting.signed($0)) }) })
    }
}
