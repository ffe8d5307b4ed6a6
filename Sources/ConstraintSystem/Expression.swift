import FieldArithmetic

/// A polynomial expression over cells (at the current or next row), challenges and constants: the body of
/// a gate constraint or a lookup input. Built with ordinary operators:
///
///     q.cur * (a.cur * b.cur - c.cur)      a.next - a.cur - 1      rho.expression * x.cur
///
/// The same tree is evaluated by the checker on rows, by the prover on evaluation vectors and by the
/// verifier on opened values at ζ (`evaluate(constant:query:challenge:…)`).
public indirect enum Expression: Hashable, Sendable {
    case constant(Fr)
    case query(Query)
    case challenge(Challenge)
    case sum(Expression, Expression)
    case product(Expression, Expression)
    case negated(Expression)
    case scaled(Expression, Fr)
    /// The linear claim Ω of the circuit's committed linear relation (docs/protocol.md §19.6): a scalar the
    /// verifier computes from ρ, s, the relation's terms and the opened weights. Degree 0, like a challenge.
    case linearClaim

    /// Degree as a polynomial in the column polynomials: each query counts 1 (every column, including
    /// instance and challenge columns, is interpolated to a polynomial of degree < n), challenges and
    /// constants 0. The quotient's size follows from it (docs/protocol.md §7).
    public var degree: Int {
        switch self {
        case .constant, .challenge, .linearClaim: return 0
        case .query: return 1
        case .sum(let a, let b): return max(a.degree, b.degree)
        case .product(let a, let b): return a.degree + b.degree
        case .negated(let a), .scaled(let a, _): return a.degree
        }
    }

    /// Folds the tree bottom-up. `T` is a field element for the checker and verifier, an evaluation vector
    /// for the prover.
    public func evaluate<T>(
        constant: (Fr) -> T, query: (Query) -> T, challenge: (Challenge) -> T, linearClaim: () -> T,
        sum: (T, T) -> T, product: (T, T) -> T, negated: (T) -> T, scaled: (T, Fr) -> T
    ) -> T {
        func walk(_ e: Expression) -> T {
            switch e {
            case .constant(let c): return constant(c)
            case .query(let q): return query(q)
            case .challenge(let c): return challenge(c)
            case .linearClaim: return linearClaim()
            case .sum(let a, let b): return sum(walk(a), walk(b))
            case .product(let a, let b): return product(walk(a), walk(b))
            case .negated(let a): return negated(walk(a))
            case .scaled(let a, let c): return scaled(walk(a), c)
            }
        }
        return walk(self)
    }

    /// The same for expressions without the linear claim (`usesLinearClaim == false`): reaching the claim
    /// node is a programming error of the caller, which must use the form with `linearClaim`.
    public func evaluate<T>(
        constant: (Fr) -> T, query: (Query) -> T, challenge: (Challenge) -> T,
        sum: (T, T) -> T, product: (T, T) -> T, negated: (T) -> T, scaled: (T, Fr) -> T
    ) -> T {
        evaluate(
            constant: constant, query: query, challenge: challenge,
            linearClaim: { preconditionFailure("an expression with the linear claim Ω needs its value") },
            sum: sum, product: product, negated: negated, scaled: scaled)
    }

    /// The value of the expression given the value of every query and challenge, and of the linear claim Ω.
    public func evaluate(query: (Query) -> Fr, challenge: (Challenge) -> Fr, linearClaim: Fr) -> Fr {
        evaluate(
            constant: { $0 }, query: query, challenge: challenge, linearClaim: { linearClaim },
            sum: { $0 + $1 }, product: { $0 * $1 }, negated: { -$0 }, scaled: { $0 * $1 })
    }

    /// The value of an expression without the linear claim (see the generic form above).
    public func evaluate(query: (Query) -> Fr, challenge: (Challenge) -> Fr) -> Fr {
        evaluate(
            constant: { $0 }, query: query, challenge: challenge,
            sum: { $0 + $1 }, product: { $0 * $1 }, negated: { -$0 }, scaled: { $0 * $1 })
    }

    /// Whether the linear claim Ω occurs in the expression.
    public var usesLinearClaim: Bool {
        switch self {
        case .linearClaim: return true
        case .constant, .query, .challenge: return false
        case .sum(let a, let b), .product(let a, let b): return a.usesLinearClaim || b.usesLinearClaim
        case .negated(let a), .scaled(let a, _): return a.usesLinearClaim
        }
    }

    /// Every query in the expression, sorted and without repetition.
    public var queries: [Query] {
        var queries = Set<Query>()
        var challenges = Set<Challenge>()
        collect(&queries, &challenges)
        return queries.sorted()
    }

    /// Every challenge scalar the expression uses, sorted.
    public var challenges: [Challenge] {
        var queries = Set<Query>()
        var challenges = Set<Challenge>()
        collect(&queries, &challenges)
        return challenges.sorted()
    }

    private func collect(_ queries: inout Set<Query>, _ challenges: inout Set<Challenge>) {
        switch self {
        case .constant, .linearClaim: break
        case .query(let q): queries.insert(q)
        case .challenge(let c): challenges.insert(c)
        case .sum(let a, let b), .product(let a, let b):
            a.collect(&queries, &challenges)
            b.collect(&queries, &challenges)
        case .negated(let a), .scaled(let a, _):
            a.collect(&queries, &challenges)
        }
    }

    /// The sum of `terms` as a balanced tree, so that long sums (a fold over hundreds of cells) do not
    /// make deep recursion; 0 for no terms.
    public static func sum(of terms: [Expression]) -> Expression {
        if terms.isEmpty { return .constant(.zero) }
        var level = terms
        while level.count > 1 {
            var nextLevel: [Expression] = []
            nextLevel.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i + 1 < level.count {
                nextLevel.append(.sum(level[i], level[i + 1]))
                i += 2
            }
            if i < level.count { nextLevel.append(level[i]) }
            level = nextLevel
        }
        return level[0]
    }
}

