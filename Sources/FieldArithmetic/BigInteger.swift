import CGMP

/// Owns one GMP integer. GMP writes through pointers, so each value lives in its own heap cell (a value held
/// inline in a Swift struct would trip exclusivity checking on in-place calls such as `mul(z, z, y)`).
@usableFromInline
final class MPZStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<__mpz_struct>

    @usableFromInline init() {
        pointer = .allocate(capacity: 1)
        __gmpz_init(pointer)
    }

    deinit {
        __gmpz_clear(pointer)
        pointer.deallocate()
    }
}

/// Arbitrary-precision signed integer over GMP. Immutable value semantics: every operation returns a new
/// value. Used for constant derivation, parsing, and as the reference oracle for the Montgomery kernels;
/// never in a hot loop.
public struct BigInteger: Sendable {
    @usableFromInline let storage: MPZStorage

    @usableFromInline init(storage: MPZStorage) { self.storage = storage }

    /// Builds a value by letting `body` write into a fresh GMP integer.
    @usableFromInline static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInteger {
        let storage = MPZStorage()
        body(storage.pointer)
        return BigInteger(storage: storage)
    }

    public init(_ value: Int) {
        self = BigInteger.make { __gmpz_set_si($0, value) }
    }

    public init(_ value: UInt64) {
        self = BigInteger.make { __gmpz_set_ui($0, UInt(value)) }
    }

    /// Little-endian 64-bit limbs, most significant last; the value is non-negative.
    public init(limbs: [UInt64]) {
        self = BigInteger.make { z in
            __gmpz_set_ui(z, 0)
            for limb in limbs.reversed() {
                __gmpz_mul_2exp(z, z, 64)
                __gmpz_add_ui(z, z, UInt(limb))
            }
        }
    }

    /// Unsigned little-endian bytes.
    public init<Bytes: Collection>(littleEndianBytes bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        self = BigInteger.make { z in
            array.withUnsafeBufferPointer { buffer in
                if buffer.isEmpty { __gmpz_set_ui(z, 0); return }
                // order -1: least significant word first; endian -1: little-endian bytes in a word.
                __gmpz_import(z, buffer.count, -1, 1, -1, 0, buffer.baseAddress)
            }
        }
    }

    /// Parses decimal, or hexadecimal with a `0x` prefix; an optional leading `-`. Returns nil on any
    /// other character or an empty string.
    public init?(_ text: String) {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        var base: Int32 = 10
        if body.hasPrefix("0x") || body.hasPrefix("0X") { base = 16; body = body.dropFirst(2) }
        guard !body.isEmpty else { return nil }
        let allowed: (Character) -> Bool = base == 16 ? { $0.isHexDigit } : { $0.isASCII && $0.isNumber }
        guard body.allSatisfy(allowed) else { return nil }
        let digits = String(body)
        let storage = MPZStorage()
        let status = digits.withCString { __gmpz_set_str(storage.pointer, $0, base) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(storage.pointer, storage.pointer) }
        self.init(storage: storage)
    }

    public static let zero = BigInteger(0)
    public static let one = BigInteger(1)

    @usableFromInline var pointer: UnsafeMutablePointer<__mpz_struct> { storage.pointer }

    public var signum: Int { Int(pointer.pointee._mp_size.signum()) }
    public var isZero: Bool { pointer.pointee._mp_size == 0 }
    public var isNegative: Bool { pointer.pointee._mp_size < 0 }

    /// Number of bits of |self| (0 for zero).
    public var bitWidth: Int { isZero ? 0 : Int(__gmpz_sizeinbase(pointer, 2)) }

    public func bit(_ index: Int) -> Bool { __gmpz_tstbit(pointer, UInt(index)) != 0 }

    /// The low `count` 64-bit limbs of |self|, little-endian.
    public func limbs(count: Int) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: count)
        let magnitude = self.magnitude
        let words = (magnitude.bitWidth + 63) / 64
        result.withUnsafeMutableBytes { raw in
            var written = 0
            let total = max(words, 1)
            if total <= count {
                __gmpz_export(raw.baseAddress, &written, -1, 8, 0, 0, magnitude.pointer)
            } else {
                let truncated = magnitude % (BigInteger.one << (64 * count))
                __gmpz_export(raw.baseAddress, &written, -1, 8, 0, 0, truncated.pointer)
            }
        }
        return result
    }

    /// |self| as `count` little-endian bytes; nil if it does not fit.
    public func littleEndianBytes(count: Int) -> [UInt8]? {
        let magnitude = self.magnitude
        guard (magnitude.bitWidth + 7) / 8 <= count else { return nil }
        var result = [UInt8](repeating: 0, count: count)
        if magnitude.isZero { return result }
        result.withUnsafeMutableBytes { raw in
            var written = 0
            __gmpz_export(raw.baseAddress, &written, -1, 1, -1, 0, magnitude.pointer)
        }
        return result
    }

    public var magnitude: BigInteger { BigInteger.make { __gmpz_abs($0, pointer) } }

    public func toString(radix: Int32 = 10) -> String {
        let size = __gmpz_sizeinbase(pointer, radix) + 2
        var buffer = [CChar](repeating: 0, count: size)
        __gmpz_get_str(&buffer, radix, pointer)
        return String(cString: buffer)
    }

    public var hexString: String {
        isNegative ? "-0x" + magnitude.toString(radix: 16) : "0x" + toString(radix: 16)
    }

    /// Converts to Int when it fits.
    public var intValue: Int? {
        __gmpz_fits_slong_p(pointer) != 0 ? __gmpz_get_si(pointer) : nil
    }
}

extension BigInteger: CustomStringConvertible {
    public var description: String { toString() }
}

extension BigInteger: Comparable, Hashable {
    public static func == (lhs: BigInteger, rhs: BigInteger) -> Bool { __gmpz_cmp(lhs.pointer, rhs.pointer) == 0 }
    public static func < (lhs: BigInteger, rhs: BigInteger) -> Bool { __gmpz_cmp(lhs.pointer, rhs.pointer) < 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(toString(radix: 16)) }
}
