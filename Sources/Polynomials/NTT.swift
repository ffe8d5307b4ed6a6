import FieldArithmetic
import Parallelism

/// Number-theoretic transforms over an `EvaluationDomain`: coefficients a_0…a_(n−1) ↔ evaluations
/// a(ω^0) … a(ω^(n−1)), and the same on the coset g·H.
///
/// Algorithm: iterative radix-2 decimation in time after a bit-reversal permutation. The first `blockLog`
/// stages work on blocks small enough to stay in cache (one task per block); each later stage is one pass
/// over the whole array split into contiguous chunks of butterflies. Each butterfly is independent within a
/// stage, so the result is identical for any thread count.
///
/// The inverse transform needs no second twiddle table: with F the forward transform,
/// F^{-1}(a)_i = n^{-1}·F(a)_{(n−i) mod n}, so it is a forward transform, a reversal of indices 1…n−1 and
/// a scaling.
extension EvaluationDomain {
    /// Stages done block by block: 2^12 elements = 128 KiB, comfortably inside a per-core L2.
    @usableFromInline static var blockLog: Int { 12 }

    // MARK: Array conveniences (values are padded with zeros up to n; more than n is an error)

    /// Coefficients → evaluations on H.
    public func ntt(_ coefficients: [Fr]) throws -> [Fr] {
        var values = try padded(coefficients)
        values.withUnsafeMutableBufferPointer { nttInPlace($0) }
        return values
    }

    /// Evaluations on H → coefficients.
    public func inverseNTT(_ evaluations: [Fr]) throws -> [Fr] {
        var values = try exact(evaluations)
        values.withUnsafeMutableBufferPointer { inverseNTTInPlace($0) }
        return values
    }

    /// Coefficients → evaluations on the coset g·H.
    ///
    /// At most n/2^k coefficients (a column of n rows extended to the quotient's 2^k·n coset): after the
    /// bit-reversal only every 2^k-th entry is non-zero, and the first k stages then only copy each one over its
    /// block of 2^k (the other half of every butterfly is zero). Those stages, the permutation of the zeros and
    /// the coset scaling of the zeros are skipped: the shifted coefficients are written straight to their blocks.
    public func cosetNTT(_ coefficients: [Fr]) throws -> [Fr] {
        guard coefficients.count <= size else { throw PolynomialError.sizeMismatch(expected: size, actual: coefficients.count) }
        var k = 0
        while k < log2Size - 1 && coefficients.count <= size >> (k + 1) { k += 1 }
        if k == 0 {
            var values = try padded(coefficients)
            values.withUnsafeMutableBufferPointer { cosetNTTInPlace($0) }
            return values
        }
        var shifted = coefficients
        shifted.withUnsafeMutableBufferPointer { scaleByCosetPowers($0, inverse: false) }
        var values = [Fr](unsafeUninitializedCapacity: size) { out, count in
            shifted.withUnsafeBufferPointer { c in spread(c, stages: k, into: out) }
            count = size
        }
        values.withUnsafeMutableBufferPointer { transform($0, firstStage: k) }
        return values
    }

    /// The state of the transform after its first k stages for input c (at most n/2^k values, zeros after):
    /// block p of 2^k entries holds c[bitrev(p)] (bit reversal over n/2^k), or 0 past c.
    @usableFromInline
    func spread(_ c: UnsafeBufferPointer<Fr>, stages k: Int, into out: UnsafeMutableBufferPointer<Fr>) {
        let blocks = size >> k
        let shift = UInt64(64 - (log2Size - k))
        Parallel.forEachChunk(of: blocks, minimumChunk: 2048) { range in
            for p in range {
                let source = Int(truncatingIfNeeded: UInt64(p).bitReversed >> shift)
                let x = source < c.count ? c[source] : Fr.zero
                let start = p << k
                for i in start..<(start + (1 << k)) { (out.baseAddress! + i).initialize(to: x) }
            }
        }
    }

    /// Evaluations on g·H → coefficients.
    public func inverseCosetNTT(_ evaluations: [Fr]) throws -> [Fr] {
        var values = try exact(evaluations)
        values.withUnsafeMutableBufferPointer { inverseCosetNTTInPlace($0) }
        return values
    }

