import TestSupport
import BN254
import FieldArithmetic
@testable import MSM
import Parallelism
import Testing

/// Points P_i = (a + i·b)·G, so that Σ s_i·P_i = (Σ s_i·(a + i·b))·G gives an exact reference with one scalar
/// multiplication even for large inputs; small inputs are also checked against the plain sum of scalar
/// multiplications (BN254's wNAF code, independent of the MSM).
struct PointFamily {
    let a: Fr, b: Fr
    let points: [G1Affine]

    init(count: Int, rng: inout SeededGenerator) {
        a = rng.fr()
        b = rng.fr()
        var current = G1Projective.generator * a
        let step = G1Projective.generator * b
        var projective: [G1Projective] = []
        for _ in 0..<count {
            projective.append(current)
            current = current + step
        }
        points = G1Projective.batchToAffine(projective)
    }

    func discreteLog(_ i: Int) -> Fr { a + Fr(UInt64(i)) * b }

    func reference(_ scalars: [Fr]) -> G1Projective {
        var sum = Fr.zero
        for (i, s) in scalars.enumerated() { sum += s * discreteLog(i) }
        return G1Projective.generator * sum
    }
}

func naiveSum(_ points: [G1Affine], _ scalars: [Fr]) -> G1Projective {
    var sum = G1Projective.infinity
    for (p, s) in zip(points, scalars) { sum = sum + G1Projective(p) * s }
    return sum
}

