/// The subset of onnx.proto (ONNX IR) that the importer reads. Field numbers follow onnx/onnx.proto3;
/// unknown fields are skipped, fields whose presence makes a model unsupported are recorded so the
/// importer can say what is unsupported.
struct ModelProto {
    var irVersion: Int64 = 0
    var opsets: [(domain: String, version: Int64)] = []
    var producer = ""
    var graph: GraphProto?
    var hasFunctions = false

    init(bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes: bytes, context: "ModelProto")
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .varint): irVersion = try reader.readInt64()
            case (2, .lengthDelimited): producer = try reader.readString()
            case (7, .lengthDelimited):
                guard graph == nil else { throw reader.malformed("two graphs") }
                var sub = try reader.readMessage("graph")
                graph = try GraphProto(&sub)
            case (8, .lengthDelimited):
                var sub = try reader.readMessage("opset_import")
                var domain = "", version: Int64 = 0
                while let (f, w) = try sub.nextField() {
                    switch (f, w) {
                    case (1, .lengthDelimited): domain = try sub.readString()
                    case (2, .varint): version = try sub.readInt64()
                    default: try sub.skip(w)
                    }
                }
                opsets.append((domain, version))
            case (25, .lengthDelimited): hasFunctions = true; try reader.skip(wire)
            default: try reader.skip(wire)
            }
        }
    }
}

struct GraphProto {
    var nodes: [NodeProto] = []
    var initializers: [TensorProto] = []
    var inputs: [ValueInfoProto] = []
    var outputs: [ValueInfoProto] = []
    var hasSparseInitializers = false

    init(_ reader: inout ProtobufReader) throws {
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited):
                var sub = try reader.readMessage("node[\(nodes.count)]")
                nodes.append(try NodeProto(&sub))
            case (5, .lengthDelimited):
                var sub = try reader.readMessage("initializer[\(initializers.count)]")
                initializers.append(try TensorProto(&sub))
            case (11, .lengthDelimited):
                var sub = try reader.readMessage("input")
                inputs.append(try ValueInfoProto(&sub))
            case (12, .lengthDelimited):
                var sub = try reader.readMessage("output")
                outputs.append(try ValueInfoProto(&sub))
            case (15, .lengthDelimited): hasSparseInitializers = true; try reader.skip(wire)
            default: try reader.skip(wire)
            }
        }
    }
}

struct NodeProto {
    var inputs: [String] = []
    var outputs: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attributes: [AttributeProto] = []

    init(_ reader: inout ProtobufReader) throws {
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): inputs.append(try reader.readString())
            case (2, .lengthDelimited): outputs.append(try reader.readString())
            case (3, .lengthDelimited): name = try reader.readString()
            case (4, .lengthDelimited): opType = try reader.readString()
            case (7, .lengthDelimited): domain = try reader.readString()
            case (5, .lengthDelimited):
                var sub = try reader.readMessage("attribute")
                attributes.append(try AttributeProto(&sub))
            default: try reader.skip(wire)
            }
        }
    }

    func attribute(_ name: String) -> AttributeProto? { attributes.first { $0.name == name } }
}

struct AttributeProto {
    enum Kind: Int32 {
        case undefined = 0, float = 1, int = 2, string = 3, tensor = 4, graph = 5, floats = 6, ints = 7,
             strings = 8, tensors = 9, graphs = 10, sparseTensor = 11, sparseTensors = 12, typeProto = 13,
             typeProtos = 14
    }

    var name = ""
    var kind: Kind = .undefined
    var float: Float?
    var int: Int64?
    var string: String?
    var tensor: TensorProto?
    var floats: [Float] = []
    var ints: [Int64] = []
    /// A graph attribute (`g`: a Loop's body, an If's branches), unrolled or inlined at import (`ControlFlow`).
    /// An array only because a struct cannot hold itself directly; it has at most one element.
    var graphs: [GraphProto] = []
    /// A strings attribute (e.g. the recurrent operators' `activations`), as UTF-8 text.
    var strings: [String] = []
    /// Other kinds (graph lists, sparse tensors, type protos) the importer rejects by name.
    var hasUnsupportedPayload = false
    var refAttrName: String?

