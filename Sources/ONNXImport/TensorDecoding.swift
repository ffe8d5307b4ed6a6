import ModelGraph

/// ONNX TensorProto.DataType values the importer reads.
enum ONNXDataType: Int32 {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9,
         float16 = 10, double = 11, uint32 = 12, uint64 = 13

    var isInteger: Bool {
        switch self {
        case .float, .double, .float16, .string: return false
        default: return true
        }
    }

    var byteWidth: Int? {
        switch self {
        case .float, .int32, .uint32: return 4
        case .double, .int64, .uint64: return 8
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16: return 2
        case .string: return nil
        }
    }
}

/// A folded constant: its values and whether ONNX treats it as an integer tensor (for integer Div and
/// Cast semantics in shape arithmetic).
struct Constant {
    var tensor: Tensor
    var isInteger: Bool
}

extension TensorProto {
    /// The tensor's values. The declared dims are checked against the data actually present before the
    /// result is allocated, so a hostile header cannot cause a large allocation.
    func decode(what: String) throws -> Constant {
        if isExternal {
            throw ONNXImportError.unsupportedModel(
                "\(what) '\(name)' stores its data in an external file; import the model by its path, next to its data file (zkinfer commands do; in Swift ONNXImporter.load(path:))")
        }
        if hasExternalEntries {
            throw ONNXImportError.malformedFile("\(what) '\(name)' has external_data entries but its data_location is not EXTERNAL")
        }
        if hasSegment { throw ONNXImportError.unsupportedModel("\(what) '\(name)' is segmented") }
        guard let type = ONNXDataType(rawValue: dataType), type != .string, type != .float16 else {
            throw ONNXImportError.unsupportedModel("\(what) '\(name)' has data type \(dataType); supported: float, double, int8/16/32/64, uint8/16/32/64, bool")
        }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Shape.maxElements) }) else {
            throw ONNXImportError.malformedFile("\(what) '\(name)' has invalid dims \(dims)")
        }
        let shape = dims.map { Int($0) }
        let count: Int
        do { count = try Shape.elementCount(shape) } catch { throw ONNXImportError.malformedFile("\(what) '\(name)': \(error)") }

        var values: [Double]
        if let raw {
            let width = type.byteWidth!
            guard raw.count == count * width else {
                throw ONNXImportError.malformedFile("\(what) '\(name)': raw_data has \(raw.count) bytes, shape \(Shape.describe(shape)) needs \(count * width)")
            }
            values = [Double](repeating: 0, count: count)
            let base = raw.lowerBound
            for i in 0..<count {
                var bits: UInt64 = 0
                for b in 0..<width { bits |= UInt64(rawBytes[base + i * width + b]) << (8 * UInt64(b)) }
                values[i] = Self.value(bits: bits, type: type)
            }
        } else {
            switch type {
            case .float: values = floatData.map(Double.init)
            case .double: values = doubleData
            case .int64: values = int64Data.map { Double($0) }
            case .uint64: values = int64Data.map { Double(UInt64(bitPattern: $0)) }
            default: values = int32Data.map { Double($0) }
            }
            guard values.count == count else {
                throw ONNXImportError.malformedFile("\(what) '\(name)': \(values.count) values, shape \(Shape.describe(shape)) needs \(count)")
            }
        }
        guard !values.contains(where: { $0.isNaN }) else {
            throw ONNXImportError.unsupportedModel("\(what) '\(name)' contains NaN")
        }
        // ±∞ (an attention mask's fill, e.g. masked_fill(−inf)) is read as ±float32 max, which exporters also
        // write for the same purpose: a Where branch clamps it (docs/fixed-point.md §6c); anywhere else it is an
        // unrepresentable constant, refused by the fixed-point path.
        for i in values.indices where values[i].isInfinite {
            values[i] = values[i] < 0 ? -Double(Float.greatestFiniteMagnitude) : Double(Float.greatestFiniteMagnitude)
        }
        return Constant(tensor: try Tensor(shape: shape, values: values), isInteger: type.isInteger)
    }

    static func value(bits: UInt64, type: ONNXDataType) -> Double {
        switch type {
        case .float: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .double: return Double(bitPattern: bits)
        case .int64: return Double(Int64(bitPattern: bits))
        case .uint64: return Double(bits)
        case .int32: return Double(Int32(truncatingIfNeeded: bits))
        case .uint32: return Double(UInt32(truncatingIfNeeded: bits))
        case .int16: return Double(Int16(truncatingIfNeeded: bits))
        case .uint16: return Double(UInt16(truncatingIfNeeded: bits))
        case .int8: return Double(Int8(truncatingIfNeeded: bits))
        case .uint8, .bool: return Double(UInt8(truncatingIfNeeded: bits))
        case .float16, .string: return 0
        }
    }
}
