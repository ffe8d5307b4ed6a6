/// Errors about SRS files that name the command that fixes them.
enum SRSAdvice {
    /// "<file> has 2^h points; the circuit needs 2^n", with the commands that make or import one that fits.
    static func tooSmall(_ path: String, has: Int, needs: Int) -> String {
        "\(path) has 2^\(has) points; the circuit needs 2^\(needs). Make a development SRS of that size (INSECURE, "
            + "for testing): zkinfer params dev --log2 \(needs) -o params/dev-k\(needs).srs — or import a ceremony "
            + "with at least 2^\(needs) points: zkinfer params import-ptau <file.ptau> --log2 \(needs) -o params/ptau-k\(needs).srs"
    }
}
