/// What generic code (law tests, polynomial helpers) may assume of a prime field.
public protocol PrimeField: Equatable, Hashable, Sendable, CustomStringConvertible {
    static var zero: Self { get }
    static var one: Self { get }
    static var modulus: BigInteger { get }
    init(_ value: UInt64)
    init(_ value: BigInteger)
    var bigInteger: BigInteger { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func inverse() -> Self
    func squareRoot() -> Self?
    func legendre() -> Int
}

extension MontgomeryField: PrimeField {}