@Suite struct MSMTests {
    @Test(arguments: [1, 2, 3, 17, 300])
    func fullScalarsAgreeWithNaiveSum(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count))
        let family = PointFamily(count: count, rng: &rng)
        let scalars = rng.frs(count)
        let expected = naiveSum(family.points, scalars)
        #expect(expected == family.reference(scalars))
        #expect(msm(points: family.points, scalars: scalars) == expected)
    }

    @Test func zeroScalarsInfinityAndRepeatedPoints() {
        var rng = SeededGenerator(seed: 99)
        let family = PointFamily(count: 64, rng: &rng)
        var points = family.points
        var scalars = rng.frs(64)
        for i in stride(from: 0, to: 64, by: 5) { scalars[i] = .zero }
        points[7] = .infinity
        points[8] = .infinity
        // Repeated points with equal scalars: the same bucket receives P twice (a doubling inside a batch).
        for i in 20..<30 {
            points[i] = points[19]
            scalars[i] = scalars[19]
        }
        // P and −P with equal scalars: the bucket cancels to infinity.
        points[40] = points[41].negated()
        scalars[40] = scalars[41]
        points[42] = points[43].negated()
        scalars[42] = -scalars[43]  // −P·(−s) = P·s: same bucket, same point
        #expect(msm(points: points, scalars: scalars) == naiveSum(points, scalars))
        #expect(msm(points: points, scalars: [Fr](repeating: .zero, count: 64)).isInfinity)
        #expect(msm(points: [G1Affine](repeating: .infinity, count: 5), scalars: rng.frs(5)).isInfinity)
        #expect(msm(points: [], scalars: []).isInfinity)
        // Fewer scalars than points: a prefix of the points.
        #expect(msm(points: points, scalars: Array(scalars.prefix(10))) == naiveSum(Array(points.prefix(10)), Array(scalars.prefix(10))))
    }

    /// The prover's size (2^9 terms, full scalars) on 1 and 2 threads: windows are grouped into one bucket
    /// set and reduced in lock-step with batched affine additions. Points repeat and cancel, and the scalars
    /// are multiples of a few values, so running sums meet equal (doubling) and opposite (cancelling)
    /// buckets inside the batched reduction.
    @Test(arguments: [1, 2])
    func proverSizeWithEqualAndOppositeRunningSums(threads: Int) {
        var rng = SeededGenerator(seed: 512)
        let family = PointFamily(count: 512, rng: &rng)
        var points = family.points
        var scalars = rng.frs(512)
        let few = rng.frs(3)
        for i in 0..<512 where i % 3 == 0 {
            points[i] = family.points[0]
            scalars[i] = few[i % 2]
        }
        for i in 0..<512 where i % 7 == 1 {
            points[i] = family.points[0].negated()
            scalars[i] = few[(i / 7) % 3]
        }
        for i in 0..<512 where i % 11 == 2 { scalars[i] = Fr(UInt64(i % 5 + 1)) }
        let expected = naiveSum(points, scalars)
        Parallel.withThreadCount(threads) {
            #expect(msm(points: points, scalars: scalars) == expected)
            // All points equal: every bucket of every window holds a multiple of one point.
            let same = [G1Affine](repeating: family.points[3], count: 512)
            #expect(msm(points: same, scalars: scalars) == naiveSum(same, scalars))
        }
    }

    @Test func smallSignedAndMixedScalars() {
        var rng = SeededGenerator(seed: 5)
        let n = 3000
        let family = PointFamily(count: n, rng: &rng)
        // ±32-bit values (negative ones are r − k).
        let small32 = (0..<n).map { _ in Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) }
        #expect(msm(points: family.points, scalars: small32) == family.reference(small32))
        // 16-bit values.
        let small16 = (0..<n).map { _ in Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) }
        #expect(msm(points: family.points, scalars: small16) == family.reference(small16))
        // 32-bit values with four full-size ones (blinding rows) at the end.
        var mixed = small32
        for i in (n - 4)..<n { mixed[i] = rng.fr() }
        #expect(msm(points: family.points, scalars: mixed) == family.reference(mixed))
        // Values of every width from 1 to 254 bits.
        let widths = (0..<n).map { i -> Fr in
            let bits = 1 + i % 254
            var limbs = (rng.next(), rng.next(), rng.next(), rng.next() >> 2)
            limbs = mask(limbs, bits: bits)
            return Fr(reducing: limbs)
        }
        #expect(msm(points: family.points, scalars: widths) == family.reference(widths))
    }

    @Test func skewedDigitsUseTheOverflowPath() {
        // Every scalar equal: every point lands in the same bucket in every window.
        var rng = SeededGenerator(seed: 8)
        let n = 5000
        let family = PointFamily(count: n, rng: &rng)
        for value in [Fr(1), Fr(3), -Fr(1), Fr(1 << 40)] {
            let scalars = [Fr](repeating: value, count: n)
            #expect(msm(points: family.points, scalars: scalars) == family.reference(scalars))
        }
    }

    /// The segmented lock-step reduction (few wide windows cut into lanes) against the plain Jacobian
    /// running-sum reduction of the same buckets: random fills, sparse fills (empty segments, one bucket),
    /// and every bucket holding the same point (equal and cancelling running sums across lanes).
    @Test(arguments: [(10, 1), (8, 3), (4, 1), (16, 1), (12, 2)])
    func segmentedReductionEqualsJacobianReduction(window c: Int, windows: Int) {
        var rng = SeededGenerator(seed: UInt64(c * 10 + windows))
        let family = PointFamily(count: 64, rng: &rng)
        let buckets = windows << (c - 1)
        let fills: [(Int) -> Int?] = [
            { _ in Int(rng.next() % UInt64(buckets)) },
            { i in i % 7 == 0 ? (i * 131) % buckets : nil },
            { i in i == 0 ? buckets - 1 : nil },
            { i in i < 2 ? 0 : nil },
        ]
        for (f, fill) in fills.enumerated() {
            for samePoint in [false, true] {
                var acc = BucketAccumulator(window: c, windows: windows, batchSize: MSMPlan.batchSize)
                defer { acc.deallocate() }
                for i in 0..<max(64, buckets / 4) {
                    guard let b = fill(i) else { continue }
                    let p = samePoint ? family.points[0] : family.points[i % 64]
                    let y = samePoint && b % 2 == 1 ? -p.y : p.y
                    if acc.insert(bucket: b, x: p.x, y: y) {
                        acc.flush()
                        acc.drainQueue()
                    }
                }
                acc.finish()
                let half = buckets / windows
                let expected = (0..<windows).map { acc.reduce(buckets: ($0 * half)..<(($0 + 1) * half)) }
                #expect(acc.reduceWindows(windows) == expected, "fill \(f), same point \(samePoint)")
            }
        }
    }

    /// Skewed fills overflow the queue into Jacobian buckets; `foldOverflow` must move them into the affine
    /// buckets without changing any window sum. References: the Jacobian reduction of buckets plus overflow
    /// before the fold, and Σ_k (k+1)·(points inserted into bucket k) summed directly. Fills: one hot
    /// bucket, three hot buckets, the same point everywhere, and one bucket whose overflow sum equals
    /// (doubling) or cancels (P + (−P)) its affine point.
    @Test(arguments: [(8, 1), (6, 3), (2, 1), (12, 1)])
    func foldingOverflowKeepsWindowSums(window c: Int, windows: Int) {
        var rng = SeededGenerator(seed: UInt64(c * 100 + windows))
        let family = PointFamily(count: 64, rng: &rng)
        let buckets = windows << (c - 1)
        let p1 = family.points[1]
        for fill in 0..<5 {
            var acc = BucketAccumulator(window: c, windows: windows, batchSize: MSMPlan.batchSize)
            defer { acc.deallocate() }
            // No flush happens while only hot buckets receive points, so the first 2 + queueCapacity
            // additions to a bucket stay affine and the rest overflow.
            let head = 2 + acc.queueCapacity
            var inserted = [G1Projective](repeating: .infinity, count: buckets)
            for i in 0..<(2 * head + 37) {
                let (b, p): (Int, G1Affine)
                switch fill {
                case 0: (b, p) = (0, family.points[i % 64])
                case 1: (b, p) = ((i % 3) * (buckets / 3), family.points[(i * 7) % 64])
                case 2: (b, p) = (i % 5 == 0 ? Int(rng.next() % UInt64(buckets)) : buckets - 1, family.points[0])
                default:
                    if i >= 2 * head { continue }
                    (b, p) = (0, i < head || fill == 3 ? p1 : p1.negated())
                }
                inserted[b] = inserted[b].adding(p)
                if acc.insert(bucket: b, x: p.x, y: p.y) {
                    acc.flush()
                    acc.drainQueue()
                }
            }
            acc.finish()
            #expect(acc.overflow != nil, "fill \(fill) should overflow")
            let half = buckets / windows
            let expected = (0..<windows).map { acc.reduce(buckets: ($0 * half)..<(($0 + 1) * half)) }
            let direct = (0..<windows).map { w in
                (0..<half).reduce(G1Projective.infinity) { $0 + inserted[w * half + $1] * Fr(UInt64($1 + 1)) }
            }
            #expect(expected == direct, "fill \(fill): Jacobian reduction")
            acc.foldOverflow()
            #expect(acc.overflow == nil)
            #expect(acc.reduceWindows(windows) == expected, "fill \(fill)")
        }
    }

    @Test func threadCountsAgreeOnALargeInput() {
        var rng = SeededGenerator(seed: 17)
        let n = 1 << 14
        let family = PointFamily(count: n, rng: &rng)
        var scalars = rng.frs(n)
        for i in stride(from: 0, to: n, by: 3) { scalars[i] = Fr(signed: Int64(Int32(truncatingIfNeeded: rng.next()))) }
        let expected = family.reference(scalars)
        for threads in [1, 2, 5] {
            let result = Parallel.withThreadCount(threads) { msm(points: family.points, scalars: scalars) }
            #expect(result == expected, "\(threads) threads")
        }
    }

    @Test func g2AgreesWithNaiveSum() {
        var rng = SeededGenerator(seed: 23)
        let base = G2Projective.generator * rng.fr()
        var points: [G2Projective] = [base]
        for _ in 1..<40 { points.append(points[points.count - 1] + G2Projective.generator) }
        var affine = G2Projective.batchToAffine(points)
        affine[3] = .infinity
        var scalars = rng.frs(40)
        scalars[5] = .zero
        scalars[6] = Fr(signed: -12345)
        var expected = G2Projective.infinity
        for (p, s) in zip(affine, scalars) { expected = expected + G2Projective(p) * s }
        #expect(msmG2(points: affine, scalars: scalars) == expected)
        #expect(msmG2(points: [], scalars: []).isInfinity)
    }

    @Test func recodingPicksTheShorterSign() {
        #expect(RecodedScalar(Fr(signed: -5)).bits == 3)
        #expect(RecodedScalar(Fr(signed: -5)).negative)
        #expect(RecodedScalar(Fr(5)).bits == 3)
        #expect(!RecodedScalar(Fr(5)).negative)
        #expect(RecodedScalar(Fr.zero).bits == 0)
        // Digits reassemble the value, with the sign.
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<50 {
            let s = rng.fr()
            let r = RecodedScalar(s)
            for c in [2, 7, 13, 16] {
                let windows = (r.bits + 1 + c - 1) / c
                var digits = [Int32](repeating: 0, count: windows)
                digits.withUnsafeMutableBufferPointer { r.writeSignedDigits(window: c, windows: windows, to: $0.baseAddress!, stride: 1) }
                var value = Fr.zero
                for d in digits.reversed() {
                    value = value * Fr(UInt64(1) << UInt64(c)) + Fr(signed: Int64(d))
                    #expect(abs(d) <= 1 << (c - 1))
                }
                #expect(value == s)
            }
        }
    }

    /// The small-size plans (one wide window for narrow values, the half-bucket batch capacity of small
    /// tasks, the grouped windows of full-size scalars) against the discrete-log reference, at the prover's
    /// small sizes, on one and two threads, single and batched: random values of each width, and
    /// adversarial columns (zeros, ±1, r − 1, the largest magnitudes of a width, repeated and opposite points
    /// with equal scalars, so buckets double and cancel inside a batch).
    @Test(arguments: [1, 2])
    func smallSizesAndNarrowWidthsAgreeWithReference(threads: Int) {
        var rng = SeededGenerator(seed: 0x5a11 + UInt64(threads))
        let family = PointFamily(count: 1 << 10, rng: &rng)
        let r1 = -Fr.one  // r − 1
        for n in [1 << 8, 1 << 10] {
            let extremes: [Fr] = [.zero, .one, r1, Fr(signed: -128), Fr(127), Fr(128)]
            let makers: [(Int) -> Fr] = [
                { _ in Fr(signed: Int64(Int8(truncatingIfNeeded: rng.next()))) },
                { _ in Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) },
                { _ in rng.fr() },
                { _ in rng.next() & 1 == 0 ? Fr.one : Fr(signed: Int64(Int16(truncatingIfNeeded: rng.next()))) },
                { i in extremes[i % 6] },
                { i in i % 2 == 0 ? Fr(signed: -128) : Fr(128) },
                { i in i % 3 == 0 ? r1 : Fr(signed: -32768) },
                { i in i == 5 ? rng.fr() : Fr(signed: Int64(Int8(truncatingIfNeeded: rng.next()))) },
                { _ in Fr.one },
                { _ in r1 },
                { i in i % 4 == 0 ? Fr.zero : Fr(UInt64(i % 9 + 1)) },
            ]
            let columns: [[Fr]] = makers.map { make in (0..<n).map { make($0) } }
            var points = Array(family.points.prefix(n))
            for (i, column) in columns.enumerated() {
                #expect(msm(points: points, scalars: column) == family.reference(column), "n \(n), column \(i), default threads")
                let result = Parallel.withThreadCount(threads) { msm(points: points, scalars: column) }
                #expect(result == family.reference(column), "n \(n), column \(i), \(threads) threads")
            }
            let batch = Parallel.withThreadCount(threads) {
                points.withUnsafeBufferPointer { msmBatch(points: $0, scalarSets: columns) }
            }
            for (i, (column, result)) in zip(columns, batch).enumerated() {
                #expect(result == family.reference(column), "batched: n \(n), column \(i), \(threads) threads")
            }
            // Repeated and opposite points with narrow scalars: equal digits meet the same or the negated
            // point in one bucket (doublings and cancellations in the batch and the reduction).
            for i in 0..<n where i % 3 != 0 { points[i] = i % 2 == 0 ? family.points[0] : family.points[0].negated() }
            let narrow = (0..<n).map { i in Fr(signed: Int64(i % 17) - 8) }
            let expected = naiveSum(points, narrow)
            #expect(Parallel.withThreadCount(threads) { msm(points: points, scalars: narrow) } == expected)
        }
    }

    /// The plan gives a narrow small run one window (the measured best: 2^8 ±8-bit values with c = 8/9 beat
    /// the 2-window plan) and leaves large runs' plans as they were.
    @Test func smallNarrowRunsGetOneWindow() {
        #expect(MSMPlan.bestRun(count: 256, bits: 8, threads: 1).windows == 1)
        #expect(MSMPlan.bestRun(count: 256, bits: 8, threads: 1, exactForSmallRuns: false).windows == 2)
        // Large runs keep the plan of the 2^16-fitted model.
        #expect(MSMPlan.bestRun(count: 1 << 14, bits: 32, threads: 2).window == 11)
    }

    @Test func planSplitsOffAFewFullScalars() {
        var histogram = [Int](repeating: 0, count: 256)
        histogram[32] = 1 << 18
        histogram[254] = 4
        let runs = MSMPlan.split(histogram: histogram, threads: 2)
        #expect(runs.map(\.maxBits) == [32, 254])
        var uniform = [Int](repeating: 0, count: 256)
        uniform[254] = 1 << 18
        uniform[250] = 1 << 10
        #expect(MSMPlan.split(histogram: uniform, threads: 2).map(\.maxBits) == [254])
        let small = MSMPlan.bestRun(count: 1 << 18, bits: 32, threads: 2)
        let full = MSMPlan.bestRun(count: 1 << 18, bits: 254, threads: 2)
        #expect(full.cost > 4 * small.cost)
    }
}