// MARK: - Operators

extension Expression: ExpressibleByIntegerLiteral {
    /// Integer literals become constants; negative literals are p − |value|.
    public init(integerLiteral value: Int64) {
        self = .constant(Fr(signed: value))
    }
}

extension Expression {
    public init(_ value: Fr) { self = .constant(value) }

    public static func + (a: Expression, b: Expression) -> Expression { .sum(a, b) }
    public static func - (a: Expression, b: Expression) -> Expression { .sum(a, .negated(b)) }
    public static func * (a: Expression, b: Expression) -> Expression { .product(a, b) }
    public static prefix func - (a: Expression) -> Expression { .negated(a) }

    public static func * (a: Expression, c: Fr) -> Expression { .scaled(a, c) }
    public static func * (c: Fr, a: Expression) -> Expression { .scaled(a, c) }
    public static func + (a: Expression, c: Fr) -> Expression { .sum(a, .constant(c)) }
    public static func - (a: Expression, c: Fr) -> Expression { .sum(a, .constant(-c)) }

    public static func += (a: inout Expression, b: Expression) { a = a + b }
    public static func -= (a: inout Expression, b: Expression) { a = a - b }
    public static func *= (a: inout Expression, b: Expression) { a = a * b }
}

extension Expression: CustomStringConvertible {
    /// A readable form for reports, e.g. `(advice[0] * advice[1]) - advice[2]@next`.
    public var description: String {
        switch self {
        case .constant(let c): return FieldFormatting.signed(c)
        case .query(let q): return q.description
        case .challenge(let c): return c.description
        case .linearClaim: return "Ω"
        case .sum(let a, .negated(let b)): return "(\(a) - \(b))"
        case .sum(let a, let b): return "(\(a) + \(b))"
        case .product(let a, let b): return "\(a) * \(b)"
        case .negated(let a): return "-\(a)"
        case .scaled(let a, let c): return "\(FieldFormatting.signed(c))·\(a)"
        }
    }
}

/// Prints field elements the way circuit authors think of them: small negative values as `-3`, not as
/// a 77-digit number.
public enum FieldFormatting {
    /// `-x` when the canonical value is above (p−1)/2, else the decimal value.
    public static func signed(_ value: Fr) -> String {
        let negated = -value
        // Whichever of value and -value has the shorter decimal form is the "small" representative.
        let plain = value.description
        let negative = negated.description
        return negative.count < plain.count ? "-" + negative : plain
    }
}
