#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BN254
import CryptoPrimitives
import FieldArithmetic
import Parallelism

/// The SRS file format, version 1 (all integers little-endian; points per docs/encodings.md, uncompressed
/// for load speed):
///
///     offset  size  field
///     0       8     magic "ZKISRS\0\1"
///     8       4     u32 version = 1
///     12      4     u32 curve = 1 (BN254)
///     16      4     u32 log2 size k
///     20      4     u32 number of G2 points = 2 ([1]₂, [τ]₂)
///     24      8     u64 number of G1 powers = 2^k
///     32      8     u64 number of Lagrange-basis G1 points = 2^k
///     40      4     u32 origin kind (0 INSECURE development, 1 halo2 import, 2 ptau import)
///     44      4     u32 origin text length L (≤ 4096)
///     48      L     origin text, UTF-8 (for kind 0 it starts with the INSECURE banner)
///     48+L    32    SHA-256 of bytes [0, 48+L) followed by the whole body
///     80+L          body: 2^k × 64 B powers, 2^k × 64 B Lagrange points, 2 × 128 B G2 points
///
/// The reader checks sizes against the file length before allocating, hashes while it streams the body
/// in chunks straight into the point arrays (never holding the file and the points at once), and decodes
/// every point with the full checks (canonical coordinates, on the curve, G2 subgroup).
public enum SRSFile {
    public static let magic: [UInt8] = Array("ZKISRS".utf8) + [0, 1]
    public static let version: UInt32 = 1
    public static let curveBN254: UInt32 = 1
    static let maximumOriginLength = 4096

    /// The header alone, for `params info`.
    public struct Header: Sendable {
        public var log2Size: Int
        public var g1Count: UInt64
        public var lagrangeCount: UInt64
        public var g2Count: UInt32
        public var origin: SRSOrigin
        public var contentHash: [UInt8]
        /// Bytes [0, 48+L): what the hash covers before the body.
        var prefixBytes: [UInt8]

        var bodyBytes: UInt64 { (g1Count + lagrangeCount) * 64 + UInt64(g2Count) * 128 }
        var headerBytes: UInt64 { UInt64(prefixBytes.count) + 32 }
        public var fileBytes: UInt64 { headerBytes + bodyBytes }
    }

    // MARK: Writing

