import SystemSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex (no Foundation in the tools).
public final class Mutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Exactly `count` threads running `body(worker)`, joined before returning. Dispatch's concurrentPerform
/// would cap the concurrency at the number of cores; `--jobs N` means N.
public enum WorkerThreads {
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        if count <= 1 {
            body(0)
            return
        }
        var threads: [pthread_t] = []
        for worker in 0..<count {
            let job = Unmanaged.passRetained(Job { body(worker) }).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { argument in
                let job = Unmanaged<Job>.fromOpaque(argument!).takeRetainedValue()
                job.body()
                return nil
            }, job)
            if status != 0 {
                // No more threads: run this worker's share on the calling thread after the others start.
                Unmanaged<Job>.fromOpaque(job).release()
                body(worker)
                continue
            }
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}

/// CPUs this process may run on (its affinity mask: what Slurm, taskset or a container grants), at least 1.
/// Read from /proc/self/status ("Cpus_allowed:", a hex mask): Glibc's sched_getaffinity is not visible to
/// Swift without _GNU_SOURCE.
public func availableCPUs() -> Int {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let bytes = try? FileSystem.read("/proc/self/status", limit: 1 << 20) else { return online }
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && $0 != " " && $0 != "\t" }
        var count = 0
        for digit in mask {
            guard let value = Int(String(digit), radix: 16) else { return online }
            count += value.nonzeroBitCount
        }
        return count > 0 ? min(count, online) : online
    }
    return online
}
