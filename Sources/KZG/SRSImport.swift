#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BN254
import CryptoPrimitives
import FieldArithmetic
import Parallelism
import Polynomials

/// Conversion of foreign SRS files (docs/encodings.md, "Foreign formats"). Both store coordinates as 32
/// little-endian bytes of the Montgomery representative a·2^256 mod q, which is exactly how `Fq` holds a
/// value in memory, so a coordinate is read by checking it is below q and taking the limbs as they are.
/// Every point is checked on the curve (G2 also in the subgroup) and the whole SRS is validated
/// (`SRS.validate`) before anything is returned.
public enum SRSImport {
    /// A halo2/EZKL KZG params file (`ezkl gen_srs`, halo2 `ParamsKZG::write`): u32le k, 2^k G1 powers,
    /// 2^k Lagrange-basis G1 points, [1]₂, [τ]₂. The Lagrange half is kept after its consistency check.
    public static func halo2(path: String) throws -> SRS {
        let file = try SRSFile.open(path)
        defer { fclose(file) }
        let size = try SRSFile.fileSize(file, path: path)
        let kBytes = try SRSFile.get(file, 4, path: path, expected: 4, actual: size)
        let k = Int(SRSFile.read32(kBytes, 0))
        guard (0...SRS.maximumLog2Size).contains(k) else {
            throw KZGError.sizeOutOfRange(log2Size: k, maximum: SRS.maximumLog2Size)
        }
        let n = 1 << k
        let expected = 4 + UInt64(n) * 128 + 256
        if size < expected { throw KZGError.truncatedFile(expectedBytes: expected, actualBytes: size) }
        if size > expected { throw KZGError.trailingBytes(expectedBytes: expected, actualBytes: size) }
        var hasher = SHA256()
        hasher.update(kBytes)
        let powers = try readMontgomeryG1(file, count: n, section: "G1 powers", hasher: &hasher, path: path)
        let theirLagrange = try readMontgomeryG1(file, count: n, section: "Lagrange G1", hasher: &hasher, path: path)
        let lagrange = reindexHalo2Lagrange(theirLagrange, log2Size: k)
        let g2Bytes = try SRSFile.get(file, 256, path: path, expected: expected, actual: size)
        hasher.update(g2Bytes)
        let g2 = try montgomeryG2(g2Bytes[0..<128], what: "[1]2")
        let tauG2 = try montgomeryG2(g2Bytes[128..<256], what: "[tau]2")
        let digest = hasher.finalize().hexEncoded
        let srs = SRS(
            log2Size: k, powersG1: powers, lagrangeG1: lagrange, g2: g2, tauG2: tauG2,
            origin: SRSOrigin(kind: .importedHalo2, detail: "2^\(k) points, source sha256 \(digest)"))
        try srs.validate()
        return srs
    }

    /// halo2 (halo2curves) takes its 2^28-th root of unity from the generator 7, we from 5: the same
    /// subgroups, with ω_halo2 = ω_ours^J at 2^28 and hence ω_halo2 = ω_ours^(J mod 2^k) in every 2^k domain.
    /// halo2's L_i belongs to the point ω_halo2^i = ω_ours^(i·j), which is our L_(i·j mod n). J was found
    /// by Pohlig–Hellman in the 2-group; `SRSFileTests` checks it against both roots.
    static let halo2RootExponent: UInt64 = 52_831_969

    static func reindexHalo2Lagrange(_ theirs: [G1Affine], log2Size k: Int) -> [G1Affine] {
        let n = theirs.count
        let j = Int(halo2RootExponent & UInt64(n - 1))
        var ours = theirs
        for i in 0..<n { ours[(i * j) & (n - 1)] = theirs[i] }
        return ours
    }