    init(_ reader: inout ProtobufReader) throws {
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (20, .varint):
                let raw = try reader.readInt32()
                kind = Kind(rawValue: raw) ?? .undefined
            case (2, .fixed32): float = Float(bitPattern: try reader.readFixed32())
            case (3, .varint): int = try reader.readInt64()
            case (4, .lengthDelimited):
                // Strings attributes are bytes; only UTF-8 text (e.g. auto_pad) is used.
                let range = try reader.readLengthDelimited()
                string = String(decoding: reader.bytes[range], as: UTF8.self)
            case (5, .lengthDelimited):
                var sub = try reader.readMessage("t")
                tensor = try TensorProto(&sub)
            case (7, _): try reader.appendFloats(wire, to: &floats)
            case (8, _): try reader.appendVarints(wire, to: &ints)
            case (21, .lengthDelimited): refAttrName = try reader.readString()
            case (6, .lengthDelimited):
                guard graphs.isEmpty else { throw reader.malformed("attribute with two graphs") }
                var sub = try reader.readMessage("g")
                graphs.append(try GraphProto(&sub))
            case (9, .lengthDelimited):
                let range = try reader.readLengthDelimited()
                strings.append(String(decoding: reader.bytes[range], as: UTF8.self))
            case (6, _), (9, _), (10, _), (11, _), (14, _), (15, _), (22, _), (23, _):
                hasUnsupportedPayload = true
                try reader.skip(wire)
            default: try reader.skip(wire)
            }
        }
    }
}

struct TensorProto {
    var dims: [Int64] = []
    var dataType: Int32 = 0
    var name = ""
    var raw: Range<Int>?
    var rawBytes: [UInt8] = []
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var doubleData: [Double] = []
    /// data_location = EXTERNAL: the data is in another file (`ExternalData` inlines it).
    var isExternal = false
    /// external_data entries, which ONNX reads only when data_location is EXTERNAL.
    var hasExternalEntries = false
    var hasSegment = false
    var hasStrings = false

    init(_ reader: inout ProtobufReader) throws {
        rawBytes = reader.bytes
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, _):
                try reader.appendVarints(wire, to: &dims)
                guard dims.count <= 16 else { throw reader.malformed("tensor of rank above 16") }
            case (2, .varint): dataType = try reader.readInt32()
            case (3, .lengthDelimited): hasSegment = true; try reader.skip(wire)
            case (4, _): try reader.appendFloats(wire, to: &floatData)
            case (5, _): try reader.appendVarints(wire, to: &int32Data)
            case (6, _): hasStrings = true; try reader.skip(wire)
            case (7, _): try reader.appendVarints(wire, to: &int64Data)
            case (8, .lengthDelimited): name = try reader.readString()
            case (9, .lengthDelimited): raw = try reader.readLengthDelimited()
            case (10, _): try reader.appendDoubles(wire, to: &doubleData)
            case (13, .lengthDelimited): hasExternalEntries = true; try reader.skip(wire)
            case (14, .varint): if try reader.readInt32() == 1 { isExternal = true }
            default: try reader.skip(wire)
            }
        }
    }
}

struct ValueInfoProto {
    enum Dimension: Equatable {
        case value(Int64)
        case parameter(String)
        case unknown
    }

    var name = ""
    var elementType: Int32 = 0
    var dims: [Dimension]?
    var isTensorType = false

    init(_ reader: inout ProtobufReader) throws {
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var type = try reader.readMessage("type")
                while let (f, w) = try type.nextField() {
                    guard f == 1, w == .lengthDelimited else { try type.skip(w); continue }
                    isTensorType = true
                    var tensorType = try type.readMessage("tensor_type")
                    while let (tf, tw) = try tensorType.nextField() {
                        switch (tf, tw) {
                        case (1, .varint): elementType = try tensorType.readInt32()
                        case (2, .lengthDelimited):
                            var shape = try tensorType.readMessage("shape")
                            var result: [Dimension] = []
                            while let (sf, sw) = try shape.nextField() {
                                guard sf == 1, sw == .lengthDelimited else { try shape.skip(sw); continue }
                                guard result.count < 16 else { throw shape.malformed("shape of rank above 16") }
                                var dim = try shape.readMessage("dim")
                                var d = Dimension.unknown
                                while let (df, dw) = try dim.nextField() {
                                    switch (df, dw) {
                                    case (1, .varint): d = .value(try dim.readInt64())
                                    case (2, .lengthDelimited): d = .parameter(try dim.readString())
                                    default: try dim.skip(dw)
                                    }
                                }
                                result.append(d)
                            }
                            dims = result
                        default: try tensorType.skip(tw)
                        }
                    }
                }
            default: try reader.skip(wire)
            }
        }
    }
}
