import COpenSSL

/// Randomness that must not be predictable (blinding, batch-verification coefficients, dev SRS τ):
/// OpenSSL's CSPRNG.
public enum SecureRandom {
    public enum Failure: Error, CustomStringConvertible {
        case unavailable
        public var description: String { "OpenSSL's random generator failed (RAND_bytes)" }
    }

    public static func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw Failure.unavailable }
        return out
    }

    /// Fills `buffer`; a failure of the system generator is unrecoverable for the callers that need it.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count > 0 else { return }
        let ok = RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buffer.count))
        precondition(ok == 1, "OpenSSL RAND_bytes failed")
    }
}
