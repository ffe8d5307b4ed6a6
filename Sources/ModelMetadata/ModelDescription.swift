import CryptoPrimitives
import FieldArithmetic
import PlonkVerifier

/// What a verifying key says about the model it was made for (stored in `KeyMetadata`, hence bound by the
/// key's fingerprint): the ONNX file's and settings' SHA-256, the settings themselves, the activation scale,
/// the compiler version and the instance layout — which public values are which tensor. `zkverify` reads it
/// to print verified outputs as real numbers; it needs nothing else from the compiler.
///
/// Every value is printable text (keys `zkinfer.*`), so `zkverify` can also show them verbatim.
public struct ModelDescription: Equatable, Sendable {
    /// A model input or output and where its integers sit among the public values.
    public struct TensorLayout: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        /// Index of its first value in the flattened public values (nil: a private input).
        public let publicStart: Int?
        public let count: Int
        /// Integer-valued (int64 token ids and the like): its values are the integers themselves, at scale 2^0,
        /// not integers / 2^activationScale.
        public var isInteger: Bool

        public init(name: String, shape: [Int], publicStart: Int?, count: Int, isInteger: Bool = false) {
            self.name = name
            self.shape = shape
            self.publicStart = publicStart
            self.count = count
            self.isInteger = isInteger
        }
    }

    public static let currentCompilerVersion = "ZKInfer compiler 12"

    public var compilerVersion: String
    public var modelSHA256: String
    public var settingsSHA256: String
    /// Canonical settings JSON (the bytes hashed above).
    public var settingsJSON: String
    public var activationScale: Int
    /// Public values fill instance columns of this many rows each, in order.
    public var publicColumnLength: Int
    public var inputs: [TensorLayout]
    public var outputs: [TensorLayout]

    public init(compilerVersion: String = Self.currentCompilerVersion, modelSHA256: String, settingsSHA256: String,
                settingsJSON: String, activationScale: Int, publicColumnLength: Int, inputs: [TensorLayout],
                outputs: [TensorLayout]) {
        self.compilerVersion = compilerVersion
        self.modelSHA256 = modelSHA256
        self.settingsSHA256 = settingsSHA256
        self.settingsJSON = settingsJSON
        self.activationScale = activationScale
        self.publicColumnLength = publicColumnLength
        self.inputs = inputs
        self.outputs = outputs
    }

    enum Key {
        static let compiler = "zkinfer.compiler"
        static let model = "zkinfer.model.sha256"
        static let settingsHash = "zkinfer.settings.sha256"
        static let settings = "zkinfer.settings"
        static let scale = "zkinfer.scale"
        static let columnLength = "zkinfer.public.column_length"
        static let inputs = "zkinfer.inputs"
        static let outputs = "zkinfer.outputs"
        /// Indices (comma-separated) of the integer-valued inputs / outputs; absent when there are none, so keys
        /// of all-real models are byte-for-byte what they were before the entry existed.
        static let integerInputs = "zkinfer.inputs.integer"
        static let integerOutputs = "zkinfer.outputs.integer"
    }

    public var metadata: KeyMetadata {
        var m = KeyMetadata()
        m.setString(Key.compiler, compilerVersion)
        m.setString(Key.model, modelSHA256)
        m.setString(Key.settingsHash, settingsSHA256)
        m.setString(Key.settings, settingsJSON)
        m.setString(Key.scale, String(activationScale))
        m.setString(Key.columnLength, String(publicColumnLength))
        m.setString(Key.inputs, Self.encode(inputs))
        m.setString(Key.outputs, Self.encode(outputs))
        if let list = Self.encodeIntegerIndices(inputs) { m.setString(Key.integerInputs, list) }
        if let list = Self.encodeIntegerIndices(outputs) { m.setString(Key.integerOutputs, list) }
        return m
    }

    /// Reads the description from a key's metadata; nil when the key was not made by the compiler (or its
    /// entries do not parse — keys are untrusted input).
    public init?(_ m: KeyMetadata) {
        guard let compiler = m.string(Key.compiler), let model = m.string(Key.model),
              let settingsHash = m.string(Key.settingsHash), let settings = m.string(Key.settings),
              let scale = m.string(Key.scale).flatMap(Int.init), (0...62).contains(scale),
              let length = m.string(Key.columnLength).flatMap(Int.init), length >= 1,
              var inputs = m.string(Key.inputs).flatMap(Self.decode), var outputs = m.string(Key.outputs).flatMap(Self.decode),
              Self.markIntegers(&inputs, m.string(Key.integerInputs)), Self.markIntegers(&outputs, m.string(Key.integerOutputs))
        else { return nil }
        self.init(compilerVersion: compiler, modelSHA256: model, settingsSHA256: settingsHash, settingsJSON: settings,
                  activationScale: scale, publicColumnLength: length, inputs: inputs, outputs: outputs)
    }

    /// One tensor per line: `<start or -> <count> <d0,d1,…> <name>`.
    static func encode(_ tensors: [TensorLayout]) -> String {
        tensors.map { t in
            "\(t.publicStart.map(String.init) ?? "-") \(t.count) \(t.shape.map(String.init).joined(separator: ",")) \(t.name)"
        }.joined(separator: "\n")
    }

    static func encodeIntegerIndices(_ tensors: [TensorLayout]) -> String? {
        let indices = tensors.indices.filter { tensors[$0].isInteger }
        return indices.isEmpty ? nil : indices.map(String.init).joined(separator: ",")
    }

    /// Marks the listed tensors integer-valued; false (a malformed key) for an index that is not a tensor's.
    static func markIntegers(_ tensors: inout [TensorLayout], _ list: String?) -> Bool {
        guard let list else { return true }
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard let i = Int(part), tensors.indices.contains(i) else { return false }
            tensors[i].isInteger = true
        }
        return true
    }

    /// The scale a tensor's integers are at: 0 for an integer-valued one, else the model's activation scale.
    public func scale(of tensor: TensorLayout) -> Int { tensor.isInteger ? 0 : activationScale }

    static func decode(_ text: String) -> [TensorLayout]? {
        if text.isEmpty { return [] }
        var result: [TensorLayout] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let count = Int(parts[1]), count >= 0, count <= 1 << 31 else { return nil }
            let start: Int?
            if parts[0] == "-" { start = nil } else {
                guard let s = Int(parts[0]), s >= 0, s <= 1 << 31 else { return nil }
                start = s
            }
            var shape: [Int] = []
            if !parts[2].isEmpty {
                for d in parts[2].split(separator: ",") {
                    guard let v = Int(d), v >= 0, v <= 1 << 31 else { return nil }
                    shape.append(v)
                }
            }
            result.append(TensorLayout(name: String(parts[3]), shape: shape, publicStart: start, count: count))
        }
        return result
    }

    /// The flattened public values (instance columns in order).
    public func flatten(_ publicValues: [[Fr]]) -> [Fr] { publicValues.flatMap { $0 } }

    /// A tensor's integers, if every value is a signed integer below 2^62 (a valid proof's always are).
    public func integers(of tensor: TensorLayout, publicValues: [[Fr]]) -> [Int64]? {
        integers(of: tensor, flat: flatten(publicValues))
    }

    func integers(of tensor: TensorLayout, flat: [Fr]) -> [Int64]? {
        guard let start = tensor.publicStart else { return nil }
        guard start + tensor.count <= flat.count else { return nil }
        var result: [Int64] = []
        result.reserveCapacity(tensor.count)
        for v in flat[start..<(start + tensor.count)] {
            guard let i = Self.signedInteger(v) else { return nil }
            result.append(i)
        }
        return result
    }

    /// Real values: integers / 2^scale.
    public func dequantized(of tensor: TensorLayout, publicValues: [[Fr]]) -> [Double]? {
        integers(of: tensor, publicValues: publicValues)?.map { Double($0) * Double(sign: .plus, exponent: -scale(of: tensor), significand: 1) }
    }

    static func signedInteger(_ value: Fr) -> Int64? {
        let c = value.canonicalLimbs
        if c.1 == 0, c.2 == 0, c.3 == 0, c.0 < 1 << 62 { return Int64(c.0) }
        let n = (-value).canonicalLimbs
        if n.1 == 0, n.2 == 0, n.3 == 0, n.0 <= 1 << 62 { return -Int64(n.0) }
        return nil
    }
}

