#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// printf-style number formatting and path splitting without Foundation: the command-line tools link only
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

    /// The directory part of a path ("" for a bare file name, "/" for a file in the root).
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.last == "/" { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component of a path (trailing slashes ignored).
    public static func lastComponent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.last == "/" { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/"), trimmed.count > 1 else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `directory`/`name`, without doubling a slash.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
