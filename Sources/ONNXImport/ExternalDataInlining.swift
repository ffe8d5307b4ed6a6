/// Rewrites a model's external tensors into ordinary ones (`ExternalData`): the protobuf is copied field by
/// field, unchanged except for the messages on the way to a tensor (Model.graph → Graph.initializer, and
/// Graph.node → Node.attribute → Attribute.t), which are re-encoded with their new lengths. An external
/// tensor loses `external_data` and `data_location` and gains `raw_data`. The result is deterministic: the
/// same model and data files give the same bytes.
extension ExternalData {
    /// The messages that can lead to a tensor, by the field that holds them.
    private enum Level {
        case model, graph, node, attribute, tensor

        func child(_ field: Int) -> Level? {
            switch (self, field) {
            case (.model, 7): return .graph
            case (.graph, 5): return .tensor
            case (.graph, 1): return .node
            case (.node, 5): return .attribute
            case (.attribute, 5): return .tensor
            default: return nil
            }
        }
    }

    /// True when some initializer or attribute tensor of the model stores its data externally. A walk
    /// that skips every payload, so that ordinary models are not copied.
    static func hasExternalTensors(_ bytes: [UInt8]) throws -> Bool {
        var reader = ProtobufReader(bytes: bytes, context: "ModelProto")
        return try containsExternal(&reader, .model)
    }

    private static func containsExternal(_ reader: inout ProtobufReader, _ level: Level) throws -> Bool {
        while let (field, wire) = try reader.nextField() {
            if level == .tensor, field == 14, wire == .varint {
                if try reader.readInt32() == 1 { return true }
            } else if let child = level.child(field), wire == .lengthDelimited {
                var sub = try reader.readMessage("field \(field)")
                if try containsExternal(&sub, child) { return true }
            } else {
                try reader.skip(wire)
            }
        }
        return false
    }

    /// The model with every external tensor's bytes inlined.
    mutating func inline(_ bytes: [UInt8]) throws -> [UInt8] {
        var reader = ProtobufReader(bytes: bytes, context: "ModelProto")
        let result = try rewrite(&reader, .model)
        guard result.count <= ONNXImporter.maxFileBytes else {
            throw ONNXImportError.unsupportedModel("the model with its external data is larger than \(ONNXImporter.maxFileBytes) bytes")
        }
        return result
    }

    private mutating func rewrite(_ reader: inout ProtobufReader, _ level: Level) throws -> [UInt8] {
        if level == .tensor { return try rewriteTensor(&reader) }
        var out: [UInt8] = []
        while true {
            let start = reader.position
            guard let (field, wire) = try reader.nextField() else { break }
            if let child = level.child(field), wire == .lengthDelimited {
                var sub = try reader.readMessage("field \(field)")
                ProtobufWriter.lengthDelimited(field, try rewrite(&sub, child), into: &out)
            } else {
                try reader.skip(wire)
                out += reader.bytes[start..<reader.position]
            }
        }
        return out
    }

    private mutating func rewriteTensor(_ reader: inout ProtobufReader) throws -> [UInt8] {
        var kept: [UInt8] = []
        var name = "", location: Int32 = 0, hasRaw = false
        var entries: [(key: String, value: String)] = []
        while true {
            let start = reader.position
            guard let (field, wire) = try reader.nextField() else { break }
            switch (field, wire) {
            case (13, .lengthDelimited):
                var entry = try reader.readMessage("external_data")
                var key = "", value = ""
                while let (f, w) = try entry.nextField() {
                    switch (f, w) {
                    case (1, .lengthDelimited): key = try entry.readString()
                    case (2, .lengthDelimited): value = try entry.readString()
                    default: try entry.skip(w)
                    }
                }
                guard entries.count < 64 else { throw reader.malformed("more than 64 external_data entries") }
                entries.append((key, value))
            case (14, .varint):
                location = try reader.readInt32()
            default:
                if field == 8, wire == .lengthDelimited {
                    name = try reader.readString()
                } else {
                    if field == 9 { hasRaw = true }
                    try reader.skip(wire)
                }
                kept += reader.bytes[start..<reader.position]
            }
        }
        switch location {
        case 0:
            // ONNX reads external_data only when data_location is EXTERNAL; entries without it are a
            // contradiction this importer refuses rather than guesses about.
            guard entries.isEmpty else {
                throw ONNXImportError.malformedFile("tensor '\(name)' has external_data entries but its data_location is not EXTERNAL")
            }
            return kept
        case 1:
            guard !hasRaw else { throw ONNXImportError.malformedFile("tensor '\(name)' has both raw_data and external data") }
            let data = try bytes(tensor: name, entries: entries)
            ProtobufWriter.lengthDelimited(9, Array(data), into: &kept)
            return kept
        default:
            throw ONNXImportError.malformedFile("tensor '\(name)' has data_location \(location)")
        }
    }
}

/// The few protobuf encodings the rewrite needs.
enum ProtobufWriter {
    static func varint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func lengthDelimited(_ field: Int, _ payload: [UInt8], into out: inout [UInt8]) {
        varint(UInt64(field) << 3 | 2, into: &out)
        varint(UInt64(payload.count), into: &out)
        out += payload
    }
}
