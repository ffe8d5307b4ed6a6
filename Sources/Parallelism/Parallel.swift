import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// How many threads the kernels (NTT, MSM, commitments) split their work over, and the one helper they
/// split it with. Every kernel gives the same result for any thread count; the count only changes speed.
public enum Parallel {
    /// Defaults to the number of active cores, or `ZKINFER_THREADS` when that is set to a positive integer.
    /// Benchmarks and tests set it to compare or to cover the 1-thread path.
    nonisolated(unsafe) public static var threadCount: Int = defaultThreadCount()

    static func defaultThreadCount() -> Int {
        if let text = getenv("ZKINFER_THREADS").map({ String(cString: $0) }), let n = Int(text), n > 0 {
            return n
        }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The threads a kernel called here may use: `threadCount`, or 1 inside a task of `forEach` (nested
    /// parallelism runs inline). Kernels size their plans by this, so an MSM run as one of several
    /// concurrent tasks is planned for one thread.
    @inlinable
    public static var availableThreads: Int { isInsideTask ? 1 : max(1, threadCount) }

    /// Whether the calling thread is running a task of `forEach` with more than one worker.
    public static var isInsideTask: Bool { pthread_getspecific(insideTaskKey) != nil }

    /// Marks (non-nil) or clears (nil) the calling thread as inside a task.
    @usableFromInline
    static func setInsideTask(_ inside: Bool) {
        pthread_setspecific(insideTaskKey, inside ? UnsafeRawPointer(bitPattern: 1) : nil)
    }

    nonisolated(unsafe) static let insideTaskKey: pthread_key_t = {
        var key = pthread_key_t()
        // Not inside precondition(): this target is built -Ounchecked, which drops the condition's evaluation.
        let status = pthread_key_create(&key, nil)
        if status != 0 { fatalError("pthread_key_create failed (\(status))") }
        return key
    }()

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
    /// one task, or when called from inside another `forEach` task) it runs inline, so the serial path is
    /// the plain loop.
    ///
    /// Why nested calls run inline: every parallel call waits for all its workers to be scheduled, which on
    /// a loaded machine costs a scheduler time slice each time. A prover that runs its dozens of small
    /// kernels (2^9-point MSMs and NTTs) as coarse concurrent tasks, each on one thread, pays that wait once
    /// per round instead of once per kernel stage.
    @inlinable
    public static func forEach(tasks: Int, _ body: (Int) -> Void) {
        if tasks <= 0 { return }
        if threadCount <= 1 || tasks == 1 || isInsideTask {
            for task in 0..<tasks { body(task) }
            return
        }
        // concurrentPerform uses its own pool sized to the cores; limit concurrency to threadCount workers
        // that claim tasks one at a time, so a worker slowed down by other processes takes fewer of them.
        let workers = min(threadCount, tasks)
        let counter = TaskCounter()
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let wasInside = isInsideTask
                setInsideTask(true)
                defer { setInsideTask(wasInside) }
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
        let wanted = max(1, availableThreads * oversubscription)
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
/// costs nothing measurable; it keeps the package free of availability-gated atomics. A pthread mutex
/// rather than NSLock, so that this kernel target does not need all of Foundation (start-up time).
@usableFromInline
final class TaskCounter: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var next = 0

    @usableFromInline init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable
    func claim() -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let task = next
        next += 1
        return task
    }
}