    /// A snarkjs Powers-of-Tau file: "ptau", u32 version, u32 section count, then sections (u32 type,
    /// u64 size, data). Section 1: u32 n8 = 32, q (n8 bytes), u32 power, u32 ceremony power; section 2:
    /// 2·2^power − 1 points [τ^i]₁; section 3: 2^power points [τ^i]₂. Takes the first 2^log2Size powers
    /// (default: all 2^power), [1]₂ and [τ]₂, and computes the Lagrange basis with the group NTT.
    public static func ptau(path: String, log2Size requested: Int? = nil) throws -> SRS {
        let file = try SRSFile.open(path)
        defer { fclose(file) }
        let size = try SRSFile.fileSize(file, path: path)
        let head = try SRSFile.get(file, 12, path: path, expected: 12, actual: size)
        guard Array(head[0..<4]) == Array("ptau".utf8) else { throw KZGError.badMagic(format: "snarkjs .ptau") }
        let version = SRSFile.read32(head, 4)
        guard version == 1 else { throw KZGError.unsupportedVersion(version) }
        let sectionCount = SRSFile.read32(head, 8)
        guard sectionCount <= 64 else { throw KZGError.malformedHeader("\(sectionCount) sections") }
        // Section table: offsets of the data of each section type.
        var sections: [UInt32: (offset: UInt64, size: UInt64)] = [:]
        var position: UInt64 = 12
        for _ in 0..<sectionCount {
            let entry = try SRSFile.get(file, 12, path: path, expected: position + 12, actual: size)
            let type = SRSFile.read32(entry, 0)
            let length = SRSFile.read64(entry, 4)
            position += 12
            guard length <= size, position <= size - length else {
                throw KZGError.truncatedFile(expectedBytes: position &+ length, actualBytes: size)
            }
            guard sections[type] == nil else { throw KZGError.malformedHeader("section \(type) appears twice") }
            sections[type] = (position, length)
            position += length
            guard fseeko(file, off_t(position), SEEK_SET) == 0 else { throw KZGError.io(path: path, reason: "seek failed") }
        }
        if position != size { throw KZGError.trailingBytes(expectedBytes: position, actualBytes: size) }
        guard let header = sections[1], let tauG1 = sections[2], let tauG2Section = sections[3] else {
            throw KZGError.malformedHeader("missing header, tauG1 or tauG2 section")
        }
        guard header.size == 44 else { throw KZGError.malformedHeader("header section of \(header.size) bytes") }
        try seek(file, header.offset, path)
        let h = try SRSFile.get(file, 44, path: path, expected: header.offset + 44, actual: size)
        guard SRSFile.read32(h, 0) == 32 else { throw KZGError.malformedHeader("field size \(SRSFile.read32(h, 0)) bytes, expected 32") }
        let q = (0..<4).map { SRSFile.read64(h, 4 + 8 * $0) }
        guard q == [FqParameters.p0, FqParameters.p1, FqParameters.p2, FqParameters.p3] else {
            throw KZGError.unsupportedCurve(0)
        }
        let power = Int(SRSFile.read32(h, 36))
        guard (1...SRS.maximumLog2Size).contains(power) else {
            throw KZGError.sizeOutOfRange(log2Size: power, maximum: SRS.maximumLog2Size)
        }
        let ceremonyPower = Int(SRSFile.read32(h, 40))
        guard (power...SRS.maximumLog2Size).contains(ceremonyPower) else {
            throw KZGError.malformedHeader("ceremony power \(ceremonyPower) is not in \(power)...\(SRS.maximumLog2Size)")
        }
        let k = requested ?? power
        guard (0...power).contains(k) else { throw KZGError.truncationLarger(requested: k, available: power) }
        let expectedG1 = UInt64((1 << power) * 2 - 1) * 64
        let expectedG2 = UInt64(1 << power) * 128
        guard tauG1.size == expectedG1, tauG2Section.size == expectedG2 else {
            throw KZGError.malformedHeader("tauG1/tauG2 sections have \(tauG1.size)/\(tauG2Section.size) bytes, expected \(expectedG1)/\(expectedG2)")
        }
        var hasher = SHA256()  // of what is imported: the header section and the points read
        hasher.update(h)
        try seek(file, tauG1.offset, path)
        let powers = try readMontgomeryG1(file, count: 1 << k, section: "tauG1", hasher: &hasher, path: path)
        try seek(file, tauG2Section.offset, path)
        let g2Bytes = try SRSFile.get(file, 256, path: path, expected: tauG2Section.offset + 256, actual: size)
        hasher.update(g2Bytes)
        let g2 = try montgomeryG2(g2Bytes[0..<128], what: "[1]2")
        let tauG2 = try montgomeryG2(g2Bytes[128..<256], what: "[tau]2")
        try SRS.checkPowers(powers, g2: g2, tauG2: tauG2)
        guard g2.isInSubgroup else { throw KZGError.g2NotInSubgroup("[1]2") }
        guard tauG2.isInSubgroup else { throw KZGError.g2NotInSubgroup("[tau]2") }
        let domain = try EvaluationDomain(log2Size: k)
        let lagrange = GroupNTT.lagrangeBasis(fromPowers: powers, domain: domain)
        let detail = "first 2^\(k) of 2^\(power) powers, imported data sha256 \(hasher.finalize().hexEncoded)"
        return SRS(
            log2Size: k, powersG1: powers, lagrangeG1: lagrange, g2: g2, tauG2: tauG2,
            origin: SRSOrigin(kind: .importedPtau, detail: detail))
    }

