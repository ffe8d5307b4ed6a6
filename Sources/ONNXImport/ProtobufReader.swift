/// Protocol-buffer wire-format reader over untrusted bytes.
///
/// Hardening: every length is checked against the bytes that remain before anything is sliced or
/// allocated; varints longer than 10 bytes or overflowing 64 bits are rejected; groups (deprecated wire
/// types 3/4) are rejected; nested messages are read with an explicit depth that is capped. Nothing is
/// ever allocated from a declared size: repeated fields grow only as elements are actually read.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    /// Deepest message nesting accepted (Model → Graph → Node → Attribute → Tensor needs 5; each subgraph
    /// of a Loop or If adds 3, and a value's type inside it 5 more: torch's dynamo exports nest Ifs 4 deep).
    static let maxDepth = 64

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    let depth: Int
    /// What is being read, for messages: "ModelProto.graph.node".
    let context: String

    init(bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.position = 0
        self.end = bytes.count
        self.depth = 0
        self.context = context
    }

    private init(bytes: [UInt8], range: Range<Int>, depth: Int, context: String) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.depth = depth
        self.context = context
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type, or nil at the end of this message.
    mutating func nextField() throws -> (number: Int, wire: WireType)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw malformed("field number \(number) out of range") }
        guard let wire = WireType(rawValue: UInt8(key & 7)) else { throw malformed("unknown wire type \(key & 7)") }
        if wire == .startGroup || wire == .endGroup { throw malformed("groups are not supported") }
        return (Int(number), wire)
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw truncated("varint") }
            let byte = bytes[position]
            position += 1
            if index == 9 && byte > 1 { throw malformed("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return result }
        }
        throw malformed("varint longer than 10 bytes")
    }

    /// int64 fields are encoded as two's-complement varints.
    mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readVarint()) }

    /// int32 fields: the varint must sign-extend from 32 bits.
    mutating func readInt32() throws -> Int32 {
        let value = Int64(bitPattern: try readVarint())
        guard let narrow = Int32(exactly: value) else { throw malformed("int32 field out of range: \(value)") }
        return narrow
    }

    mutating func readFixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw truncated("fixed32") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func readFixed64() throws -> UInt64 {
        guard end - position >= 8 else { throw truncated("fixed64") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    /// The byte range of a length-delimited field; the length is checked against what remains.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw truncated("length-delimited field of \(length) bytes with \(end - position) left")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readString() throws -> String {
        let range = try readLengthDelimited()
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw malformed("string is not UTF-8") }
        return text
    }

    /// A reader over a nested message, one level deeper.
    mutating func readMessage(_ name: String) throws -> ProtobufReader {
        let range = try readLengthDelimited()
        guard depth + 1 <= Self.maxDepth else { throw malformed("messages nested deeper than \(Self.maxDepth)") }
        return ProtobufReader(bytes: bytes, range: range, depth: depth + 1, context: context + "." + name)
    }

    /// Skips a field of any supported wire type.
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup, .endGroup: throw malformed("groups are not supported")
        }
    }

    /// A repeated varint field, packed (one length-delimited run) or not (one element per field).
    mutating func appendVarints(_ wire: WireType, to array: inout [Int64]) throws {
        switch wire {
        case .varint: array.append(try readInt64())
        case .lengthDelimited:
            let range = try readLengthDelimited()
            var packed = ProtobufReader(bytes: bytes, range: range, depth: depth, context: context)
            while !packed.isAtEnd { array.append(try packed.readInt64()) }
        default: throw malformed("repeated integer field has wire type \(wire)")
        }
    }

    /// A repeated float field (fixed32), packed or not.
    mutating func appendFloats(_ wire: WireType, to array: inout [Float]) throws {
        switch wire {
        case .fixed32: array.append(Float(bitPattern: try readFixed32()))
        case .lengthDelimited:
            let range = try readLengthDelimited()
            guard range.count % 4 == 0 else { throw malformed("packed float field is not a multiple of 4 bytes") }
            var packed = ProtobufReader(bytes: bytes, range: range, depth: depth, context: context)
            array.reserveCapacity(array.count + range.count / 4)
            while !packed.isAtEnd { array.append(Float(bitPattern: try packed.readFixed32())) }
        default: throw malformed("repeated float field has wire type \(wire)")
        }
    }

    /// A repeated double field (fixed64), packed or not.
    mutating func appendDoubles(_ wire: WireType, to array: inout [Double]) throws {
        switch wire {
        case .fixed64: array.append(Double(bitPattern: try readFixed64()))
        case .lengthDelimited:
            let range = try readLengthDelimited()
            guard range.count % 8 == 0 else { throw malformed("packed double field is not a multiple of 8 bytes") }
            var packed = ProtobufReader(bytes: bytes, range: range, depth: depth, context: context)
            array.reserveCapacity(array.count + range.count / 8)
            while !packed.isAtEnd { array.append(Double(bitPattern: try packed.readFixed64())) }
        default: throw malformed("repeated double field has wire type \(wire)")
        }
    }

    func malformed(_ reason: String) -> ONNXImportError {
        .malformedFile("\(context): \(reason) (at byte \(position))")
    }

    func truncated(_ what: String) -> ONNXImportError {
        .malformedFile("\(context): truncated \(what) (at byte \(position))")
    }
}
