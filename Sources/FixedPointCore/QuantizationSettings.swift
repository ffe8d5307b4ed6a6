import SystemSupport

/// The scales and bounds of the fixed-point form (docs/fixed-point.md §2). Versioned JSON on disk.
public struct QuantizationSettings: Codable, Equatable, Sendable {
    /// 2: tables are interpolated on a 2^D-point grid (docs/fixed-point.md §6); version 1 files meant
    /// nearest-entry tables with other defaults, so they are refused rather than reinterpreted.
    public static let currentVersion = 2

    public var version: Int
    /// s: every activation tensor (inputs, node outputs) is an integer at scale 2^s.
    public var activationScale: Int
    /// w: weights, multipliers and other parameters are integers at scale 2^w; biases at 2^(s+w).
    public var parameterScale: Int
    /// B: every activation v satisfies −2^(B−1) ≤ v < 2^(B−1).
    public var activationBits: Int
    /// t: nonlinear tables have grid step 2^−min(t, s) (never finer than the input).
    public var tableScale: Int
    /// D: each table has 2^D grid points (inputs beyond them are clamped).
    public var tableBits: Int

    /// Defaults: 2^16 scales (EZKL uses 2^13), 32-bit activations (four 8-bit limbs), interpolated tables of
    /// 256 points at step 1/16 (sigmoid and tanh on [−8, 8), exp on [−15.94, 0]).
    public init(activationScale: Int = 16, parameterScale: Int = 16, activationBits: Int = 32,
                tableScale: Int = 4, tableBits: Int = 8) {
        self.version = Self.currentVersion
        self.activationScale = activationScale
        self.parameterScale = parameterScale
        self.activationBits = activationBits
        self.tableScale = tableScale
        self.tableBits = tableBits
    }

    public static let `default` = QuantizationSettings()

    /// Checks the settings against the spec's constraints.
    public func validate() throws {
        guard version == Self.currentVersion else {
            throw QuantizationError.invalidSettings("version \(version); this build reads version \(Self.currentVersion)")
        }
        guard (8...32).contains(activationBits) else {
            throw QuantizationError.invalidSettings("activationBits \(activationBits) not in 8...32")
        }
        // 1.0 (sigmoid's and softmax's largest output) must be representable: 2^s < 2^(B−1).
        guard (0...(activationBits - 2)).contains(activationScale) else {
            throw QuantizationError.invalidSettings("activationScale \(activationScale) not in 0...\(activationBits - 2) (B − 2)")
        }
        guard (0...30).contains(parameterScale) else {
            throw QuantizationError.invalidSettings("parameterScale \(parameterScale) not in 0...30")
        }
        guard (0...20).contains(tableScale) else {
            throw QuantizationError.invalidSettings("tableScale \(tableScale) not in 0...20")
        }
        guard (2...20).contains(tableBits) else {
            throw QuantizationError.invalidSettings("tableBits \(tableBits) not in 2...20")
        }
    }

    @inlinable public var activationMin: Int64 { -(Int64(1) << (activationBits - 1)) }
    @inlinable public var activationMaxExclusive: Int64 { Int64(1) << (activationBits - 1) }

    public static func load(path: String) throws -> QuantizationSettings {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path, limit: 1 << 20) } catch {
            throw QuantizationError.invalidSettings("cannot read \(error)")
        }
        return try decode(bytes)
    }

    /// Every field by name, keys sorted: the order of the canonical form and of the settings file.
    var fields: [(key: String, value: Int)] {
        [("activationBits", activationBits), ("activationScale", activationScale), ("parameterScale", parameterScale),
         ("tableBits", tableBits), ("tableScale", tableScale), ("version", version)]
    }

    /// A settings object: every field an integer (other members are ignored), then `validate()`.
    public static func decode(_ bytes: [UInt8]) throws -> QuantizationSettings {
        let root: JSONNode
        do { root = try JSONReader.parse(bytes) } catch { throw QuantizationError.invalidSettings("not a settings file: \(error)") }
        return try decode(root)
    }

    public static func decode(_ root: JSONNode) throws -> QuantizationSettings {
        guard case .object = root else { throw QuantizationError.invalidSettings("not a settings file: not a JSON object") }
        func int(_ key: String) throws -> Int {
            guard let member = root[key] else { throw QuantizationError.invalidSettings("not a settings file: no '\(key)'") }
            guard let value = member.integer else {
                throw QuantizationError.invalidSettings("not a settings file: '\(key)' is \(member.kind), not an integer")
            }
            return value
        }
        var settings = QuantizationSettings(
            activationScale: try int("activationScale"), parameterScale: try int("parameterScale"),
            activationBits: try int("activationBits"), tableScale: try int("tableScale"), tableBits: try int("tableBits"))
        settings.version = try int("version")
        try settings.validate()
        return settings
    }

    /// Compact JSON with sorted keys: the bytes the key metadata's settings hash covers.
    public var canonicalJSON: String {
        JSONText.object(fields.map { ($0.key, String($0.value)) })
    }

    /// The settings file: one member per line, sorted keys.
    public func encoded() -> [UInt8] {
        let lines = fields.map { "  " + JSONText.string($0.key) + " : " + String($0.value) }
        return Array(("{\n" + lines.joined(separator: ",\n") + "\n}\n").utf8)
    }
}
