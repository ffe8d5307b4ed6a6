import Dispatch
import Foundation

/// How many threads the kernels (NTT, MSM, commitments) split their work over, and the one helper they
/// split it with. Every kernel gives the same result for any thread count; the count only changes speed.
public enum Parallel {
    /// Defaults to the number of active cores, or `ZKINFER_THREADS` when that is set to a positive integer.
    /// Benchmarks and tests set it to compare or to cover the 1-thread path.
    nonisolated(unsafe) public static var threadCount: Int = defaultThreadCount()

    static func defaultThreadCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["ZKINFER_THREADS"], let n = Int(text), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `body` with `threadCount` set to `count`, restoring the previous value afterwards.
    /// For tests and benchmarks; not meant to be called concurrently.
    public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        precondition(count > 0, "thread count must be positive")
        let saved = threadCount
        threadCount = count
        defer { threadCount = saved }
        return try body()
    }

    /// Calls `body(task)` for every task in `0..<tasks`, on up to `threadCount` threads. With one thread (or
    /// one task) it runs inline, so the serial path is the plain loop.
    @inlinable
    public static func forEach(tasks: Int, _ body: (Int) -> Void) {
        if tasks <= 0 { return }
        if threadCount <= 1 || tasks == 1 {
            for task in 0..<tasks { body(task) }
            return
        }
        // concurrentPerform uses its own pool sized to the cores; limit concurrency to threadCount workers
        // that claim tasks one at a time, so a worker slowed down by other processes takes fewer of them.
        let workers = min(threadCount, tasks)
        let counter = TaskCounter()
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let task = counter.claim()
                    if task >= tasks { return }
                    body(task)
                }
            }
        }
    }

    /// Splits `0..<count` into contiguous ranges, about `threadCount × oversubscription` of them (each at
    /// least `minimumChunk` long), and calls `body` on each.
    @inlinable
    public static func forEachChunk(
        of count: Int, minimumChunk: Int = 1024, oversubscription: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        if count <= 0 { return }
        let wanted = max(1, threadCount * oversubscription)
        let chunks = max(1, min(wanted, count / max(1, minimumChunk)))
        let size = (count + chunks - 1) / chunks
        forEach(tasks: chunks) { chunk in
            let start = chunk * size
            let end = min(count, start + size)
            if start < end { body(start..<end) }
        }
    }
}

/// The next unclaimed task index. Tasks are coarse (a block of an NTT stage, a window of an MSM), so a lock
/// costs nothing measurable; it keeps the package free of availability-gated atomics.
@usableFromInline
final class TaskCounter: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var next = 0

    @usableFromInline init() {}

    @inlinable
    func claim() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let task = next
        next += 1
        return task
    }
}
