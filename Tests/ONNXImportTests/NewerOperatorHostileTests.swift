import Testing
import ModelGraph
@testable import ONNXImport

/// Hostile attributes and constant inputs of the newer exporters' operators (issue 16): each is a malformed node
/// (`invalidNode`, exit 2 with the node named), found before any map or table is allocated; never a trap.
struct NewerOperatorHostileTests {
    static func model(_ op: String, dims: [Int64] = [1, 4], _ build: (inout OnnxBuilder) -> Void,
                      _ attributes: [(String, AttributeValue)] = [], inputs: [String] = ["x"]) -> [UInt8] {
        var m = OnnxBuilder()
        m.input("x", dims)
        build(&m)
        m.node(op, inputs, ["y"], attributes)
        m.outputs = ["y"]
        return m.bytes
    }

    static func expectMalformed(_ bytes: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try ONNXImporter.importModel(bytes: bytes)
            Issue.record("\(what) was accepted", sourceLocation: sourceLocation)
        } catch ONNXImportError.invalidNode {
        } catch {
            Issue.record("\(what): \(error), expected a malformed node", sourceLocation: sourceLocation)
        }
    }

    @Test func hugeTileRepeatsAreRefusedBeforeAllocating() {
        for repeats in [[1 << 40, 1 << 40], [1 << 20, 1 << 20], [1, -2], [2]] as [[Int64]] {
            Self.expectMalformed(Self.model("Tile", { $0.ints("r", [Int64(repeats.count)], repeats) }, inputs: ["x", "r"]), "Tile \(repeats)")
        }
    }

    @Test func outOfRangeIndicesAreRefused() {
        Self.expectMalformed(Self.model("GatherElements", { $0.ints("i", [1, 2], [0, 9]) }, [("axis", .int(1))], inputs: ["x", "i"]), "GatherElements index 9")
        Self.expectMalformed(Self.model("GatherND", { $0.ints("i", [1, 2], [0, 1 << 40]) }, inputs: ["x", "i"]), "GatherND index 2^40")
        Self.expectMalformed(Self.model("ScatterND", { $0.ints("i", [1, 1], [5]); $0.floats("u", [1, 4], [1, 1, 1, 1]) }, inputs: ["x", "i", "u"]), "ScatterND row 5")
        Self.expectMalformed(Self.model("ScatterND", { $0.ints("i", [1, 1], [-2]); $0.floats("u", [1, 4], [1, 1, 1, 1]) }, [("reduction", .string("max"))],
                                        inputs: ["x", "i", "u"]), "ScatterND max row −2")
    }

    @Test func gatherNDWithBadShapesIsRefused() {
        Self.expectMalformed(Self.model("GatherND", { $0.ints("i", [1, 3], [0, 0, 0]) }, inputs: ["x", "i"]), "a 3-tuple into rank 2")
        Self.expectMalformed(Self.model("GatherND", { $0.ints("i", [1, 1], [0]) }, [("batch_dims", .int(1 << 40))], inputs: ["x", "i"]), "batch_dims 2^40")
        Self.expectMalformed(Self.model("GatherND", { $0.ints("i", [], [0]) }, inputs: ["x", "i"]), "scalar indices")
        Self.expectMalformed(Self.model("ScatterND", { $0.ints("i", [1, 1], [0]); $0.floats("u", [1, 3], [1, 1, 1]) }, inputs: ["x", "i", "u"]), "updates of the wrong shape")
    }

    @Test func axesOutOfRangeAreRefused() {
        Self.expectMalformed(Self.model("CumSum", { $0.ints("a", [], [7]) }, inputs: ["x", "a"]), "CumSum axis 7")
        Self.expectMalformed(Self.model("CumSum", { $0.ints("a", [2], [0, 1]) }, inputs: ["x", "a"]), "CumSum of two axes")
        Self.expectMalformed(Self.model("ArgMax", { _ in }, [("axis", .int(1 << 40))]), "ArgMax axis 2^40")
        Self.expectMalformed(Self.model("Hardmax", { _ in }, [("axis", .int(-9))]), "Hardmax axis −9")
        Self.expectMalformed(Self.model("ReduceL2", { _ in }, [("axes", .ints([1 << 40]))]), "ReduceL2 axis 2^40")
        Self.expectMalformed(Self.model("ReduceProd", { _ in }, [("axes", .ints([1, 1]))]), "ReduceProd repeated axes")
    }

    @Test func badSizesAreRefused() {
        Self.expectMalformed(Self.model("OneHot", { $0.ints("d", [], [1 << 40]); $0.floats("v", [2], [0, 1]) }, inputs: ["x", "d", "v"]), "OneHot depth 2^40")
        Self.expectMalformed(Self.model("OneHot", { $0.ints("d", [], [3]); $0.floats("v", [3], [0, 1, 2]) }, inputs: ["x", "d", "v"]), "OneHot with three values")
        Self.expectMalformed(Self.model("DepthToSpace", dims: [1, 4, 2, 2], { _ in }, [("blocksize", .int(1 << 40))]), "blocksize 2^40")
        Self.expectMalformed(Self.model("SpaceToDepth", dims: [1, 1, 4, 4], { _ in }, [("blocksize", .int(3))]), "blocksize 3 of 4×4")
        Self.expectMalformed(Self.model("GroupNormalization", dims: [1, 2, 2, 2], { $0.floats("s", [2], [1, 1]); $0.floats("b", [2], [0, 0]) },
                                        [("num_groups", .int(0))], inputs: ["x", "s", "b"]), "zero groups")
        Self.expectMalformed(Self.model("Trilu", dims: [4], { _ in }), "Trilu of a vector")
    }
}
