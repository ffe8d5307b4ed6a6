/// Progress of a long step (compile, setup, prove), reported from inside the libraries as "part k of n" and
/// drawn by the tools when stderr is a terminal (issue 15: layer k of n, elapsed, ETA). Nobody listens by
/// default, so a report costs one load and a branch; the libraries never print anything themselves.
public enum StepProgress {
    /// `step` names the step ("prove"), `part` (0-based) the part now starting of `parts`, `detail` names it
    /// ("layer conv1"); `part == parts` means the step is done.
    public typealias Sink = @Sendable (_ step: String, _ part: Int, _ parts: Int, _ detail: String) -> Void

    /// Set by a tool before the work starts and cleared after it, never while reports may run.
    nonisolated(unsafe) public static var sink: Sink?

    @inlinable
    public static func report(_ step: String, _ part: Int, of parts: Int, _ detail: @autoclosure () -> String = "") {
        if let sink { sink(step, part, parts, detail()) }
    }

    /// Reports `parts` as done (the drawing clears its line).
    @inlinable
    public static func done(_ step: String, parts: Int) {
        if let sink { sink(step, parts, parts, "") }
    }
}
