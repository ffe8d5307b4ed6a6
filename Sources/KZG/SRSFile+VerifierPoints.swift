#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BN254

extension SRSFile {
    /// [1]₁ (the first power), [1]₂ and [τ]₂ of an SRS file, each decoded with the full checks, without
    /// reading the rest: what `params info` needs to print the SRS identity of a file of any size. The
    /// content hash is not checked (that needs the whole file: `params info --verify`).
    public static func readVerifierKey(path: String) throws -> KZGVerifierKey {
        let file = try open(path)
        defer { fclose(file) }
        let header = try readHeader(file, path: path)
        guard header.g1Count >= 1 else { throw KZGError.malformedHeader("no G1 powers") }
        // readHeader left the position at the first power.
        let first = try get(file, 64, path: path, expected: header.fileBytes)
        guard fseeko(file, off_t(header.fileBytes - 256), SEEK_SET) == 0 else {
            throw KZGError.io(path: path, reason: "seek failed")
        }
        let g2Bytes = try get(file, 256, path: path, expected: header.fileBytes)
        do {
            let g1 = try G1Affine(uncompressed: first)
            let g2 = try G2Affine(uncompressed: g2Bytes[0..<128])
            let tauG2 = try G2Affine(uncompressed: g2Bytes[128..<256])
            return KZGVerifierKey(g1: g1, g2: g2, tauG2: tauG2, origin: header.origin)
        } catch {
            throw KZGError.invalidPoint(section: "G1 power 0 or G2", index: 0, reason: "\(error)")
        }
    }
}
