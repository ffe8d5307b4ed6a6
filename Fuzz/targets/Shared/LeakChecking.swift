// LeakSanitizer's interface (the targets link ASan, which provides it).
@_silgen_name("__lsan_disable") func lsanDisable()
@_silgen_name("__lsan_enable") func lsanEnable()

/// Runs `body` with leak checking off for what it allocates: a fixture loaded once before fuzzing lives
/// until exit, but Swift keeps some references as enum payloads with tag bits in a pointer's spare bits,
/// which LeakSanitizer cannot follow, so libFuzzer's leak check would report the fixture as leaked.
func withoutLeakChecking(_ body: () -> Void) {
    lsanDisable()
    defer { lsanEnable() }
    body()
}
