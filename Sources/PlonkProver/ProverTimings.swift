/// Where the prover's time goes, for benchmarks (`zkbench plonk`). Categories:
/// - `adviceMSM`: committing the witness columns (small values: the MSM's cheap path);
/// - `otherMSM`: multiplicities, accumulators, quotient chunks and opening proofs (mostly full-size);
/// - `ntt`: interpolations and coset extensions;
/// - `permutationLookup`: multiplicities, grand products and running sums (values, not commitments);
/// - `quotient`: evaluating the constraints on the coset and dividing by Z_H;
/// - `openings`: evaluations at ζ, ωζ and forming the opening polynomials;
/// - `witnessCheck`: the constraint checker run before proving;
/// - `witness`: the caller's phase callbacks (e.g. the committed relation's u = ρᵀW and running sums,
///   `CommittedRelationLayout.assign`);
/// - `linearRelation`: the committed linear relation's claim (block coefficients, the combined block vector,
///   v_com) and its Gemini weight opening, MSMs included.
public final class ProverTimings: @unchecked Sendable {
    public private(set) var seconds: [String: Double] = [:]
    public static let categories = [
        "adviceMSM", "otherMSM", "ntt", "permutationLookup", "quotient", "openings", "witnessCheck", "witness", "linearRelation",
    ]

    public init() {}

    func measure<T>(_ category: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer {
            let d = (clock.now - start).components
            seconds[category, default: 0] += Double(d.seconds) + Double(d.attoseconds) * 1e-18
        }
        return try body()
    }

    public var total: Double { seconds.values.reduce(0, +) }
}
