#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FieldArithmetic

/// The quotient round's coset evaluations of the key's own polynomials — the fixed columns the constraints
/// read, σ_i, and the three row selectors (l_0, l_last, l_active) — which no witness changes. A key file of at
/// most 64 MiB of them carries them (`KeyCache.preset`); otherwise they are computed by the first proof with a
/// key and reused by every later one (`zkinfer prove-batch` proves many inputs with one loaded key; for
/// nanoGPT-sized circuits they are ~15 % of the round's NTTs).
enum KeyExtensions {
    struct Columns {
        let log2Size: Int
        /// By fixed column index: the fixed columns the quotient reads.
        let fixed: [Int: [Fr]]
        let sigma: [[Fr]]
        let selectors: [[Fr]]

        /// From the columns in file order (`flat`): the fixed ones at `fixedIndices`, then σ, then the selectors.
        init(log2Size: Int, fixedIndices: [Int], sigmaCount: Int, flat: [[Fr]]) {
            self.log2Size = log2Size
            fixed = Dictionary(uniqueKeysWithValues: zip(fixedIndices, flat))
            sigma = Array(flat[fixedIndices.count..<(fixedIndices.count + sigmaCount)])
            selectors = Array(flat[(fixedIndices.count + sigmaCount)...])
        }

        /// The columns in file order, the fixed ones at `fixedIndices`.
        func flat(fixedIndices: [Int]) -> [[Fr]] { fixedIndices.map { fixed[$0]! } + sigma + selectors }
    }
}

/// A value a proving key derives from its own contents (the coset columns, the window tables): read from the
/// key file (`preset`) or computed on first use and shared by every copy of the key, so that a key built only
/// for its verifying key (`zkinfer verify-key`) never computes it. A pthread mutex (no Foundation in the
/// prover) makes concurrent workers wait for one computation instead of racing.
final class KeyCache<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var stored: Value?

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Stores the value read from a proving key file (before any proof uses this key).
    func preset(_ value: Value) {
        pthread_mutex_lock(mutex)
        stored = value
        pthread_mutex_unlock(mutex)
    }

    /// The stored value, computing it once.
    func value(compute: () throws -> Value) rethrows -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let stored { return stored }
        let computed = try compute()
        stored = computed
        return computed
    }
}
