import Testing
import DirectInference
import ModelGraph
import Quantization

struct InputFileTests {
    let graph: ModelGraph

    init() throws {
        graph = try singleNodeGraph(.relu, inputs: [[1, 3]])
    }

    func parse(_ text: String) throws -> [ModelInput] { try InputFile.parse(Array(text.utf8), graph: graph) }

    func message(_ text: String) -> String {
        do { _ = try parse(text); return "parsed" } catch { return "\(error)" }
    }

    @Test func acceptedForms() throws {
        #expect(try parse(#"{"input_data": [[0.5, -1, 2e-1]]}"#)[0].tensors == [[.float(0.5), .float(-1), .float(0.2)]])
        #expect(try parse(#"{"x0": [[0.5], [1], [2]]}"#)[0].tensors[0].count == 3)
        let fixed = try parse(#"{"x0": [{"value": 15625, "decimals": 5}, 1, 2]}"#)[0]
        #expect(fixed.tensors[0][0] == .decimal(value: 15625, decimals: 5))
        #expect(try fixed.quantized(for: graph, settings: QuantizationSettings(activationScale: 4))[0][0] == 3)
        #expect(try parse(#"[{"x0": [1, 2, 3]}, {"input_data": [[4, 5, 6]]}]"#).count == 2)
        #expect(try parse(#"{"input_data": [[1, 2, 3], [4, 5, 6]]}"#).count == 2)
    }

    @Test func batchInputsInBothForms() throws {
        // A batch-2 input [2, 3]: one array of all six values, one array per row (EZKL), nested rows (named).
        let batch = try singleNodeGraph(.relu, inputs: [[2, 3]])
        func values(_ text: String) throws -> [[InputValue]] { try InputFile.parse(Array(text.utf8), graph: batch).map { $0.tensors[0] } }
        let expected: [InputValue] = [1, 2, 3, 4, 5, 6].map { .float($0) }
        #expect(try values(#"{"input_data": [[1, 2, 3, 4, 5, 6]]}"#) == [expected])
        #expect(try values(#"{"input_data": [[1, 2, 3], [4, 5, 6]]}"#) == [expected])
        #expect(try values(#"{"x0": [[1, 2, 3], [4, 5, 6]]}"#) == [expected])
        // Two samples of the batch-2 input, rows given one by one.
        #expect(try values(#"{"input_data": [[1, 2, 3], [4, 5, 6], [1, 2, 3], [4, 5, 6]]}"#) == [expected, expected])
        let text = #"{"input_data": [[1, 2, 3], [4, 5]]}"#
        do { _ = try InputFile.parse(Array(text.utf8), graph: batch); Issue.record("5 values accepted") } catch {
            #expect("\(error)".contains("has 5 values; input 'x0' needs 6 (shape [2, 3])"))
        }
    }

    @Test func clearErrors() {
        #expect(message(#"{"input_data": [[1, 2]]}"#).contains("has 2 values; input 'x0' needs 3 (shape [1, 3])"))
        #expect(message(#"{"input_data": [[1, "a", 3]]}"#).contains("input_data[0][1]: expected a number, got a string"))
        #expect(message(#"{"input_data": [[1, null, 3]]}"#).contains("got null"))
        #expect(message(#"{"input_data": [[1, true, 3]]}"#).contains("got a boolean"))
        #expect(message(#"{"input_data": [[1, 1e999, 3]]}"#).contains("not a finite number"))
        #expect(message(#"{"y": [1, 2, 3]}"#).contains("unknown input 'y'"))
        #expect(message(#"{"input_data": [[1, 2, 3]]"#).contains("JSON"))
        #expect(message(#"{"x0": [{"value": 1.5, "decimals": 2}, 1, 2]}"#).contains("integer \"value\""))
        #expect(message(String(repeating: "[", count: 100)).contains("nested deeper"))
        #expect(message("") .contains("JSON"))
    }

    @Test func outOfRangeInputIsAnError() throws {
        let sample = try parse(#"{"input_data": [[1e6, 0, 0]]}"#)[0]
        do {
            _ = try sample.quantized(for: graph, settings: .default)
            Issue.record("1e6 at s = 16 needs 2^36 > 2^31")
        } catch let error as QuantizationError {
            #expect(error.description.contains("value out of range at layer input 'x0'"))
        }
    }
}
