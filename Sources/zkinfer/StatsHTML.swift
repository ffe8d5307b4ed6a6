import CircuitCompiler
import CommandLineSupport
import ModelGraph
import Quantization

/// `zkinfer stats model.onnx --html report.html`: the statistics as one self-contained page — inline SVG and
/// CSS, no script, no network — for a paper or a lab notebook. Per layer: rows, advice cells and lookups as
/// bars (each scaled to its column's largest value); the circuit totals; and the memory estimate of each
/// step (setup, prove, verify) broken into the terms of the cost model in Sources/CircuitCompiler/README.md.
enum StatsHTML {
    static func render(_ s: ModelStatistics, model: String, settings: QuantizationSettings) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>zkinfer stats — \(escape(model))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
            table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:middle}
            th{border-bottom:1px solid #999}tr:nth-child(even){background:#f6f6f6}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#777}
            svg text{font:11px system-ui,sans-serif}
            </style></head><body>
            <h1>Circuit statistics: \(escape(model))</h1>
            <p class="muted">zkinfer \(ZKInferVersion.string) · settings: \(escape(ModelCommandSupport.describe(settings))) ·
            computed from shapes, weights and settings alone (no input, no keys). Key size and memory are estimates.</p>

            """
        html += totals(s)
        html += layers(s)
        html += memory(s)
        html += "<p class=\"muted\">Rows are lane rows; the circuit also holds the range table. "
            + "Estimates follow the cost model of Sources/CircuitCompiler/README.md.</p>\n</body></html>\n"
        return html
    }

    static func totals(_ s: ModelStatistics) -> String {
        let rows: [(String, String)] = [
            ("rows", "\(s.laneRows) lane rows (\(s.lanesPerRow) lane\(s.lanesPerRow == 1 ? "" : "s") per row), \(s.tableRows)-row table → 2<sup>\(s.log2Rows)</sup> = \(s.rowCount) rows"),
            ("columns", "\(s.adviceColumns) advice, \(s.fixedColumns) fixed, \(s.challengeColumns) challenge, \(s.instanceColumns) instance"),
            ("lookup arguments", "\(s.lookupArguments)" + (s.stackColumns > 0 ? " (\(s.stackedCells) limb cells stacked into \(s.stackColumns) column\(s.stackColumns == 1 ? "" : "s"))" : "")),
            ("advice cells", "\(s.layers.reduce(0) { $0 + $1.adviceCells })"),
            ("lookups", "\(s.layers.reduce(0) { $0 + $1.lookups })"),
            ("fold", "\(s.equations) equations, \(s.foldEntries) entries in the committed linear relation"),
            ("public values", "\(s.publicInputs) inputs, \(s.publicOutputs) outputs"),
            ("proof", "\(s.proofBytes) bytes"),
            ("proving key (est.)", CompilerCommandSupport.bytes(s.estimatedProvingKeyBytes)),
            ("peak memory (est.)", s.memory.map { "\($0.step) \(CompilerCommandSupport.bytes($0.bytes))" }.joined(separator: ", ")),
        ]
        return "<h2>Circuit totals</h2>\n<table>\n" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
    }

    static func layers(_ s: ModelStatistics) -> String {
        let maxRows = max(1, s.layers.map(\.rows).max() ?? 1)
        let maxCells = max(1, s.layers.map(\.adviceCells).max() ?? 1)
        let maxLookups = max(1, s.layers.map(\.lookups).max() ?? 1)
        var out = "<h2>Per layer</h2>\n<table>\n<tr><th>layer</th><th>op</th><th>shape</th><th>rows</th><th>advice cells</th><th>lookups</th><th class=\"n\">gates</th><th class=\"n\">fold entries</th></tr>\n"
        for l in s.layers {
            let op = l.realisation == "lanes" ? l.op : "\(l.op) (\(l.realisation))"
            out += "<tr><td>\(escape(l.name))</td><td>\(escape(op))</td><td>\(escape(Shape.describe(l.outputShape)))</td>"
                + "<td>\(bar(l.rows, of: maxRows, color: "#4878d0"))</td><td>\(bar(l.adviceCells, of: maxCells, color: "#ee854a"))</td>"
                + "<td>\(bar(l.lookups, of: maxLookups, color: "#6acc64"))</td>"
                + "<td class=\"n\">\(l.gateConstraints)</td><td class=\"n\">\(l.foldEntries)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// A 160-pixel bar with the value written after it.
    static func bar(_ value: Int, of maximum: Int, color: String) -> String {
        let width = value == 0 ? 0 : max(1, Int((160.0 * Double(value) / Double(maximum)).rounded()))
        return "<svg width=\"230\" height=\"14\" role=\"img\" aria-label=\"\(value)\"><rect x=\"0\" y=\"2\" width=\"\(width)\" height=\"10\" fill=\"\(color)\"/>"
            + "<text x=\"\(width + 4)\" y=\"11\">\(value)</text></svg>"
    }

    /// The memory estimate of each step, as stacked bars of its terms (one scale for all steps).
    static func memory(_ s: ModelStatistics) -> String {
        // One colour per term name, the same in every step's bar.
        let palette = ["#4878d0", "#ee854a", "#6acc64", "#d65f5f", "#956cb4", "#8c613c"]
        var names: [String] = []
        for step in s.memory { for term in step.terms where term.name != "process" && !names.contains(term.name) { names.append(term.name) } }
        func color(_ name: String) -> String { names.firstIndex(of: name).map { palette[$0 % palette.count] } ?? "#bbbbbb" }
        let steps: [(String, [(String, Int, String)])] = s.memory.map { step in
            (step.step, step.terms.map { ($0.name, $0.bytes, color($0.name)) })
        }
        let columns = s.adviceColumns + s.lookupColumns + s.challengeColumns + s.instanceColumns
        let n = s.rowCount
        let largest = max(1, steps.map { $0.1.reduce(0) { $0 + $1.1 } }.max()!)
        var out = "<h2>Memory estimate per step</h2>\n<p class=\"muted\">Peak resident memory of each step's process "
            + "(the cost model of Sources/CircuitCompiler/README.md); n = \(n) rows, \(columns) committed or interpolated columns.</p>\n<table>\n"
        for (name, terms) in steps {
            let total = terms.reduce(0) { $0 + $1.1 }
            var x = 0.0
            var svg = "<svg width=\"620\" height=\"22\" role=\"img\" aria-label=\"\(escape(name)): \(total) bytes\">"
            for (label, bytes, color) in terms {
                let w = 600.0 * Double(bytes) / Double(largest)
                svg += "<rect x=\"\(Int(x.rounded()))\" y=\"3\" width=\"\(max(bytes > 0 ? 1 : 0, Int(w.rounded())))\" height=\"16\" fill=\"\(color)\"><title>\(escape(label)): \(CompilerCommandSupport.bytes(bytes))</title></rect>"
                x += w
            }
            svg += "</svg>"
            let legend = terms.map { "<span style=\"color:\($0.2)\">■</span> \(escape($0.0)) \(CompilerCommandSupport.bytes($0.1))" }.joined(separator: " · ")
            out += "<tr><th>\(escape(name))</th><td class=\"n\">\(CompilerCommandSupport.bytes(total))</td><td>\(svg)<br><span class=\"muted\">\(legend)</span></td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
