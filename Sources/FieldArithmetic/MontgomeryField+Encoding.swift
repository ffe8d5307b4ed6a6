/// Canonical encodings (docs/encodings.md): 32 bytes little-endian of the canonical value, never the
/// Montgomery representative; decimal strings; wide reduction of 64 bytes for unbiased challenges.
extension MontgomeryField {
    public static var byteCount: Int { 32 }

    public static var modulus: BigInteger {
        BigInteger(limbs: [Parameters.p0, Parameters.p1, Parameters.p2, Parameters.p3])
    }

    /// The canonical value as a big integer in [0, p).
    public var bigInteger: BigInteger {
        let c = canonicalLimbs
        return BigInteger(limbs: [c.0, c.1, c.2, c.3])
    }

    /// value mod p, for any (also negative) integer.
    public init(_ value: BigInteger) {
        let reduced = value.modulo(Self.modulus).limbs(count: 4)
        self.init(reducing: (reduced[0], reduced[1], reduced[2], reduced[3]))
    }

    /// 32 little-endian bytes of the canonical value.
    public var canonicalBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { writeCanonical(to: $0.baseAddress!) }
        return out
    }

    /// Writes the 32 canonical bytes at `destination`.
    @inlinable
    public func writeCanonical(to destination: UnsafeMutableRawPointer) {
        let c = canonicalLimbs
        destination.storeBytes(of: c.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        destination.storeBytes(of: c.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: c.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        destination.storeBytes(of: c.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Reads 32 little-endian bytes; rejects a wrong length or a value ≥ p.
    public init<Bytes: Collection>(canonicalBytes bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard bytes.count == 32 else {
            throw FieldError.wrongLength(field: Parameters.name, expected: 32, actual: bytes.count)
        }
        let limbs = Self.readLimbs(bytes)
        guard Self.isBelowModulus(limbs.0, limbs.1, limbs.2, limbs.3) else {
            throw FieldError.nonCanonical(field: Parameters.name)
        }
        self = Self(montgomeryLimbs: limbs.0, limbs.1, limbs.2, limbs.3) * Self(Parameters.rSquared)
    }

    /// The canonical value in the 32 little-endian bytes at `source` (`writeCanonical`); nil unless it is below p.
    /// `init(canonicalBytes:)` for a decoder's hot loop: no length to check, no array.
    @inlinable
    public init?(canonicalBytesAt source: UnsafeRawPointer) {
        guard let representative = Self(montgomeryBytes: source) else { return nil }
        self = representative * Self(Parameters.rSquared)
    }

    /// Writes the 32 bytes of the Montgomery representative (a.R mod p, little-endian limbs): for tables a
    /// process writes and reads back itself, which then skip two multiplications per value.
    @inlinable
    public func writeMontgomery(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: l0.littleEndian, toByteOffset: 0, as: UInt64.self)
        destination.storeBytes(of: l1.littleEndian, toByteOffset: 8, as: UInt64.self)
        destination.storeBytes(of: l2.littleEndian, toByteOffset: 16, as: UInt64.self)
        destination.storeBytes(of: l3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// The value whose Montgomery representative is the 32 bytes at `source` (`writeMontgomery`); nil unless
    /// that representative is below p.
    @inlinable
    public init?(montgomeryBytes source: UnsafeRawPointer) {
        let a0 = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let a1 = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let a2 = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let a3 = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        guard Self.isBelowModulus(a0, a1, a2, a3) else { return nil }
        self.init(montgomeryLimbs: a0, a1, a2, a3)
    }

    /// Reads 64 little-endian bytes as an integer x < 2^512 and returns x mod p. The bias is below 2^-250,
    /// which is why transcript challenges are squeezed this way.
    public init<Bytes: Collection>(wideBytes bytes: Bytes) where Bytes.Element == UInt8 {
        precondition(bytes.count == 64, "wide reduction takes 64 bytes")
        let low = Self(reducing: Self.readLimbs(bytes.prefix(32)))
        let high = Self(reducing: Self.readLimbs(bytes.dropFirst(32)))
        // x = low + high·2^256; the element 2^256 mod p has Montgomery limbs R^2 mod p.
        self = low + high * Self(Parameters.rSquared)
    }

    static func readLimbs<Bytes: Collection>(_ bytes: Bytes) -> (UInt64, UInt64, UInt64, UInt64)
    where Bytes.Element == UInt8 {
        var limbs: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            limbs[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
        }
        return (limbs[0], limbs[1], limbs[2], limbs[3])
    }

    /// Parses a decimal or 0x-hex integer in [0, p).
    public init(parsing text: String) throws {
        guard let value = BigInteger(text) else {
            throw FieldError.notANumber(field: Parameters.name, text: text)
        }
        guard !value.isNegative, value < Self.modulus else {
            throw FieldError.outOfRange(field: Parameters.name, text: text)
        }
        self.init(value)
    }
}

extension MontgomeryField: CustomStringConvertible {
    /// The canonical value in decimal.
    public var description: String { bigInteger.description }
}
