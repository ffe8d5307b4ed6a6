import CommandLineSupport

/// Shared timing for the commitment-layer benchmarks: the minimum over `repeats` runs (the least disturbed
/// by other processes on a shared machine), in seconds.
enum BenchTiming {
    static func best(repeats: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            body()
            best = min(best, (clock.now - start).seconds)
        }
        return best
    }

    static func round(_ x: Double, _ digits: Int = 4) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}

/// Collects figures for both the human table and `--json`.
struct BenchReport {
    var members: [(String, JSONValue)] = []
    var lines: [String] = []

    mutating func seconds(_ key: String, _ value: Double, _ label: String) {
        members.append((key, .double(BenchTiming.round(value, 6))))
        lines.append("\(label): \(formatSeconds(value))")
    }

    mutating func ratio(_ key: String, _ value: Double, _ label: String) {
        members.append((key, .double(BenchTiming.round(value, 3))))
        lines.append("\(label): \(BenchTiming.round(value, 2))×")
    }

    mutating func value(_ key: String, _ value: JSONValue) { members.append((key, value)) }

    func emit(json: Bool) {
        if json { Console.out(JSONValue.object(members).rendered()) } else { lines.forEach { Console.out($0) } }
    }
}
