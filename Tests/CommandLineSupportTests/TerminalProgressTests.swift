import CommandLineSupport
import SystemSupport
import Testing

/// The progress line of long steps (issue 15, item 6): part k of n, elapsed, ETA.
struct TerminalProgressTests {
    @Test func lineShowsPartElapsedAndETA() {
        // 2 of 4 parts done in 2 s: the remaining 2 are estimated at the same pace.
        #expect(TerminalProgress.line(step: "prove", part: 2, parts: 4, detail: "quotient", elapsed: 2.0)
            == "… prove: quotient 3/4 · 2.0 s · ETA 2.0 s")
        // No ETA before the first part is done, and no empty detail.
        #expect(TerminalProgress.line(step: "setup", part: 0, parts: 4, detail: "", elapsed: 0.25) == "… setup: 1/4 · 250 ms")
    }

    @Test func nothingListensUnlessEnabled() {
        #expect(TerminalProgress.install(enabled: false) == nil)
        #expect(StepProgress.sink == nil)
    }
}
