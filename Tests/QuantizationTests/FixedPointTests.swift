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
        future.version = QuantizationSettings.currentVersion + 1
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(future.encoded()) }
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(Array("{\"version\": 1}".utf8)) }
    }

    /// The settings hash in every key covers `canonicalJSON`: it must stay the bytes Foundation's sorted
    /// compact encoder gives, and settings files must stay readable by any JSON reader.
    @Test func canonicalJSONMatchesFoundationsSortedEncoding() throws {
        for s in [QuantizationSettings.default, QuantizationSettings(activationScale: 12, parameterScale: 14, activationBits: 24)] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            #expect(s.canonicalJSON == String(decoding: try encoder.encode(s), as: UTF8.self))
            #expect(try JSONDecoder().decode(QuantizationSettings.self, from: Data(s.encoded())) == s)
            #expect(try QuantizationSettings.decode(Array(s.canonicalJSON.utf8)) == s)
        }
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(Array("{\"version\": 2, \"activationBits\": \"32\"}".utf8)) }
        #expect(throws: QuantizationError.self) { try QuantizationSettings.decode(Array("[1, 2]".utf8)) }
    }

    @Test func tablesHoldQuantizedFunctionValuesAndDeltas() {
        let settings = QuantizationSettings.default  // s = 16, t = 4, D = 8: 256 points at step 1/16
        let sigmoid = LookupTable(.sigmoid, settings: settings)
        #expect(sigmoid.values.count == 256 && sigmoid.minIndex == -128 && sigmoid.maxIndex == 127 && sigmoid.shift == 12)
        #expect(sigmoid.lookup(0) == 1 << 15)  // σ(0) = ½
        #expect(sigmoid.lookup(16) == FixedPoint.quantize(1 / (1 + exp(-1.0)), scale: 16))
        #expect(zip(sigmoid.values, sigmoid.values.dropFirst()).allSatisfy { $0 <= $1 })
        // Δ[u] = T[u + 1] − T[u]; the last row's Δ points at the grid point beyond the table (u = 128, x = 8).
        #expect(sigmoid.delta(5) == sigmoid.lookup(6) - sigmoid.lookup(5))
        #expect(sigmoid.delta(127) == FixedPoint.quantize(1 / (1 + exp(-8.0)), scale: 16)! - sigmoid.lookup(127))
        let exponent = LookupTable(.exp, settings: settings)
        #expect(exponent.minIndex == -255 && exponent.maxIndex == 0 && exponent.lookup(0) == 1 << 16)
        let tanh = LookupTable(.tanh, settings: settings)
        #expect(tanh.lookup(0) == 0 && tanh.lookup(-8) == -tanh.lookup(8))
    }

    @Test func interpolationSplitsClampsAndRounds() {
        let table = LookupTable(.sigmoid, settings: .default)
        // x = 1.03125 (67,584 at 2^16): z = 16, f = 2^11 (half a grid step), T[16] + R_12(Δ[16]·2^11).
        let step = table.step(67_584)
        #expect(step.index == 16 && step.fraction == 2048 && step.clampedIndex == 16 && step.clampedFraction == 2048)
        let product = table.delta(16) * 2048
        #expect(step.quotient == (product + 2048) >> 12 && step.remainder == product + 2048 - step.quotient * 4096)
        #expect(step.output == table.lookup(16) + step.quotient)
        #expect(abs(Double(step.output) / 65536 - 1 / (1 + exp(-1.03125))) < 1e-4)
        // A negative input floors: −1 (one unit below 0) is z = −1, f = 4095.
        let negative = table.step(-1)
        #expect(negative.index == -1 && negative.fraction == 4095 && negative.clampedFraction == 4095)
        // Beyond the grid: the edge entries, fraction 0.
        let high = table.step(9 << 16), low = table.step(-(9 << 16))
        #expect(high.clampedIndex == 127 && high.clampedFraction == 0 && high.output == table.lookup(127))
        #expect(low.clampedIndex == -128 && low.clampedFraction == 0 && low.output == table.lookup(-128))
        #expect(high.index == 144 && high.fraction == 0)
    }
}