extension ModelDescription {
    /// A verified tensor: integers and real values (integers / 2^scale; the integers themselves for an
    /// integer-valued tensor).
    public struct VerifiedTensor: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let fixed: [Int64]
        public let values: [Double]
        /// Integer-valued (its values are its integers, at scale 2^0).
        public let isInteger: Bool
    }

    /// The public outputs (and public inputs) of a verified proof, decoded through the key's layout. Nil
    /// for a tensor whose values are not all small integers (never the case for a valid proof of a key made
    /// by the compiler, whose circuit range-checks them).
    public func verifiedOutputs(publicValues: [[Fr]]) -> [VerifiedTensor?] { decode(outputs, publicValues) }
    public func verifiedInputs(publicValues: [[Fr]]) -> [VerifiedTensor?] { decode(inputs.filter { $0.publicStart != nil }, publicValues) }

    func decode(_ tensors: [TensorLayout], _ publicValues: [[Fr]]) -> [VerifiedTensor?] {
        // Flattened once: the layout (untrusted key metadata) may list many tensors.
        let flat = flatten(publicValues)
        return tensors.map { t in
            guard let fixed = integers(of: t, flat: flat) else { return nil }
            let unit = Double(sign: .plus, exponent: -scale(of: t), significand: 1)
            return VerifiedTensor(name: t.name, shape: t.shape, fixed: fixed, values: fixed.map { Double($0) * unit },
                                  isInteger: t.isInteger)
        }
    }

    /// A tensor's digest (docs/proof-format.md §6): SHA-256 over its quantized integers, each as 8 bytes
    /// little-endian two's complement (i64le), in flat row-major order; lowercase hex. What a user compares
    /// with the digest of the input they meant (`zkverify --input` does the comparison itself).
    public static func digest(_ integers: [Int64]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 * integers.count)
        for v in integers { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        return SHA256.hash(bytes).hexEncoded
    }

    /// What `zkverify` prints for a valid proof: each output as real numbers, each public input's digest and
    /// first values, then the model's identity.
    public func outputLines(publicValues: [[Fr]], maxValues: Int = 64, maxInputValues: Int = 8) -> [String] {
        var lines: [String] = []
        for (layout, tensor) in zip(outputs, verifiedOutputs(publicValues: publicValues)) {
            guard let tensor else {
                lines.append("output '\(layout.name)': public values are not integers of this key's layout")
                continue
            }
            let shown = (tensor.isInteger ? tensor.fixed.prefix(maxValues).map { String($0) }
                         : tensor.values.prefix(maxValues).map { Self.format($0) }).joined(separator: ", ")
            let more = tensor.values.count > maxValues ? ", … (\(tensor.values.count) values)" : ""
            lines.append("output '\(tensor.name)' [\(tensor.shape.map(String.init).joined(separator: ", "))]: [\(shown)\(more)]")
        }
        let publicInputs = self.inputs.filter { $0.publicStart != nil }
        for (layout, tensor) in zip(publicInputs, verifiedInputs(publicValues: publicValues)) {
            guard let tensor else {
                lines.append("input '\(layout.name)': public values are not integers of this key's layout")
                continue
            }
            let shown = (tensor.isInteger ? tensor.fixed.prefix(maxInputValues).map { String($0) }
                         : tensor.values.prefix(maxInputValues).map { Self.format($0) }).joined(separator: ", ")
            let more = tensor.values.count > maxInputValues ? ", …" : ""
            lines.append("input '\(tensor.name)' [\(tensor.shape.map(String.init).joined(separator: ", "))]: sha256 "
                + "\(Self.digest(tensor.fixed)), \(tensor.values.count) values [\(shown)\(more)]")
        }
        let inputs = self.inputs.map { $0.publicStart == nil ? "'\($0.name)' private" : "'\($0.name)' public" }
        lines.append("model sha256 \(modelSHA256), scale 2^\(activationScale), inputs: \(inputs.joined(separator: ", "))")
        return lines
    }

    /// A real value with six decimals, as `zkverify` prints it.
    public static func format(_ x: Double) -> String {
        // Beyond ~9.2e12 the micro-units below overflow Int64 (a key's layout and scale are untrusted, and
        // scale 0 with a 2^62 value is well-formed): such values print in Swift's shortest form.
        guard abs(x) < 9e12 else { return "\(x)" }
        // Six decimals: the scale's resolution at the default 2^16 is 1.5e-5.
        var text = String(Int64((abs(x) * 1e6).rounded()))
        while text.count < 7 { text = "0" + text }
        let cut = text.index(text.endIndex, offsetBy: -6)
        return (x < 0 && text != "0000000" ? "-" : "") + text[..<cut] + "." + text[cut...]
    }
}
