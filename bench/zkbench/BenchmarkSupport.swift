import CommandLineSupport

/// Timing helpers: every figure is the minimum over several rounds, since these machines are noisy and the
/// minimum is the least disturbed estimate of the code's own cost.
enum Bench {
    /// Nanoseconds per operation of `body`, which performs `operations` operations per call.
    static func nanoseconds(operations: Int, rounds: Int = 5, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        body()  // warm-up
        for _ in 0..<rounds {
            let start = clock.now
            body()
            let elapsed = (clock.now - start).seconds
            best = min(best, elapsed)
        }
        return best * 1e9 / Double(operations)
    }

    /// Times several variants in alternating rounds (A, B, C, A, B, C, …) and returns each one's minimum, so
    /// that load from other processes hits every variant alike and their ratios stay meaningful.
    static func interleaved(operations: Int, rounds: Int = 7, _ variants: [() -> Void]) -> [Double] {
        let clock = ContinuousClock()
        var best = [Double](repeating: .infinity, count: variants.count)
        for variant in variants { variant() }  // warm-up
        for _ in 0..<rounds {
            for (index, variant) in variants.enumerated() {
                let start = clock.now
                variant()
                best[index] = min(best[index], (clock.now - start).seconds)
            }
        }
        return best.map { $0 * 1e9 / Double(operations) }
    }

    /// Keeps a value alive so the optimiser cannot delete the work that produced it.
    @inline(never) @_optimize(none)
    static func consume<T>(_ value: T) {}

    /// Hides a value's origin from the optimiser so chains on constants are not folded away.
    @inline(never) @_optimize(none)
    static func opaque<T>(_ value: T) -> T { value }
}

/// Collects (key, value, unit, label) rows and prints them as a table or one JSON object.
struct BenchReport {
    private(set) var rows: [(key: String, value: Double, unit: String, label: String)] = []

    mutating func add(_ key: String, _ value: Double, unit: String = "ns", _ label: String) {
        rows.append((key, value, unit, label))
        if Console.stderrIsTerminal { Console.err("… \(label): \(BenchReport.format(value)) \(unit)") }
    }

    func print(json: Bool) {
        if json {
            Console.out(JSONValue.object(rows.map { ($0.key, .double(($0.value * 1000).rounded() / 1000)) }).rendered())
        } else {
            let width = rows.map { $0.label.count }.max() ?? 0
            for row in rows {
                let padded = row.label + String(repeating: " ", count: width - row.label.count)
                Console.out("\(padded)  \(BenchReport.format(row.value)) \(row.unit)")
            }
        }
    }

    static func format(_ value: Double) -> String {
        if value >= 1000 { return String(Int(value.rounded())) }
        return String(Double(Int(value * 100)) / 100)
    }
}