    func padded(_ values: [Fr]) throws -> [Fr] {
        guard values.count <= size else { throw PolynomialError.sizeMismatch(expected: size, actual: values.count) }
        if values.count == size { return values }
        return values + [Fr](repeating: .zero, count: size - values.count)
    }

    func exact(_ values: [Fr]) throws -> [Fr] {
        guard values.count == size else { throw PolynomialError.sizeMismatch(expected: size, actual: values.count) }
        return values
    }

    // MARK: In-place kernels on exactly n values

    public func nttInPlace(_ a: UnsafeMutableBufferPointer<Fr>) {
        precondition(a.count == size, "NTT input must have exactly the domain size")
        transform(a)
    }

    public func inverseNTTInPlace(_ a: UnsafeMutableBufferPointer<Fr>) {
        precondition(a.count == size, "NTT input must have exactly the domain size")
        transform(a)
        reverseTailAndScale(a, by: sizeInverse)
    }

    public func cosetNTTInPlace(_ a: UnsafeMutableBufferPointer<Fr>) {
        precondition(a.count == size, "NTT input must have exactly the domain size")
        scaleByCosetPowers(a, inverse: false)
        transform(a)
    }

    public func inverseCosetNTTInPlace(_ a: UnsafeMutableBufferPointer<Fr>) {
        precondition(a.count == size, "NTT input must have exactly the domain size")
        transform(a)
        reverseTailAndScale(a, by: .one)
        // a_i · n^{-1} · g^{-i}: one pass does both scalings.
        scaleByCosetPowers(a, inverse: true)
    }

    /// a[i] *= start·base^i.
    @inlinable
    static func multiplyByPowers(_ a: UnsafeMutableBufferPointer<Fr>, of base: Fr, startingAt start: Fr) {
        Parallel.forEachChunk(of: a.count, minimumChunk: 4096) { range in
            var factor = start * base.power(UInt64(range.lowerBound))
            for i in range {
                a[i] *= factor
                factor *= base
            }
        }
    }

    /// a[i] *= g^i (forward) or g^(−i)/n (inverse), for the first a.count ≤ n indices: with the vector products,
    /// from tables of those powers kept with the domain (no chain of products); else by `multiplyByPowers`.
    func scaleByCosetPowers(_ a: UnsafeMutableBufferPointer<Fr>, inverse: Bool) {
        guard Fr.vectorProductsEnabled, a.count >= 64 else {
            Self.multiplyByPowers(a, of: inverse ? cosetShiftInverse : cosetShift, startingAt: inverse ? sizeInverse : .one)
            return
        }
        let table = cosetPowerTable(inverse: inverse)
        Parallel.forEachChunk(of: a.count, minimumChunk: 4096) { range in
            let at = a.baseAddress! + range.lowerBound
            Fr.multiply(at, table + range.lowerBound, into: at, count: range.count)
        }
    }

    /// g^i or g^(−i)/n for i < n, made on first use.
    func cosetPowerTable(inverse: Bool) -> UnsafePointer<Fr> {
        cosetPowers.withLock { tables -> UnsafePointer<Fr> in
            let slot = inverse ? 1 : 0
            if let table = tables[slot] { return UnsafePointer(table) }
            let made = UnsafeMutableBufferPointer<Fr>.allocate(capacity: size)
            Self.fillPowers(made, of: inverse ? cosetShiftInverse : cosetShift, startingAt: inverse ? sizeInverse : .one)
            tables[slot] = made.baseAddress!
            return UnsafePointer(made.baseAddress!)
        }
    }

    /// a[i] ↔ a[n−i] for 0 < i < n/2, then everything times `factor` (skipped when it is one).
    @usableFromInline
    func reverseTailAndScale(_ a: UnsafeMutableBufferPointer<Fr>, by factor: Fr) {
        let n = size
        if n > 2 {
            Parallel.forEachChunk(of: n / 2 - 1, minimumChunk: 8192) { range in
                for k in range {
                    let i = k + 1
                    a.swapAt(i, n - i)
                }
            }
        }
        if factor != .one {
            Parallel.forEachChunk(of: n, minimumChunk: 8192) { range in
                Fr.multiply(a.baseAddress! + range.lowerBound, by: factor, into: a.baseAddress! + range.lowerBound, count: range.count)
            }
        }
    }

