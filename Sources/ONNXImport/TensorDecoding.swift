import ModelGraph

/// ONNX TensorProto.DataType values the importer reads.
enum ONNXDataType: Int32 {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9,
         float16 = 10, double = 11, uint32 = 12, uint64 = 13,
         bfloat16 = 16, float8e4m3fn = 17, float8e4m3fnuz = 18, float8e5m2 = 19, float8e5m2fnuz = 20,
         uint4 = 21, int4 = 22, float4e2m1 = 23, float8e8m0 = 24, uint2 = 25, int2 = 26

    var isInteger: Bool { format(saturate: true).isInteger }

    /// Bits per element (the 4- and 2-bit types are packed, low bits first); nil for string.
    var bitWidth: Int? {
        switch self {
        case .float, .int32, .uint32: return 32
        case .double, .int64, .uint64: return 64
        case .uint8, .int8, .bool, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: return 8
        case .uint16, .int16, .float16, .bfloat16: return 16
        case .uint4, .int4, .float4e2m1: return 4
        case .uint2, .int2: return 2
        case .string: return nil
        }
    }

    /// The values the type holds, as a Cast onto it rounds (`saturate` and `rounding` are Cast's attributes).
    func format(saturate: Bool, rounding: NumberFormat.PowerOfTwoRounding = .up) -> NumberFormat {
        switch self {
        case .float, .double, .string: return .real
        case .bool: return .bool
        case .uint8: return .integer(bits: 8, signed: false)
        case .int8: return .integer(bits: 8, signed: true)
        case .uint16: return .integer(bits: 16, signed: false)
        case .int16: return .integer(bits: 16, signed: true)
        case .int32: return .integer(bits: 32, signed: true)
        case .uint32: return .integer(bits: 32, signed: false)
        case .int64: return .integer(bits: 64, signed: true)
        case .uint64: return .integer(bits: 64, signed: false)
        case .uint4: return .integer(bits: 4, signed: false)
        case .int4: return .integer(bits: 4, signed: true)
        case .uint2: return .integer(bits: 2, signed: false)
        case .int2: return .integer(bits: 2, signed: true)
        case .float16: return .float(.float16)
        case .bfloat16: return .float(.bfloat16)
        case .float8e4m3fn: return .float(.float8e4m3fn(saturate: saturate))
        case .float8e4m3fnuz: return .float(.float8e4m3fnuz(saturate: saturate))
        case .float8e5m2: return .float(.float8e5m2(saturate: saturate))
        case .float8e5m2fnuz: return .float(.float8e5m2fnuz(saturate: saturate))
        case .float4e2m1: return .float(.float4e2m1)
        case .float8e8m0: return .powerOfTwo(rounding: rounding, saturate: saturate)
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
        guard let type = ONNXDataType(rawValue: dataType), type != .string else {
            throw ONNXImportError.unsupportedModel("\(what) '\(name)' has data type \(dataType); supported: the numeric types of ONNX up to int2 (26): float, double, float16, bfloat16, float8*, float4e2m1, (u)int2/4/8/16/32/64, bool")
        }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Shape.maxElements) }) else {
            throw ONNXImportError.malformedFile("\(what) '\(name)' has invalid dims \(dims)")
        }
        let shape = dims.map { Int($0) }
        let count: Int
        do { count = try Shape.elementCount(shape) } catch { throw ONNXImportError.malformedFile("\(what) '\(name)': \(error)") }

        var values: [Double]
        if let raw {
            let bits = type.bitWidth!
            let needed = (count * bits + 7) / 8
            guard raw.count == needed else {
                throw ONNXImportError.malformedFile("\(what) '\(name)': raw_data has \(raw.count) bytes, shape \(Shape.describe(shape)) needs \(needed)")
            }
            values = [Double](repeating: 0, count: count)
            let base = raw.lowerBound
            if bits < 8 {
                // Packed: element i in byte i·bits/8, from the low bits up.
                let perByte = 8 / bits, mask = UInt64((1 << bits) - 1)
                for i in 0..<count {
                    let byte = UInt64(rawBytes[base + i / perByte])
                    values[i] = Self.value(bits: (byte >> UInt64((i % perByte) * bits)) & mask, type: type)
                }
            } else {
                let width = bits / 8
                for i in 0..<count {
                    var pattern: UInt64 = 0
                    for b in 0..<width { pattern |= UInt64(rawBytes[base + i * width + b]) << (8 * UInt64(b)) }
                    values[i] = Self.value(bits: pattern, type: type)
                }
            }
        } else if type.bitWidth! < 8 {
            // Packed types have no one-value-per-entry form: only raw_data (or no data for an empty tensor).
            guard count == 0 else {
                throw ONNXImportError.unsupportedModel("\(what) '\(name)' of type \(type) is not in raw_data; store it as raw_data")
            }
            values = []
        } else {
            switch type {
            case .float: values = floatData.map(Double.init)
            case .double: values = doubleData
            case .int64: values = int64Data.map { Double($0) }
            case .uint64: values = int64Data.map { Double(UInt64(bitPattern: $0)) }
            default:
                // The 8- and 16-bit float types keep their bit patterns in int32_data, one per element.
                values = int32Data.map { Self.value(bits: UInt64(truncatingIfNeeded: $0), type: type) }
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
        case .uint4, .uint2: return Double(bits)
        case .int4: return Double(Int64(bits) - (bits >= 8 ? 16 : 0))
        case .int2: return Double(Int64(bits) - (bits >= 2 ? 4 : 0))
        case .float8e8m0: return bits == 0xFF ? .nan : Double(sign: .plus, exponent: Int(bits) - 127, significand: 1)
        case .float16, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float4e2m1:
            guard case .float(let format) = type.format(saturate: true) else { return .nan }
            return format.value(bits: bits)
        case .string: return 0
        }
    }
}
