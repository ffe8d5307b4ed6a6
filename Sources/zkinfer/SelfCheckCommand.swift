import CommandLineSupport
import FieldArithmetic

/// Quick arithmetic self-check for `make demo` until the prover exists: field laws against GMP.
enum SelfCheckCommand {
    static let command = Command(
        name: "selfcheck", summary: "check the BN254 arithmetic against the GMP reference",
        examples: ["zkinfer selfcheck"]
    ) { invocation in
        var failures: [String] = []
        let r = Fr.modulus
        var x = Fr(123_456_789)
        var reference = BigInteger(123_456_789)
        for _ in 0..<1000 {
            x = x * x + Fr(7)
            reference = (reference * reference + BigInteger(7)).modulo(r)
        }
        if x.bigInteger != reference { failures.append("Fr square chain disagrees with GMP") }
        if x * x.inverse() != Fr.one { failures.append("Fr inverse") }
        if failures.isEmpty {
            Console.out(invocation.wantsJSON ? "{\"selfcheck\":\"ok\"}" : "selfcheck: field arithmetic agrees with GMP")
        } else {
            throw CommandFailure.rejected("selfcheck failed: " + failures.joined(separator: "; "))
        }
    }
}
