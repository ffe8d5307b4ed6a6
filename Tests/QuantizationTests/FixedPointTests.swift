import Foundation
import Testing
@testable import Quantization

struct FixedPointTests {
    @Test func quantizeRoundsToNearestWithTiesUp() {
        // At scale 2^1: 1.25 → 2.5 units → 3; −1.25 → −2.5 → −2 (ties toward +∞); −1.3 → −2.6 → −3.
        #expect(FixedPoint.quantize(1.25, scale: 1) == 3)
        #expect(FixedPoint.quantize(-1.25, scale: 1) == -2)
        #expect(FixedPoint.quantize(-1.3, scale: 1) == -3)
        #expect(FixedPoint.quantize(-0.2, scale: 1) == 0)
        #expect(FixedPoint.quantize(0.7, scale: 0) == 1)
        #expect(FixedPoint.quantize(-0.5, scale: 0) == 0)
        #expect(FixedPoint.quantize(-1.5, scale: 0) == -1)
        // The largest double below ½: a naive floor(x + 0.5) rounds this up to 1 in floating point.
        #expect(FixedPoint.quantize(0.49999999999999994, scale: 0) == 0)
        #expect(FixedPoint.quantize(-0.49999999999999994, scale: 0) == 0)
    }

    @Test func quantizeRejectsWhatCannotBeRepresented() {
        #expect(FixedPoint.quantize(.nan, scale: 4) == nil)
        #expect(FixedPoint.quantize(.infinity, scale: 4) == nil)
        #expect(FixedPoint.quantize(0x1p62, scale: 0) == nil)
        #expect(FixedPoint.quantize(0x1p61, scale: 0) == 1 << 61)
        #expect(FixedPoint.quantize(1, scale: 62) == nil)
    }

    @Test func rescaleMatchesItsDefinitionIncludingNegativesAndTies() {
        // k = 2: y/4 rounded, ties up. −6/4 = −1.5 → −1; −10/4 = −2.5 → −2; 6/4 = 1.5 → 2; −7/4 → −2.
        let cases: [(Int64, Int64, Int64)] = [(-6, -1, 0), (-10, -2, 0), (6, 2, 0), (-7, -2, 3), (-2, 0, 0), (1, 0, 3), (2, 1, 0)]
        for (y, q, r) in cases {
            let result = FixedPoint.rescale(y, shift: 2)
            #expect(result.quotient == q && result.remainder == r, "R_2(\(y))")
        }
        #expect(FixedPoint.rescale(-5, shift: 0) == (-5, 0))
    }

    @Test func rescaleIdentityHoldsOnRandomAndEdgeValues() {
        var rng = SystemRandomNumberGenerator()
        let limit = FixedPoint.accumulatorLimit
        var samples: [Int64] = [limit - 1, -(limit - 1), 0, -1, 1]
        for _ in 0..<2000 { samples.append(Int64.random(in: -(limit - 1)...(limit - 1), using: &rng)) }
        for k in [1, 2, 7, 16, 32, 45] {
            for y in samples {
                let (q, r) = FixedPoint.rescale(y, shift: k)
                #expect(r >= 0 && r < Int64(1) << k)
                #expect(y + (Int64(1) << (k - 1)) == q * (Int64(1) << k) + r)
                // Agreement with floor division written independently (division, not shifts).
                let d = Int64(1) << k, n = y + d / 2
                #expect(q == (n >= 0 ? n / d : -((-n + d - 1) / d)))
            }
        }
    }

    @Test func decimalInputsUseTheSameRounding() {
        // 0.15625 = 5/32 exactly: at scale 2^4 it is 2.5 units → 3; −0.15625 → −2.
        #expect(FixedPoint.quantizeDecimal(value: 15625, decimals: 5, scale: 4) == 3)
        #expect(FixedPoint.quantizeDecimal(value: -15625, decimals: 5, scale: 4) == -2)
        #expect(FixedPoint.quantizeDecimal(value: 7, decimals: 0, scale: 10) == 7 << 10)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng)
            let decimals = Int.random(in: 0...9, using: &rng), scale = Int.random(in: 0...20, using: &rng)
            var power: Int64 = 1
            for _ in 0..<decimals { power *= 10 }
            // Small enough to evaluate floor((2·v·2^s + 10^d) / (2·10^d)) directly in 64 bits.
            let n = 2 * value * (Int64(1) << scale) + power, d = 2 * power
            let floorDiv = n >= 0 ? n / d : -((-n + d - 1) / d)
            #expect(FixedPoint.quantizeDecimal(value: value, decimals: decimals, scale: scale) == floorDiv)
        }
        #expect(FixedPoint.quantizeDecimal(value: Int64.max, decimals: 0, scale: 30) == nil)
        #expect(FixedPoint.quantizeDecimal(value: 1, decimals: 19, scale: 4) == nil)
    }
}

struct SettingsAndTableTests {
    @Test func settingsValidateAndRoundTrip() throws {
        let settings = QuantizationSettings(activationScale: 12, parameterScale: 14, activationBits: 24)
        #expect(try QuantizationSettings.decode(settings.encoded()) == settings)
        #expect(throws: QuantizationError.self) { try QuantizationSettings(activationScale: 31, activationBits: 32).validate() }
        #expect(throws: QuantizationError.self) { try QuantizationSettings(activationBits: 40).validate() }
        var future = settings
        future.version = 2
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(future.encoded()) }
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(Data("{\"version\": 1}".utf8)) }
    }

    @Test func tablesHoldQuantizedFunctionValues() {
        let settings = QuantizationSettings(activationScale: 16, tableScale: 10, tableBits: 15)
        let sigmoid = LookupTable(.sigmoid, settings: settings)
        #expect(sigmoid.values.count == 1 << 15 && sigmoid.minIndex == -(1 << 14))
        #expect(sigmoid.lookup(0) == 1 << 15)  // σ(0) = ½
        #expect(sigmoid.lookup(1024) == FixedPoint.quantize(1 / (1 + exp(-1.0)), scale: 16))
        #expect(zip(sigmoid.values, sigmoid.values.dropFirst()).allSatisfy { $0 <= $1 })
        let exponent = LookupTable(.exp, settings: settings)
        #expect(exponent.maxIndex == 0 && exponent.lookup(0) == 1 << 16)
        let tanh = LookupTable(.tanh, settings: settings)
        #expect(tanh.lookup(0) == 0 && tanh.lookup(-512) == -tanh.lookup(512))
    }
}
