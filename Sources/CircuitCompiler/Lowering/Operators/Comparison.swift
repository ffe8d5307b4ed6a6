import ModelGraph
import Quantization

/// Comparisons, logic, rounding, sign, ArgMax and ArgMin have no circuit gadget yet: `zkinfer compile` refuses them
/// with this hint (the direct path runs them).
extension ComparisonOp: CircuitLowering {
    var circuitHint: String { "it runs in `zkinfer run` (and --float); proving it is not supported yet" }
}