func mask(_ t: (UInt64, UInt64, UInt64, UInt64), bits: Int) -> (UInt64, UInt64, UInt64, UInt64) {
    var limbs = [t.0, t.1, t.2, t.3]
    for i in 0..<4 {
        let low = i * 64
        if bits <= low { limbs[i] = 0 } else if bits < low + 64 { limbs[i] &= (1 << UInt64(bits - low)) - 1 }
    }
    limbs[(bits - 1) / 64] |= 1 << UInt64((bits - 1) % 64)  // exactly `bits` bits
    return (limbs[0], limbs[1], limbs[2], limbs[3])
}

/// The prover's blinding-row commitments: Straus over a few shared bases against the MSM and against the
/// discrete-log reference, for random, zero, one-hot and extreme scalars.
struct SharedBasesCombinationTests {
    @Test(arguments: [1, 2])
    func agreesWithTheMSM(windowBits: Int) throws {
        var rng = SeededGenerator(seed: 0x5eed_b1d)
        let family = PointFamily(count: 4, rng: &rng)
        let combination = SharedBasesCombination(bases: family.points, windowBits: windowBits)
        var cases: [[Fr]] = (0..<20).map { _ in (0..<4).map { _ in rng.fr() } }
        cases.append([.zero, .zero, .zero, .zero])
        cases.append([.one, .zero, .zero, .zero])
        cases.append([.zero, .zero, .zero, -Fr.one])
        cases.append([-Fr.one, -Fr.one, -Fr.one, -Fr.one])
        cases.append([Fr(7), Fr(7), Fr(7), Fr(7)])
        for scalars in cases {
            let expected = family.reference(scalars)
            #expect(combination.combine(scalars[...]) == expected)
            #expect(msm(points: family.points, scalars: scalars) == expected)
        }
        // Fewer scalars than bases: the rest count as zero.
        let two = [rng.fr(), rng.fr()]
        #expect(combination.combine(two[...]) == family.reference(two))
    }

