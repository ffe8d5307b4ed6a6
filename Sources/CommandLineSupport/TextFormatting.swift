#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// printf-style number formatting without Foundation: the command-line tools link only
/// FoundationEssentials, which loads in a fraction of Foundation's start-up time and memory.
public enum TextFormatting {
    /// `x` with `decimals` digits after the point, exactly as C's "%.<decimals>f".
    public static func fixed(_ x: Double, decimals: Int) -> String {
        let format = "%.\(max(0, min(decimals, 40)))f"
        var buffer = [CChar](repeating: 0, count: 400)
        let written = buffer.withUnsafeMutableBufferPointer { out in
            withVaList([x]) { vsnprintf(out.baseAddress, out.count, format, $0) }
        }
        guard written >= 0 else { return "\(x)" }
        let bytes = buffer.prefix(min(Int(written), buffer.count - 1)).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
