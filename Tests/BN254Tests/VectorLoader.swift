import Foundation
@testable import BN254
import FieldArithmetic

/// Reads the committed py_ecc vectors (Tests/BN254Tests/Vectors, schema in its README) and converts their
/// JSON values into our types. A malformed vector file fails the test that reads it.
struct Vectors {
    let root: [String: Any]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors").appendingPathComponent(name)
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw VectorError.malformed(name)
        }
        root = object
    }

    func list(_ path: String...) throws -> [[String: Any]] {
        var node: Any = root
        for key in path {
            guard let next = (node as? [String: Any])?[key] else { throw VectorError.missing(path.joined(separator: ".")) }
            node = next
        }
        guard let items = node as? [[String: Any]] else { throw VectorError.missing(path.joined(separator: ".")) }
        return items
    }
}

enum VectorError: Error { case malformed(String), missing(String) }

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) throws -> String {
        guard let value = self[key] as? String else { throw VectorError.missing(key) }
        return value
    }
    func fr(_ key: String) throws -> Fr { try Fr(parsing: string(key)) }
    func fq(_ key: String) throws -> Fq { try Fq(parsing: string(key)) }
    func big(_ key: String) throws -> BigInteger {
        guard let value = BigInteger(try string(key)) else { throw VectorError.malformed(key) }
        return value
    }
    func fq2(_ key: String) throws -> Fq2 { try Vectors.fq2(self[key]) }
    func fq12(_ key: String) throws -> Fq12 {
        guard let items = self[key] as? [String], items.count == 12 else { throw VectorError.missing(key) }
        return Fq12(flatCoefficients: try items.map { try Fq(parsing: $0) })
    }
    func bytes(_ key: String) throws -> [UInt8] { try Vectors.hex(string(key)) }
    func object(_ key: String) throws -> [String: Any] {
        guard let value = self[key] as? [String: Any] else { throw VectorError.missing(key) }
        return value
    }
    func g1(_ key: String) throws -> G1Affine {
        let point = try object(key)
        if point["infinity"] as? Bool == true { return .infinity }
        return try G1Affine(x: point.fq("x"), y: point.fq("y"))
    }
    func g2(_ key: String) throws -> G2Affine {
        let point = try object(key)
        if point["infinity"] as? Bool == true { return .infinity }
        return try G2Affine(x: point.fq2("x"), y: point.fq2("y"))
    }
}

extension Vectors {
    static func fq2(_ value: Any?) throws -> Fq2 {
        guard let items = value as? [String], items.count == 2 else { throw VectorError.missing("Fq2") }
        return Fq2(try Fq(parsing: items[0]), try Fq(parsing: items[1]))
    }

    static func hex(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw VectorError.malformed(text) }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            default: throw VectorError.malformed(text)
            }
        }
        return try stride(from: 0, to: digits.count, by: 2).map { try nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }
}
