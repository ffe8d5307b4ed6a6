import CircuitCompiler
import CommandLineSupport
import ModelGraph
import Quantization
import SystemSupport
import ZKInferKit

/// `zkinfer stats model.onnx`: what the circuit of a model costs, per layer and in total — without
/// quantizing activations, running the model or any setup.
enum StatsCommand {
    static let command = Command(
        name: "stats", summary: "circuit statistics per layer and in total (rows, cells, gates, lookups, sizes)",
        arguments: "<model.onnx | circuit.zkc>",
        options: CompilerCommandSupport.options + [
            .value("html", "report.html", "also write the statistics as one self-contained HTML page (inline SVG bars, no network)"),
            .flag("private-weights", "for a key of `zkinfer setup --private-weights`: its proof (128 bytes more) and SRS (2^(k+1) points)"),
        ],
        discussion: """
            Computed from the model's shapes, weights and settings alone (no input, no keys), so it tells
            before setup whether a model fits: the circuit `zkinfer compile` would build (rows, columns, proof
            and verifying key bytes exact; on a circuit file, the compiled one). A model whose compile would
            need over 4 GB (or half the memory available) gets the layout chooser's estimate instead, without
            the key's size. Rows are lane rows; the circuit also holds the range table (256 rows, or 128 with
            7-bit limbs), so it has at least 2^8 rows. Proving key size and memory are estimates (see
            Sources/CircuitCompiler/README.md); the benchmark compares them with measured values.
            """,
        examples: ["zkinfer stats circuits/mlp_mnist/model.onnx", "zkinfer stats circuits/cnn_small/model.onnx --html report.html",
                   "zkinfer stats circuits/mlp_tiny/model.onnx --private-weights --json"]
    ) { invocation in
        let path = try invocation.positional(0, "model.onnx")
        let privateWeights = invocation.flag("private-weights")
        let report: Report
        // Read once: a circuit file is told by its magic, anything else is a model.
        let bytes = try Files.read(path, what: "model or circuit file", limit: CircuitFile.maximumEncodedBytes)
        if bytes.starts(with: CircuitFile.magic) {
            let circuit = try Files.circuit(bytes, path: path)
            report = try CompilerCommandSupport.mapErrors { try Report(circuit: circuit, privateWeights: privateWeights) }
        } else {
            let onnx = try ModelCommandSupport.selfContainedModel(bytes, path: path)
            let model = try ModelCommandSupport.importModel(onnx, path: path)
            let settings = try ModelCommandSupport.loadSettings(invocation)
            let options = try CompilerCommandSupport.compileOptions(invocation)
            report = try CompilerCommandSupport.mapErrors {
                try Report(onnx: onnx, graph: model.graph, settings: settings, options: options, privateWeights: privateWeights)
            }
        }
        let stats = report.stats
        if let htmlPath = invocation.value("html") {
            try Files.write(Array(StatsHTML.render(stats, model: path, settings: report.settings).utf8), to: htmlPath)
            if !invocation.wantsJSON { Console.err("wrote \(htmlPath)") }
        }
        if invocation.wantsJSON {
            Console.out(json(stats, model: path, settings: report.settings, publicInput: report.publicInput,
                             verifyingKeyBytes: report.verifyingKeyBytes).rendered())
            return
        }
        print(stats, model: path, settings: report.settings, verifyingKeyBytes: report.verifyingKeyBytes)
    }

    /// The statistics of the circuit `zkinfer compile` makes (with the verifying key's size), or, when compiling
    /// would not fit comfortably in memory, of the layout chooser's plan alone — the same unless the 64 KiB key rule
    /// (docs/protocol.md §19.9) would pick a taller circuit.
    struct Report {
        let stats: ModelStatistics
        let settings: QuantizationSettings
        let publicInput: Bool
        let verifyingKeyBytes: Int?

        /// Compiles only when its estimated peak stays below this and half the memory available now: stats must stay
        /// quick and safe on hostile models, which compile refuses or takes minutes on.
        static let compileBudget = 4 << 30

        init(onnx: [UInt8], graph: ModelGraph, settings: QuantizationSettings, options: CompileOptions, privateWeights: Bool) throws {
            let (plan, layout) = try CircuitLayout.choose(graph: graph, settings: settings, options: options)
            let estimate = ModelStatistics(plan: plan, layout: layout, privateWeights: privateWeights)
            self.settings = settings
            publicInput = options.publicInput
            let available = Pipeline.availableMemory() ?? Pipeline.physicalMemory() ?? 0
            guard estimate.estimatedCompilePeakBytes <= min(Self.compileBudget, available / 2) else {
                (stats, verifyingKeyBytes) = (estimate, nil)
                return
            }
            let (_, compiled, keyBytes) = try CircuitFile.compileSizingKey(onnx: onnx, settings: settings, options: options)
            stats = ModelStatistics(compiled: compiled, privateWeights: privateWeights)
            verifyingKeyBytes = keyBytes
        }

        init(circuit: CircuitFile, privateWeights: Bool) throws {
            let (_, compiled) = try circuit.rebuild()
            stats = ModelStatistics(compiled: compiled, privateWeights: privateWeights)
            settings = circuit.header.settings
            publicInput = circuit.header.publicInput
            verifyingKeyBytes = try circuit.verifyingKeyBytes(compiled)
        }
    }

