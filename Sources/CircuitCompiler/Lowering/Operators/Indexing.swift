import ModelGraph

/// Embedding lookups and Cast have no circuit form yet (an embedding needs a lookup against its table): refused.
extension IndexingOp: CircuitLowering {
    var circuitHint: String {
        switch self {
        case .embedding: return "an embedding lookup (Gather of a table by token ids) runs in `zkinfer run`; proving it needs a lookup against the table, not supported yet"
        case .cast: return "it runs in `zkinfer run` (and --float); proving it is not supported yet"
        }
    }
}
