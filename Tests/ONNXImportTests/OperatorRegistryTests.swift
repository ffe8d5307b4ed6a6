import Testing
@testable import ONNXImport

/// The list of supported operators (what `zkinfer check` prints and the conformance harness reads) is the
/// families' translation tables, no more and no less.
struct OperatorRegistryTests {
    @Test func supportedListMatchesTheFamiliesTables() {
        #expect(Set(OperatorRegistry.converters.keys) == SupportedOperators.computed)
    }

    @Test func noSupportedOperatorIsAlsoGivenARewriteSuggestionForBeingUnsupported() {
        // `suggestion(for:)` is for operators `check` refuses; a supported operator may keep one only as advice
        // for its refused forms (attributes), never the "replace the activation" kind.
        for op in SupportedOperators.computed {
            if let text = SupportedOperators.suggestion(for: op) {
                #expect(!text.hasPrefix("replace the activation"), "\(op): \(text)")
            }
        }
    }
}