    /// `firstStage` > 0: `a` already holds the state after the bit reversal and that many stages (`spread`).
    /// With AVX-512 IFMA the whole transform runs eight butterflies at a time (`ifmaTransform`).
    @usableFromInline
    func transform(_ a: UnsafeMutableBufferPointer<Fr>, firstStage: Int = 0) {
        if size == 1 { return }
        if usesIFMA {
            ifmaTransform(a, firstStage: firstStage)
        } else {
            radix2Stages(a, firstStage: firstStage)
        }
    }

    /// The scalar radix-2 transform from `firstStage` (the bit reversal first when it is 0).
    @usableFromInline
    func radix2Stages(_ a: UnsafeMutableBufferPointer<Fr>, firstStage: Int) {
        let n = size
        let logN = log2Size
        let data = a.baseAddress!
        let table = twiddles.baseAddress!
        if firstStage == 0 { bitReversePermute(a) }

        // Twiddles are read contiguously: stage s uses ω_(2^(s+1))^j = table[j·n/2^(s+1)], which for all but
        // the last stage is a strided gather; gathering once per stage costs n/2 copies in total and saves a
        // cache line per butterfly.
        let blockLog = min(logN, Self.blockLog)
        let block = 1 << blockLog
        // small[half + j] = ω_(2·half)^j for every half < block (the layout of a binary heap).
        let small = UnsafeMutablePointer<Fr>.allocate(capacity: block)
        defer { small.deallocate() }
        for s in 0..<blockLog {
            let half = 1 << s
            let step = n >> (s + 1)
            for j in 0..<half { small[half + j] = table[j * step] }
        }
        let gatherCapacity = logN >= blockLog + 2 ? n / 4 : 0
        let gathered = UnsafeMutablePointer<Fr>.allocate(capacity: max(1, gatherCapacity))
        defer { gathered.deallocate() }

        // Small stages, one cache-resident block per task.
        if firstStage < blockLog { Parallel.forEach(tasks: n >> blockLog) { b in
            let base = data + b * block
            for s in firstStage..<blockLog {
                let half = 1 << s
                let w = small + half
                var start = 0
                while start < block {
                    let lo = base + start
                    let hi = lo + half
                    // j = 0: the twiddle is one.
                    let u0 = lo[0], v0 = hi[0]
                    lo[0] = u0 + v0
                    hi[0] = u0 - v0
                    var j = 1
                    while j < half {
                        let u = lo[j]
                        let v = hi[j] * w[j]
                        lo[j] = u + v
                        hi[j] = u - v
                        j += 1
                    }
                    start += 2 * half
                }
            }
        } }

        // Large stages, one pass each over all n/2 butterflies.
        // (A stride: firstStage may pass blockLog, and -Ounchecked drops Range's lower ≤ upper check.)
        for s in stride(from: max(blockLog, firstStage), to: logN, by: 1) {
            let half = 1 << s
            let step = n >> (s + 1)
            let w: UnsafeMutablePointer<Fr>
            if step == 1 {
                w = table
            } else {
                w = gathered
                Parallel.forEachChunk(of: half, minimumChunk: 1 << 14) { range in
                    for j in range { gathered[j] = table[j * step] }
                }
            }
            Parallel.forEachChunk(of: n / 2, minimumChunk: 1 << 12, oversubscription: 2) { range in
                var t = range.lowerBound
                while t < range.upperBound {
                    // Butterflies t…(end of this group or range) share one group, so j runs contiguously.
                    let group = t >> s
                    let j0 = t & (half - 1)
                    let run = min(half - j0, range.upperBound - t)
                    let lo = data + group * 2 * half
                    let hi = lo + half
                    for j in j0..<(j0 + run) {
                        let u = lo[j]
                        let v = hi[j] * w[j]
                        lo[j] = u + v
                        hi[j] = u - v
                    }
                    t += run
                }
            }
        }
    }

    @usableFromInline
    func bitReversePermute(_ a: UnsafeMutableBufferPointer<Fr>) {
        let shift = UInt64(64 - log2Size)
        Parallel.forEachChunk(of: size, minimumChunk: 8192) { range in
            for i in range {
                let r = Int(truncatingIfNeeded: UInt64(i).bitReversed >> shift)
                if i < r { a.swapAt(i, r) }
            }
        }
    }
}

extension UInt64 {
    @inlinable
    var bitReversed: UInt64 {
        var v = self
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
