import CommandLineSupport
#if canImport(Glibc)
import Glibc
#endif

/// Shared timing for the commitment-layer benchmarks: the minimum over `repeats` runs (the least disturbed
/// by other processes on a shared machine), in seconds.
enum BenchTiming {
    static func best(repeats: Int, _ body: () -> Void) -> Double {
        measure(repeats: repeats, body).wall
    }

    /// Best wall-clock time and best process CPU time (all threads) over `repeats` runs. On a loaded
    /// machine the CPU time of a 1-thread run still shows the work done; wall time is the figure reported.
    static func measure(repeats: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        let clock = ContinuousClock()
        var bestWall = Double.infinity
        var bestCPU = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = clock.now
            let cpuStart = processCPUSeconds()
            body()
            bestCPU = min(bestCPU, processCPUSeconds() - cpuStart)
            bestWall = min(bestWall, (clock.now - start).seconds)
        }
        return (bestWall, bestCPU)
    }

    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    static func round(_ x: Double, _ digits: Int = 4) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (x * scale).rounded() / scale
    }
}

/// Collects figures for both the human table and `--json`.
struct FigureReport {
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

import FieldArithmetic

/// The machine's speed right now: nanoseconds per Fq Montgomery multiplication in a dependent chain. MSM
/// and NTT times divided by it are comparable across machines and across loaded/unloaded runs.
enum Calibration {
    static func fqMultiplyNanoseconds() -> Double {
        var x = Fq(0x1234_5678_9abc)
        let y = Fq(0xfedc_ba98_7654)
        let count = 2_000_000
        let seconds = BenchTiming.best(repeats: 3) {
            for _ in 0..<count { x = x * y }
        }
        if x.isZero { print("") }  // keep the chain alive
        return seconds / Double(count) * 1e9
    }
}