    @Test func dependentBasesStillAddUp() throws {
        // B, B, −B, 2B: the table holds the point at infinity and doublings.
        let b = G1Projective.generator * Fr(12345)
        let bases = G1Projective.batchToAffine([b, b, -b, b + b])
        let combination = SharedBasesCombination(bases: bases)
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<5 {
            let s = (0..<4).map { _ in rng.fr() }
            let k = s[0] + s[1] - s[2] + s[3] * Fr(2)
            #expect(combination.combine(s[...]) == G1Projective.generator * (k * Fr(12345)))
        }
    }
}

/// `msmBatch` schedules the window groups of several MSMs together: each result must equal `msm` on its own,
/// for full, small, mixed, empty and all-zero scalar sets, on one and two threads.
struct MSMBatchTests {
    @Test(arguments: [1, 2])
    func batchEqualsSingleMSMs(threads: Int) throws {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        var rng = SeededGenerator(seed: 0xba7c4)
        let family = PointFamily(count: 300, rng: &rng)
        let sets: [[Fr]] = [
            (0..<300).map { _ in rng.fr() },
            (0..<300).map { _ in Fr(UInt64(rng.next() % 65536)) },
            (0..<257).map { i in i % 50 == 0 ? rng.fr() : -Fr(UInt64(rng.next() % 200)) },
            [],
            [Fr](repeating: .zero, count: 100),
            (0..<7).map { _ in rng.fr() },
        ]
        let batch = family.points.withUnsafeBufferPointer { msmBatch(points: $0, scalarSets: sets) }
        #expect(batch.count == sets.count)
        for (set, result) in zip(sets, batch) {
            #expect(result == family.reference(set))
        }
    }
}