    static func json(_ s: ModelStatistics, model: String, settings: QuantizationSettings, publicInput: Bool,
                     verifyingKeyBytes: Int?) -> JSONValue {
        .object([
            ("model", .string(model)),
            ("settings", ModelCommandSupport.settingsJSON(settings)),
            ("publicInput", .bool(publicInput)),
            ("privateWeights", .bool(s.privateWeights)),
            ("layers", .array(s.layers.map { l in
                .object([
                    ("name", .string(l.name)), ("op", .string(l.op)), ("shape", .array(l.outputShape.map { .int($0) })),
                    ("realisation", .string(l.realisation)), ("gadget", l.gadget.map { .string($0) } ?? .null),
                    ("lanes", .int(l.lanes)), ("rows", .int(l.rows)), ("adviceCells", .int(l.adviceCells)),
                    ("gateConstraints", .int(l.gateConstraints)), ("lookups", .int(l.lookups)),
                    ("foldEntries", .int(l.foldEntries)),
                ])
            })),
            ("totals", .object([
                ("lanesPerRow", .int(s.lanesPerRow)), ("limbColumns", .int(s.limbColumns)), ("freeColumns", .int(s.freeColumns)),
                ("laneRows", .int(s.laneRows)), ("tableRows", .int(s.tableRows)),
                ("rowsUsed", .int(s.rowsUsed)), ("log2Rows", .int(s.log2Rows)), ("rows", .int(s.rowCount)),
                ("adviceColumns", .int(s.adviceColumns)), ("fixedColumns", .int(s.fixedColumns)),
                ("challengeColumns", .int(s.challengeColumns)), ("instanceColumns", .int(s.instanceColumns)),
                ("lookupArguments", .int(s.lookupArguments)), ("stackedCells", .int(s.stackedCells)),
                ("stackColumns", .int(s.stackColumns)), ("publicInputs", .int(s.publicInputs)),
                ("publicOutputs", .int(s.publicOutputs)), ("equations", .int(s.equations)),
                ("foldEntries", .int(s.foldEntries)), ("structuredEntries", .int(s.structuredEntries)),
                ("parameters", .int(s.parameters)), ("activations", .int(s.activations)),
                ("proofBytes", .int(s.proofBytes)), ("srsLog2Size", .int(s.srsLog2Size)),
                ("verifyingKeyBytes", verifyingKeyBytes.map { .int($0) } ?? .null),
                ("estimatedProvingKeyBytes", .int(s.estimatedProvingKeyBytes)),
                ("estimatedCompilePeakBytes", .int(s.estimatedCompilePeakBytes)),
                ("estimatedSetupPeakBytes", .int(s.estimatedSetupPeakBytes)),
                ("estimatedProverPeakBytes", .int(s.estimatedProverPeakBytes)),
                ("estimatedVerifierPeakBytes", .int(s.estimatedVerifierPeakBytes)),
            ])),
        ])
    }

    static func print(_ s: ModelStatistics, model: String, settings: QuantizationSettings, verifyingKeyBytes: Int?) {
        let pad = ModelCommandSupport.pad
        Console.out("\(model): circuit statistics (\(ModelCommandSupport.describe(settings)))")
        let width = max(5, s.layers.map(\.name.count).max() ?? 0)
        Console.out("  " + pad("layer", width, true) + "  " + pad("op", 30, true) + pad("shape", 16, true)
                    + pad("rows", 8, false) + pad("cells", 10, false) + pad("gates", 10, false) + pad("lookups", 10, false)
                    + pad("fold", 11, false))
        for l in s.layers {
            let op = l.realisation == "lanes" ? l.op : "\(l.op) (\(l.realisation))"
            Console.out("  " + pad(l.name, width, true) + "  " + pad(op, 30, true) + pad(Shape.describe(l.outputShape), 16, true)
                        + pad(String(l.rows), 8, false) + pad(String(l.adviceCells), 10, false)
                        + pad(String(l.gateConstraints), 10, false) + pad(String(l.lookups), 10, false)
                        + pad(String(l.foldEntries), 11, false))
        }
        Console.out("totals:")
        Console.out("  rows: \(s.laneRows) lane rows (\(s.lanesPerRow) lane\(s.lanesPerRow == 1 ? "" : "s") of the widest gadget per row; \(s.limbColumns) limb + \(s.freeColumns) free lane columns), \(s.tableRows)-row range table → 2^\(s.log2Rows) = \(s.rowCount) rows padded (incl. 5 reserved)")
        if s.stackColumns > 0 {
            Console.out("  range checks: \(s.stackedCells) limb cells copied into \(s.stackColumns) stacked column\(s.stackColumns == 1 ? "" : "s") (one lookup each)")
        } else {
            Console.out("  range checks: one lookup per limb column")
        }
        Console.out("  columns: \(s.adviceColumns) advice, \(s.fixedColumns) fixed, \(s.challengeColumns) challenge, \(s.instanceColumns) instance; \(s.lookupArguments) lookup arguments, no copy constraints")
        Console.out("  fold: \(s.equations) equations, \(s.foldEntries) entries in the committed linear relation; public values: \(s.publicInputs) inputs, \(s.publicOutputs) outputs")
        let hidden = s.privateWeights ? " (private weights: \(ModelStatistics.privateWeightsExtraBytes) bytes more than public)" : ""
        let key = verifyingKeyBytes.map { "verifying key \($0) bytes (public weights)" }
            ?? "verifying key not computed (compiling would need more memory than stats allows itself)"
        Console.out("  proof: \(s.proofBytes) bytes\(hidden); \(key); estimated proving key \(CompilerCommandSupport.bytes(s.estimatedProvingKeyBytes))")
        Console.out("  SRS: 2^\(s.srsLog2Size) points\(s.privateWeights ? " (private weights need 2^(k+1))" : "")")
        let b = CompilerCommandSupport.bytes
        Console.out("  peak memory (est.): compile \(b(s.estimatedCompilePeakBytes)), setup \(b(s.estimatedSetupPeakBytes)), prove \(b(s.estimatedProverPeakBytes)), verify \(b(s.estimatedVerifierPeakBytes))")
    }
}