    public static func write(_ srs: SRS, to path: String) throws {
        let originBytes = Array(srs.origin.summary.utf8.prefix(maximumOriginLength))
        var prefix = magic
        append32(&prefix, version)
        append32(&prefix, curveBN254)
        append32(&prefix, UInt32(srs.log2Size))
        append32(&prefix, 2)
        append64(&prefix, UInt64(srs.powersG1.count))
        append64(&prefix, UInt64(srs.lagrangeG1.count))
        append32(&prefix, srs.origin.kind.rawValue)
        append32(&prefix, UInt32(originBytes.count))
        prefix += originBytes

        let temporary = path + ".partial"
        guard let file = fopen(temporary, "wb") else { throw KZGError.io(path: path, reason: String(cString: strerror(errno))) }
        var closed = false
        defer { if !closed { fclose(file); unlink(temporary) } }
        var hasher = SHA256()
        hasher.update(prefix)
        try put(file, prefix, path)
        try put(file, [UInt8](repeating: 0, count: 32), path)  // hash, filled in at the end
        let chunk = 4096
        for points in [srs.powersG1, srs.lagrangeG1] {
            var start = 0
            while start < points.count {
                let end = min(points.count, start + chunk)
                var buffer = [UInt8](repeating: 0, count: (end - start) * 64)
                buffer.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(of: end - start, minimumChunk: 512) { range in
                        for i in range {
                            let bytes = points[start + i].uncompressed
                            for k in 0..<64 { out[i * 64 + k] = bytes[k] }
                        }
                    }
                }
                hasher.update(buffer)
                try put(file, buffer, path)
                start = end
            }
        }
        let g2Bytes = srs.g2.uncompressed + srs.tauG2.uncompressed
        hasher.update(g2Bytes)
        try put(file, g2Bytes, path)
        let digest = hasher.finalize()
        guard fseek(file, Int(prefix.count), SEEK_SET) == 0 else { throw KZGError.io(path: path, reason: "seek failed") }
        try put(file, digest, path)
        guard fclose(file) == 0 else { throw KZGError.io(path: path, reason: String(cString: strerror(errno))) }
        closed = true
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KZGError.io(path: path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: Reading

    public static func readHeader(path: String) throws -> Header {
        let file = try open(path)
        defer { fclose(file) }
        return try readHeader(file, path: path)
    }

    public static func load(path: String) throws -> SRS {
        let file = try open(path)
        defer { fclose(file) }
        let header = try readHeader(file, path: path)
        let n = Int(header.g1Count)
        var hasher = SHA256()
        hasher.update(header.prefixBytes)
        let powers = try readG1(file, count: n, section: "G1 powers", hasher: &hasher, path: path)
        let lagrange = try readG1(file, count: n, section: "Lagrange G1", hasher: &hasher, path: path)
        let g2Bytes = try get(file, 256, path: path, expected: header.fileBytes)
        hasher.update(g2Bytes)
        guard hasher.finalize() == header.contentHash else { throw KZGError.contentHashMismatch }
        let g2: G2Affine, tauG2: G2Affine
        do {
            g2 = try G2Affine(uncompressed: g2Bytes[0..<128])
            tauG2 = try G2Affine(uncompressed: g2Bytes[128..<256])
        } catch {
            throw KZGError.invalidPoint(section: "G2", index: 0, reason: "\(error)")
        }
        return SRS(log2Size: header.log2Size, powersG1: powers, lagrangeG1: lagrange, g2: g2, tauG2: tauG2, origin: header.origin)
    }

    static func readHeader(_ file: UnsafeMutablePointer<FILE>, path: String) throws -> Header {
        let size = try fileSize(file, path: path)
        let fixed = try get(file, 48, path: path, expected: 48, actual: size)
        guard Array(fixed[0..<8]) == magic else { throw KZGError.badMagic(format: "ZKInfer SRS") }
        let version = read32(fixed, 8)
        guard version == Self.version else { throw KZGError.unsupportedVersion(version) }
        let curve = read32(fixed, 12)
        guard curve == curveBN254 else { throw KZGError.unsupportedCurve(curve) }
        let log2 = Int(read32(fixed, 16))
        guard (0...SRS.maximumLog2Size).contains(log2) else {
            throw KZGError.sizeOutOfRange(log2Size: log2, maximum: SRS.maximumLog2Size)
        }
        let g2Count = read32(fixed, 20)
        let g1Count = read64(fixed, 24)
        let lagrangeCount = read64(fixed, 32)
        guard g2Count == 2 else { throw KZGError.malformedHeader("expected 2 G2 points, header says \(g2Count)") }
        guard g1Count == UInt64(1) << UInt64(log2), lagrangeCount == g1Count else {
            throw KZGError.malformedHeader("point counts \(g1Count)/\(lagrangeCount) do not match 2^\(log2)")
        }
        guard let kind = SRSOrigin.Kind(rawValue: read32(fixed, 40)) else {
            throw KZGError.malformedHeader("unknown origin kind \(read32(fixed, 40))")
        }
        let originLength = Int(read32(fixed, 44))
        guard originLength <= maximumOriginLength else { throw KZGError.malformedHeader("origin text too long") }
        let originBytes = try get(file, originLength, path: path, expected: 48 + UInt64(originLength), actual: size)
        guard let text = String(validating: originBytes, as: UTF8.self) else {
            throw KZGError.malformedHeader("origin text is not UTF-8")
        }
        let hash = try get(file, 32, path: path, expected: 80 + UInt64(originLength), actual: size)
        let header = Header(
            log2Size: log2, g1Count: g1Count, lagrangeCount: lagrangeCount, g2Count: g2Count,
            origin: SRSOrigin(kind: kind, detail: text), contentHash: hash, prefixBytes: fixed + originBytes)
        if size < header.fileBytes { throw KZGError.truncatedFile(expectedBytes: header.fileBytes, actualBytes: size) }
        if size > header.fileBytes { throw KZGError.trailingBytes(expectedBytes: header.fileBytes, actualBytes: size) }
        return header
    }

    /// Streams `count` uncompressed G1 points into a new array, 4096 at a time, decoding in parallel.
    static func readG1(
        _ file: UnsafeMutablePointer<FILE>, count: Int, section: String, hasher: inout SHA256, path: String
    ) throws -> [G1Affine] {
        try streamG1(file, count: count, section: section, hasher: &hasher, path: path, decode: decodeChunk)
    }

    /// Reads `count` 64-byte G1 records in chunks of 4096 (never the whole section in memory twice),
    /// hashing the raw bytes and letting `decode` turn each chunk into points; `decode` returns the first
    /// failing (index, reason), if any.
    static func streamG1(
        _ file: UnsafeMutablePointer<FILE>, count: Int, section: String, hasher: inout SHA256, path: String,
        decode: (_ buffer: [UInt8], _ count: Int, _ out: inout [G1Affine], _ offset: Int) throws -> (Int, String)?
    ) throws -> [G1Affine] {
        var out = [G1Affine](repeating: .infinity, count: count)
        let chunk = 4096
        var buffer = [UInt8](repeating: 0, count: chunk * 64)
        var start = 0
        while start < count {
            let m = min(chunk, count - start)
            let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, m * 64, file) }
            guard got == m * 64 else { throw KZGError.io(path: path, reason: "unexpected end of file in \(section)") }
            buffer.withUnsafeBytes { hasher.update(raw: UnsafeRawBufferPointer(rebasing: $0[0..<(m * 64)])) }
            if let (index, reason) = try decode(buffer, m, &out, start) {
                throw KZGError.invalidPoint(section: section, index: index, reason: reason)
            }
            start += m
        }
        return out
    }

    static func decodeChunk(_ buffer: [UInt8], count m: Int, into out: inout [G1Affine], offset: Int) throws -> (Int, String)? {
        let workers = max(1, min(Parallel.threadCount, m / 256))
        var failures = [(Int, String)?](repeating: nil, count: workers)
        let per = (m + workers - 1) / workers
        out.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { failures in
                buffer.withUnsafeBufferPointer { bytes in
                    Parallel.forEach(tasks: workers) { w in
                        let lo = w * per, hi = min(m, lo + per)
                        var i = lo
                        while i < hi {
                            do {
                                out[offset + i] = try G1Affine(uncompressed: UnsafeBufferPointer(rebasing: bytes[(i * 64)..<(i * 64 + 64)]))
                            } catch {
                                failures[w] = (offset + i, "\(error)")
                                return
                            }
                            i += 1
                        }
                    }
                }
            }
        }
        return failures.compactMap { $0 }.min { $0.0 < $1.0 }
    }

    // MARK: Byte helpers

    static func open(_ path: String) throws -> UnsafeMutablePointer<FILE> {
        guard let file = fopen(path, "rb") else { throw KZGError.io(path: path, reason: String(cString: strerror(errno))) }
        return file
    }

    static func fileSize(_ file: UnsafeMutablePointer<FILE>, path: String) throws -> UInt64 {
        var info = stat()
        guard fstat(fileno(file), &info) == 0 else { throw KZGError.io(path: path, reason: "cannot stat") }
        return UInt64(info.st_size)
    }

    static func get(_ file: UnsafeMutablePointer<FILE>, _ count: Int, path: String, expected: UInt64, actual: UInt64? = nil) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let got = count == 0 ? 0 : out.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, file) }
        guard got == count else {
            let found = try actual ?? fileSize(file, path: path)
            throw KZGError.truncatedFile(expectedBytes: expected, actualBytes: found)
        }
        return out
    }

    static func put(_ file: UnsafeMutablePointer<FILE>, _ bytes: [UInt8], _ path: String) throws {
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) }
        guard written == bytes.count else { throw KZGError.io(path: path, reason: "write failed: \(String(cString: strerror(errno)))") }
    }

    static func append32(_ out: inout [UInt8], _ v: UInt32) { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) } }
    static func append64(_ out: inout [UInt8], _ v: UInt64) { for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * k))) } }
    static func read32<C: Collection>(_ b: C, _ at: Int) -> UInt32 where C.Element == UInt8, C.Index == Int {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[b.startIndex + at + $1]) << UInt32(8 * $1) }
    }
    static func read64<C: Collection>(_ b: C, _ at: Int) -> UInt64 where C.Element == UInt8, C.Index == Int {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[b.startIndex + at + $1]) << UInt64(8 * $1) }
    }
}