    // MARK: Montgomery-form points

    static func seek(_ file: UnsafeMutablePointer<FILE>, _ offset: UInt64, _ path: String) throws {
        guard fseeko(file, off_t(offset), SEEK_SET) == 0 else { throw KZGError.io(path: path, reason: "seek failed") }
    }

    /// A coordinate stored as its Montgomery representative; nil when ≥ q.
    static func montgomeryFq<C: Collection>(_ bytes: C) -> Fq? where C.Element == UInt8, C.Index == Int {
        let l0 = SRSFile.read64(bytes, 0), l1 = SRSFile.read64(bytes, 8)
        let l2 = SRSFile.read64(bytes, 16), l3 = SRSFile.read64(bytes, 24)
        // Compare with q from the top limb down.
        let q = [FqParameters.p3, FqParameters.p2, FqParameters.p1, FqParameters.p0]
        for (a, b) in zip([l3, l2, l1, l0], q) {
            if a < b { return Fq(montgomeryLimbs: l0, l1, l2, l3) }
            if a > b { return nil }
        }
        return nil  // equal to q
    }

    /// x ‖ y in Montgomery form; (0, 0) is the point at infinity (no affine point has x = y = 0).
    static func montgomeryG1<C: Collection>(_ bytes: C) throws -> G1Affine where C.Element == UInt8, C.Index == Int {
        guard let x = montgomeryFq(bytes[bytes.startIndex..<(bytes.startIndex + 32)]),
              let y = montgomeryFq(bytes[(bytes.startIndex + 32)..<(bytes.startIndex + 64)])
        else { throw CurveError.nonCanonicalCoordinate(group: "G1") }
        if x.isZero && y.isZero { return .infinity }
        return try G1Affine(x: x, y: y)
    }

    static func montgomeryG2(_ bytes: ArraySlice<UInt8>, what: String) throws -> G2Affine {
        let s = bytes.startIndex
        var c: [Fq] = []
        for i in 0..<4 {
            guard let v = montgomeryFq(bytes[(s + 32 * i)..<(s + 32 * i + 32)]) else {
                throw KZGError.invalidPoint(section: "G2", index: 0, reason: "\(what): coordinate ≥ q")
            }
            c.append(v)
        }
        if c.allSatisfy(\.isZero) { throw KZGError.g2NotInSubgroup("\(what) is the point at infinity") }
        let point: G2Affine
        do { point = try G2Affine(x: Fq2(c[0], c[1]), y: Fq2(c[2], c[3])) } catch {
            throw KZGError.invalidPoint(section: "G2", index: 0, reason: "\(what): \(error)")
        }
        guard point.isInSubgroup else { throw KZGError.g2NotInSubgroup(what) }
        return point
    }

    static func readMontgomeryG1(
        _ file: UnsafeMutablePointer<FILE>, count: Int, section: String, hasher: inout SHA256, path: String
    ) throws -> [G1Affine] {
        try SRSFile.streamG1(file, count: count, section: section, hasher: &hasher, path: path) { buffer, m, out, start in
            for i in 0..<m {
                do {
                    let p = try montgomeryG1(buffer[(i * 64)..<(i * 64 + 64)])
                    if p.isInfinity { throw CurveError.invalidFlags(group: "G1", detail: "point at infinity in an SRS") }
                    out[start + i] = p
                } catch {
                    return (start + i, "\(error)")
                }
            }
            return nil
        }
    }
}
