import Testing
import ModelGraph
@testable import ONNXImport

/// Models whose few bytes ask constant folding for gigabytes, or for arithmetic that traps (issue 14,
/// finding 5; docs/proof-format.md, "Decoder bounds"): each is refused with an error, before allocating.
struct HostileModelTests {
    /// A graph `x → Relu → y` preceded by constant-only nodes; the last folded constant is added to `y`
    /// so the import must fold all of them.
    static func model(_ constants: [(op: String, inputs: [String], output: String, attributes: (inout ProtoWriter) -> Void)]) -> [UInt8] {
        var model = ProtoWriter()
        model.int(1, 8)
        model.message(8) { $0.string(1, ""); $0.int(2, 13) }
        model.message(7) { graph in
            for c in constants {
                graph.message(1) { node in
                    for i in c.inputs { node.string(1, i) }
                    node.string(2, c.output); node.string(3, c.output); node.string(4, c.op)
                    c.attributes(&node)
                }
            }
            graph.message(1) { $0.string(1, "x"); $0.string(2, "r"); $0.string(3, "relu"); $0.string(4, "Relu") }
            graph.message(1) { n in
                n.string(1, "r"); n.string(1, constants.last!.output); n.string(2, "y"); n.string(3, "add"); n.string(4, "Add")
            }
            graph.message(11) { info in
                info.string(1, "x")
                info.message(2) { $0.message(1) { t in t.int(1, 1); t.message(2) { s in s.message(1) { $0.int(1, 1) }; s.message(1) { $0.int(1, 4) } } } }
            }
            graph.message(12) { $0.string(1, "y") }
        }
        return model.bytes
    }

    /// `Constant` holding an int64 vector.
    static func ints(_ output: String, _ values: [Int64]) -> (op: String, inputs: [String], output: String, attributes: (inout ProtoWriter) -> Void) {
        ("Constant", [], output, { node in
            node.message(5) { a in
                a.string(1, "value"); a.int(20, 4)
                a.message(5) { t in t.int(1, Int64(values.count)); t.int(2, 7); for v in values { t.int(7, v) } }
            }
        })
    }

    static func floatConstant(_ output: String, _ value: Float) -> (op: String, inputs: [String], output: String, attributes: (inout ProtoWriter) -> Void) {
        ("Constant", [], output, { node in
            node.message(5) { a in
                a.string(1, "value_float"); a.int(20, 1)
                a.key(2, 5); withUnsafeBytes(of: value.bitPattern.littleEndian) { a.bytes += $0 }
            }
        })
    }

    static func op(_ op: String, _ inputs: [String], _ output: String) -> (op: String, inputs: [String], output: String, attributes: (inout ProtoWriter) -> Void) {
        (op, inputs, output, { _ in })
    }

    func message(_ bytes: [UInt8]) -> String {
        do { _ = try ONNXImporter.importModel(bytes: bytes); return "imported" } catch { return "\(error)" }
    }

    /// ConstantOfShape([2^31]): 16 GiB of doubles from ~60 bytes. Refused by the folding budget.
    @Test func constantOfShapeBeyondTheBudgetIsRefused() {
        let bytes = Self.model([Self.ints("shape", [1 << 31]), Self.op("ConstantOfShape", ["shape"], "big")])
        #expect(bytes.count < 200)
        #expect(message(bytes).contains("folding this node would create 2147483648 constant elements"))
    }

    /// Each fold below the budget, but repeated: 2^21 elements, then Neg after Neg. The budget is charged
    /// per import, so the third copy is refused (without it, every ~20 bytes of file copied 16 MiB).
    @Test func repeatedFoldsShareOneBudget() {
        var nodes = [Self.ints("shape", [1 << 21]), Self.op("ConstantOfShape", ["shape"], "c0")]
        for i in 1...3 { nodes.append(Self.op("Neg", ["c\(i - 1)"], "c\(i)")) }
        #expect(message(Self.model(nodes)).contains("folding this node would create 2097152 constant elements"))
        // Two copies fit: the failure is the shape mismatch of the final Add, not the budget.
        let fits = [Self.ints("shape", [1 << 21]), Self.op("ConstantOfShape", ["shape"], "c0"), Self.op("Neg", ["c0"], "c1")]
        #expect(!message(Self.model(fits)).contains("would create"))
    }

    /// Range from −1e38 to 1e38 step 1e-38: 2e76 elements, far beyond Int64, which Int() trapped on (and
    /// on −2e76 for the backwards range, before clamping at 0).
    @Test func rangeOfInfiniteLengthIsAnErrorNotATrap() {
        let nodes = [Self.floatConstant("s", -1e38), Self.floatConstant("l", 1e38), Self.floatConstant("d", 1e-38),
                     Self.op("Range", ["s", "l", "d"], "r")]
        #expect(message(Self.model(nodes)).contains("too large to fold"))
        let backwards = [Self.floatConstant("s", 1e38), Self.floatConstant("l", -1e38), Self.floatConstant("d", 1e-38),
                         Self.op("Range", ["s", "l", "d"], "r")]
        #expect(message(Self.model(backwards)) != "imported")  // an empty range: the Add's shapes disagree
    }

    /// An empty shape whose other dimensions multiply past Int64 ([0, 2^31, 2^31, 2^31]) is refused when it
    /// is made, so Flatten never multiplies them.
    @Test func emptyShapesWithHugeDimensionsAreRefused() {
        #expect(throws: ModelGraphError.self) { try Shape.elementCount([0, 1 << 31, 1 << 31, 1 << 31]) }
        #expect((try? Shape.elementCount([0, 1 << 31])) == 0)
        let nodes = [Self.ints("shape", [0, 1 << 31, 1 << 31, 1 << 31]), Self.op("ConstantOfShape", ["shape"], "e"),
                     Self.op("Flatten", ["e"], "f")]
        #expect(message(Self.model(nodes)).contains("more than 2^31 elements"))
    }
}

/// Split's sizes are untrusted numbers (found by the conformance harness's seeded mutations): a num_outputs of
/// 2^62 made the importer size an array by it; listed sizes are summed with overflow checks.
struct HostileSplitTests {
    func message(_ configure: (inout OnnxBuilder) -> Void) -> String {
        var m = OnnxBuilder()
        m.input("x", [6])
        configure(&m)
        m.outputs = ["a", "b", "c"]
        do { _ = try ONNXImporter.importModel(bytes: m.bytes); return "imported" } catch { return "\(error)" }
    }

    @Test func numOutputsMustBeTheOutputCount() {
        #expect(message { m in
            m.opset = 18
            m.node("Split", ["x"], ["a", "b", "c"], [("axis", .int(0)), ("num_outputs", .int(1 << 62))])
        }.contains("differs from the node's 3 outputs"))
        #expect(message { m in
            m.opset = 18
            m.node("Split", ["x"], ["a", "b", "c"], [("axis", .int(0)), ("num_outputs", .int(3))])
        } == "imported")
    }

    @Test func hugeListedSizesAreAnError() {
        // Beyond what an integer list may hold: refused when read.
        #expect(message { m in
            m.ints("split", [3], [1 << 62, 1 << 62, 1 << 62])
            m.node("Split", ["x", "split"], ["a", "b", "c"], [("axis", .int(0))])
        }.contains("split must be integers"))
        // Within it, but not covering the axis: refused by the (overflow-checked) sum.
        #expect(message { m in
            m.ints("split", [3], [1 << 40, 1 << 40, 2])
            m.node("Split", ["x", "split"], ["a", "b", "c"], [("axis", .int(0))])
        }.contains("do not cover axis 0"))
    }
}
