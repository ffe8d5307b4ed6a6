import Testing
import DirectInference
import ModelGraph

/// Input files cost what they hold, bounded by the model's shapes (docs/proof-format.md, "Decoder bounds").
struct HostileInputFileTests {
    /// A million values for a 3-element input: flattening stops after the fourth and says so, and the
    /// shape itself is never reserved (a model may declare 2^31 elements in a few bytes).
    @Test func extraValuesAreNotFlattened() throws {
        let graph = try singleNodeGraph(.relu, inputs: [[1, 3]])
        let text = #"{"input_data": [["# + Array(repeating: "0", count: 1_000_000).joined(separator: ",") + "]]}"
        do {
            _ = try InputFile.parse(Array(text.utf8), graph: graph)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("has more than 3 values; input 'x0' needs 3"))
        }
        // 2^25 elements: within the graph budget (2^27 activations), far more than the file holds.
        let huge = try singleNodeGraph(.relu, inputs: [[1, 1 << 25]])
        #expect(throws: InferenceError.self) { try InputFile.parse(Array(#"{"input_data": [[1, 2]]}"#.utf8), graph: huge) }
    }
}
