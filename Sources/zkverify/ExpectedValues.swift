import CommandLineSupport
import FieldArithmetic

/// The `--public` file: `{"public_values": [[v, …], …]}` or the bare array of arrays, one array per
/// instance column; each value a JSON integer or a decimal string (negative values allowed, e.g. "-3").
enum ExpectedValues {
    /// The file may hold `publicValues` values (the key's): a field element has at most 78 decimal digits,
    /// so 128 bytes per value (plus 4 KiB for brackets and spacing) is never too few for an honest file,
    /// and bounds what a hostile one costs: the reader holds the text as Unicode scalars plus a tree of
    /// values (~50× the file) and parses each value (~6 µs) — docs/proof-format.md, "Decoder bounds".
    static func maximumFileBytes(publicValues: Int) -> Int { 4096 + 128 * publicValues }

    static func load(_ path: String, publicValues: Int) throws -> [[Fr]] {
        let limit = maximumFileBytes(publicValues: publicValues)
        let bytes = try Artifacts.read(path, what: "expected public values", limit: limit)
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            var parser = MiniJSON(text)
            let root = try parser.document()
            var node = root
            if case .object(let members) = root {
                guard let inner = members.first(where: { $0.0 == "public_values" })?.1 else {
                    throw MiniJSON.Failure(message: "missing \"public_values\"")
                }
                node = inner
            }
            guard case .array(let columns) = node else { throw MiniJSON.Failure(message: "expected an array of arrays") }
            return try columns.map { column in
                guard case .array(let values) = column else { throw MiniJSON.Failure(message: "expected an array per column") }
                return try values.map(scalar)
            }
        } catch let failure as MiniJSON.Failure {
            throw CommandFailure.malformedInput("\(path): \(failure.message)")
        }
    }

    static func scalar(_ value: MiniJSON.Value) throws -> Fr {
        let text: String
        switch value {
        case .number(let t), .string(let t): text = t
        default: throw MiniJSON.Failure(message: "a public value must be an integer or a decimal string")
        }
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let magnitude = try? Fr(parsing: digits)
        else { throw MiniJSON.Failure(message: "'\(text)' is not an integer below the field order") }
        return negative ? -magnitude : magnitude
    }
}

/// A small JSON reader (objects, arrays, strings, numbers kept as text, literals) with a depth limit;
/// enough for expected-value files, and no Foundation.
struct MiniJSON {
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        case string(String)
        case number(String)
        case literal(String)
    }

    struct Failure: Error { let message: String }

    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func document() throws -> Value {
        let v = try value(depth: 0)
        skipSpace()
        guard index == scalars.count else { throw Failure(message: "trailing characters at offset \(index)") }
        return v
    }

    private mutating func skipSpace() {
        while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
    }

    private mutating func expect(_ c: Unicode.Scalar) throws {
        skipSpace()
        guard index < scalars.count, scalars[index] == c else { throw Failure(message: "expected '\(c)' at offset \(index)") }
        index += 1
    }

    private mutating func value(depth: Int) throws -> Value {
        guard depth < 64 else { throw Failure(message: "nested too deeply") }
        skipSpace()
        guard index < scalars.count else { throw Failure(message: "unexpected end of input") }
        switch scalars[index] {
        case "{":
            index += 1
            var members: [(String, Value)] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "}" { index += 1; return .object(members) }
            repeat {
                skipSpace()
                guard case .string(let key) = try value(depth: depth + 1) else { throw Failure(message: "object keys are strings") }
                try expect(":")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
            } while try separator(closing: "}")
            return .object(members)
        case "[":
            index += 1
            var items: [Value] = []
            skipSpace()
            if index < scalars.count, scalars[index] == "]" { index += 1; return .array(items) }
            repeat { items.append(try value(depth: depth + 1)) } while try separator(closing: "]")
            return .array(items)
        case "\"":
            index += 1
            var s = ""
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\" { throw Failure(message: "escapes are not supported in values") }
                s.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard index < scalars.count else { throw Failure(message: "unterminated string") }
            index += 1
            return .string(s)
        default:
            var s = ""
            while index < scalars.count, !",]} \n\r\t:".unicodeScalars.contains(scalars[index]) {
                s.unicodeScalars.append(scalars[index])
                index += 1
            }
            if ["true", "false", "null"].contains(s) { return .literal(s) }
            guard !s.isEmpty, s.unicodeScalars.allSatisfy({ $0 == "-" || ("0"..."9").contains($0) }) else {
                throw Failure(message: "unexpected '\(s.isEmpty ? String(scalars[index]) : s)' at offset \(index)")
            }
            return .number(s)
        }
    }

    /// After an item: "," continues, the closing bracket ends.
    private mutating func separator(closing: Unicode.Scalar) throws -> Bool {
        skipSpace()
        guard index < scalars.count else { throw Failure(message: "unexpected end of input") }
        let c = scalars[index]
        index += 1
        if c == "," { return true }
        if c == closing { return false }
        throw Failure(message: "expected ',' or '\(closing)' at offset \(index - 1)")
    }
}
