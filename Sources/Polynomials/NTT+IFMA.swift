import CFieldKernels
import FieldArithmetic
import Parallelism

/// The NTT on AVX-512 IFMA (`ntt_ifma.c`): eight butterflies per instruction stream in five 52-bit limbs
/// (6 ns per butterfly against 23 for the scalar MULX one; 2.2–3.1× per transform, `zkbench ntt`). The
/// elements are read into that form once per transform (stages 0–2 done in registers as they load) and written
/// back at the end; the result is the scalar path's value for value, which the tests check on every size.
extension EvaluationDomain {
    /// Whether transforms may use IFMA: the CPU has it (tests switch it off to compare the two paths).
    public static var ifmaEnabled = zk_ifma_available() != 0 && MemoryLayout<Fr>.size == 32
    /// Stages below this one pair lanes of one block of eight and run in registers as the values are loaded.
    static var ifmaFirstStage: Int { 3 }
    /// In-cache blocks of 2^12 elements (160 KiB in the vector form).
    static var ifmaBlockLog: Int { 12 }

    var usesIFMA: Bool { Self.ifmaEnabled && log2Size >= 5 }

    /// The transform from `firstStage` (`a` holding the state after the earlier stages; the bit reversal is
    /// read into the vector form when it is 0).
    func ifmaTransform(_ a: UnsafeMutableBufferPointer<Fr>, firstStage: Int) {
        let n = size, logN = log2Size
        let twiddles = ifmaTwiddleTable()
        let vector = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * n)
        defer { vector.deallocate() }
        let values = Fr.mutableWords(a.baseAddress!)
        let eighthRoots = (0..<4).map { self.twiddles[$0 * (n / 8)] }
        eighthRoots.withUnsafeBufferPointer { roots in
            let rootWords = Fr.words(roots.baseAddress!)
            Parallel.forEachChunk(of: n / 8, minimumChunk: 256) { r in
                zk_ifma_load_stages(values, vector, Int32(logN), Int32(firstStage), rootWords, r.lowerBound * 8, r.count * 8)
            }
        }
        let first = max(firstStage, Self.ifmaFirstStage)
        let blockLog = min(logN, Self.ifmaBlockLog)
        if first < blockLog {
            let butterflies = 1 << (blockLog - 1)
            Parallel.forEach(tasks: n >> blockLog) { b in
                for s in stride(from: first, to: blockLog, by: 1) { zk_ifma_stage(vector, Int32(s), twiddles, b * butterflies, butterflies) }
            }
        }
        for s in stride(from: max(blockLog, first), to: logN, by: 1) {
            Parallel.forEachChunk(of: n / 16, minimumChunk: 256, oversubscription: 2) { r in
                zk_ifma_stage(vector, Int32(s), twiddles, r.lowerBound * 8, r.count * 8)
            }
        }
        Parallel.forEachChunk(of: n / 8, minimumChunk: 256) { r in
            zk_ifma_from_soa(vector, values, r.lowerBound * 8, r.count * 8)
        }
    }

    /// Stage s's twiddles ω_(2^(s+1))^j (j < 2^s) for s = 3 … log2Size − 1, back to back, in the vector form:
    /// made on first use and kept with the domain.
    func ifmaTwiddleTable() -> UnsafePointer<UInt64> {
        ifmaTwiddles.withLock { table -> UnsafePointer<UInt64> in
            if let table { return UnsafePointer(table) }
            let count = size - 8
            let gathered = UnsafeMutablePointer<Fr>.allocate(capacity: count)
            defer { gathered.deallocate() }
            for s in Self.ifmaFirstStage..<log2Size {
                let half = 1 << s, step = size >> (s + 1)
                for j in 0..<half { gathered[half - 8 + j] = twiddles[j * step] }
            }
            let made = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * count)
            zk_ifma_twiddles(Fr.words(gathered), made, count)
            table = made
            return UnsafePointer(made)
        }
    }
}