/// The tabled MSM (`msmBatch(table:)`) sums digit k of every scalar on the base's 2^(c·k) multiple: each result
/// must equal the discrete-log reference for full, small, negative, mixed, short, empty and all-zero scalar
/// sets, for odd and even windows, on one and two threads; a base at infinity is skipped.
struct FixedBaseTableTests {
    @Test(arguments: [(2, 1), (5, 2), (10, 2), (13, 1)])
    func tabledSumsEqualTheReference(window: Int, threads: Int) {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        var rng = SeededGenerator(seed: 0x7ab1e + UInt64(window))
        let family = PointFamily(count: 130, rng: &rng)
        let table = FixedBaseTable(bases: family.points, window: window)
        #expect(table.points.count == 130 * table.windows)
        #expect(table.windows * window >= 255)
        // The multiples themselves: 2^(c·k)·B_3 for the second and the top window.
        for k in [1, table.windows - 1] {
            var factor = Fr.one
            for _ in 0..<(window * k) { factor = factor + factor }
            #expect(G1Projective(table.points[k * 130 + 3]) == G1Projective.generator * (family.discreteLog(3) * factor))
        }
        let sets: [[Fr]] = [
            (0..<130).map { _ in rng.fr() },
            (0..<130).map { _ in Fr(UInt64(rng.next() % 65536)) },
            (0..<129).map { i in i % 40 == 0 ? rng.fr() : -Fr(UInt64(rng.next() % 200)) },
            [Fr](repeating: -Fr.one, count: 130),
            (0..<130).map { _ in -rng.fr() },
            [],
            [Fr](repeating: .zero, count: 60),
            (0..<3).map { _ in rng.fr() },
        ]
        let results = msmBatch(table: table, scalarSets: sets)
        #expect(results.count == sets.count)
        for (set, result) in zip(sets, results) { #expect(result == family.reference(set)) }
        #expect(msmBatch(table: table, scalarSets: [sets[0]]) == [family.reference(sets[0])])
    }

    @Test func aBaseAtInfinityIsSkipped() {
        var rng = SeededGenerator(seed: 0x1f)
        let family = PointFamily(count: 20, rng: &rng)
        var points = family.points
        points[4] = .infinity
        let table = FixedBaseTable(bases: points, window: 6)
        var scalars = rng.frs(20)
        let result = msmBatch(table: table, scalarSets: [scalars])[0]
        scalars[4] = .zero
        #expect(result == family.reference(scalars))
    }

    @Test func theBestWindowFitsTheMemoryLimit() {
        #expect(FixedBaseTable.bestWindow(count: 1 << 7, maximumBytes: 64 << 20) == 10)
        let c = FixedBaseTable.bestWindow(count: 1 << 13, maximumBytes: 8 << 20)!
        #expect((1 << 13) * FixedBaseTable.windows(window: c) * 64 <= 8 << 20 && c > FixedBaseTable.bestWindow(count: 1 << 13, maximumBytes: 64 << 20)!)
        #expect(FixedBaseTable.bestWindow(count: 1 << 20, maximumBytes: 1 << 20) == nil)
    }

    /// The windows `zkbench msm-table` measured fastest for 16 full-size columns (bench/results/2026-12-05-table-windows.md):
    /// at 2^10 bases c = 12 leaves the top digit 3 bits and took 83 ms against c = 13's 65 ms; the keys' choices
    /// follow the measurements at every size a proving key uses.
    @Test func keyWindowsAvoidATopDigitOfAFewBits() {
        let chosen = (6...14).map { FixedBaseTable.keyWindow(count: 1 << $0) }
        #expect(chosen == [9, 10, 10, 11, 13, 13, 13, 15, 15])
        #expect(FixedBaseTable.topDigitCollisions(count: 1 << 10, window: 12) > 0)
        #expect(FixedBaseTable.topDigitCollisions(count: 1 << 10, window: 13) == 0)
    }
}
