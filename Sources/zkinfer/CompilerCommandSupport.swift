import CircuitCompiler
import CommandLineSupport
import ZKInferKit

/// Options and error mapping shared by the compiler commands (stats, compile).
enum CompilerCommandSupport {
    static let options: [OptionSpec] = [
        .value("settings", "settings.json", "quantization settings (from `zkinfer calibrate`); defaults otherwise"),
        .flag("private-input", "keep the model input a witness (range-checked) instead of a public value"),
        .value("lanes", "N", "elements per row of the widest gadget (default: chosen automatically)"),
        .value("log2-rows", "K", "build a larger circuit than needed (2^K rows)"),
        .value("range-checks", "columns", "range-check layout: one lookup per limb column (stacked is gone: docs/protocol.md §19.9)"),
        .value("limb-bits", "8|7|6|5", "bits per range-checked limb (default: the cheaper for this model)"),
    ]

    /// The memory guard of compile and setup (`requireMemory`).
    static let maxMemory = OptionSpec.value(
        "max-memory", "GB", "refuse when the step's or the proof's estimated peak memory (`zkinfer stats`) exceeds this many GB (default: the memory available now)")

    /// What proving a circuit is called in the guard's message.
    static let proving = "proving this circuit (`zkinfer prove`)"

    /// Refuses a step whose estimated peak memory, or that of proving the circuit it leads to, exceeds the memory
    /// available now (MemAvailable; the machine's physical memory when that is unknown) or `--max-memory`, before
    /// anything is built: a model whose circuit cannot fit would otherwise run for minutes and swap or be killed,
    /// and a circuit that compiles in a few GB may need a hundred to prove (a hostile Resize to [7, 131072, 7, 2]:
    /// compile 10 GB, setup 12 GB, prove 95 GB). `estimates` are (step, bytes), checked in order.
    static func requireMemory(_ estimates: [(step: String, needed: Int)], _ invocation: Invocation) throws {
        let limit: Int
        let source: String
        if let text = invocation.value("max-memory") {
            guard let gb = Double(text), gb.isFinite, gb > 0, gb < 1e9 else {
                throw CommandFailure.usage("--max-memory must be a positive number of GB, not '\(text)'")
            }
            limit = Int(gb * Double(1 << 30))
            source = "the --max-memory limit of \(bytes(limit))"
        } else if let available = Pipeline.availableMemory() {
            limit = available
            source = "the \(bytes(available)) of memory available on this machine now"
        } else {
            guard let physical = Pipeline.physicalMemory() else { return }
            limit = physical
            source = "this machine's \(bytes(physical)) of memory"
        }
        for (step, needed) in estimates where needed > limit {
            let suggested = Int((Double(needed) / Double(1 << 30)).rounded(.up)) + 1
            throw CommandFailure.usage(
                "\(step) needs about \(bytes(needed)) (the estimate `zkinfer stats` shows), more than \(source); refused before "
                    + "building anything. Use a machine with more memory or a smaller model/settings, or, to try anyway (e.g. to "
                    + "prove on a larger machine), pass --max-memory \(suggested)")
        }
    }

    static func compileOptions(_ invocation: Invocation) throws -> CompileOptions {
        let lanes = try invocation.value("lanes").map { _ in
            try invocation.integer("lanes", default: 1, in: CompileOptions.laneChoices.lowerBound...256)
        }
        let log2 = try invocation.value("log2-rows").map { _ in try invocation.integer("log2-rows", default: 0, in: 3...28) }
        let stacked: Bool?
        switch invocation.value("range-checks") {
        case nil: stacked = nil
        case "stacked": stacked = true
        case "columns": stacked = false
        case let other?: throw CommandFailure.usage("--range-checks must be 'stacked' or 'columns', not '\(other)'")
        }
        let limbBits = try invocation.value("limb-bits").map { _ in try invocation.integer("limb-bits", default: 8, in: 5...8) }
        return CompileOptions(publicInput: !invocation.flag("private-input"), lanesPerRow: lanes, log2Rows: log2,
                              stackRangeChecks: stacked, limbBits: limbBits)
    }

    /// Runs `body`, turning an unsupported model into exit 1 and other compiler errors into exit 2.
    static func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try ModelCommandSupport.mapErrors(body)
        } catch let error as CompilerError {
            switch error {
            // An operator the circuit cannot prove is unsupported input (exit 2); a circuit too large is a "no" (1).
            case .tooLarge, .tooWide: throw CommandFailure.rejected(error.description)
            default: throw CommandFailure.malformedInput(error.description)
            }
        }
    }

    static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(count) B" : TextFormatting.fixed(value, decimals: 1) + " " + units[unit]
    }
}
