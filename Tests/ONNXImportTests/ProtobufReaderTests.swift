import Testing
@testable import ONNXImport

struct ProtobufReaderTests {
    @Test func varintsDecodeAndOverflowsAreRejected() throws {
        var reader = ProtobufReader(bytes: [0xAC, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], context: "t")
        #expect(try reader.readVarint() == 300)
        #expect(try reader.readVarint() == UInt64.max)
        var tooLong = ProtobufReader(bytes: [UInt8](repeating: 0x80, count: 10) + [0x01], context: "t")
        #expect(throws: ONNXImportError.self) { try tooLong.readVarint() }
        var overflow = ProtobufReader(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], context: "t")
        #expect(throws: ONNXImportError.self) { try overflow.readVarint() }
        var truncated = ProtobufReader(bytes: [0x80], context: "t")
        #expect(throws: ONNXImportError.self) { try truncated.readVarint() }
    }

    @Test func lengthsBeyondTheDataAreRejectedBeforeSlicing() throws {
        var writer = ProtoWriter()
        writer.key(7, 2)
        writer.varint(1 << 40)  // declares a terabyte, holds nothing
        var reader = ProtobufReader(bytes: writer.bytes, context: "t")
        _ = try reader.nextField()
        #expect(throws: ONNXImportError.self) { try reader.readLengthDelimited() }
    }

    @Test func groupsAndBadWireTypesAreRejected() {
        var group = ProtobufReader(bytes: [0x0B], context: "t")  // field 1, wire type 3
        #expect(throws: ONNXImportError.self) { try group.nextField() }
        var bad = ProtobufReader(bytes: [0x0E], context: "t")  // wire type 6
        #expect(throws: ONNXImportError.self) { try bad.nextField() }
        var zero = ProtobufReader(bytes: [0x00], context: "t")  // field number 0
        #expect(throws: ONNXImportError.self) { try zero.nextField() }
    }

    @Test func nestingDepthIsCapped() throws {
        var payload: [UInt8] = []
        for _ in 0..<(ProtobufReader.maxDepth + 24) {
            var w = ProtoWriter()
            w.bytesField(1, payload)
            payload = w.bytes
        }
        var reader = ProtobufReader(bytes: payload, context: "t")
        var depth = 0
        #expect(throws: ONNXImportError.self) {
            while true {
                _ = try reader.nextField()
                reader = try reader.readMessage("m")
                depth += 1
            }
        }
        #expect(depth == ProtobufReader.maxDepth)
    }

    @Test func packedAndUnpackedRepeatedFields() throws {
        var w = ProtoWriter()
        w.bytesField(1, [0x01, 0x96, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])  // packed 1, 150, −1
        w.int(1, 7)
        var reader = ProtobufReader(bytes: w.bytes, context: "t")
        var values: [Int64] = []
        while let (_, wire) = try reader.nextField() { try reader.appendVarints(wire, to: &values) }
        #expect(values == [1, 150, -1, 7])
        var floats = ProtoWriter()
        floats.bytesField(4, [0, 0, 0x80, 0x3F, 0, 0])  // 6 bytes: not a multiple of 4
        var floatReader = ProtobufReader(bytes: floats.bytes, context: "t")
        var out: [Float] = []
        let (_, wire) = try floatReader.nextField()!
        #expect(throws: ONNXImportError.self) { try floatReader.appendFloats(wire, to: &out) }
    }
}
