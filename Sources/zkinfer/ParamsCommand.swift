import CommandLineSupport
import CryptoPrimitives
import KZG
import SystemSupport

/// `zkinfer params …`: structured reference strings in our own format (see Sources/KZG/SRSFile.swift).
/// Errors from the KZG layer (malformed or corrupted files, failed validation) reach CommandLineTool as
/// typed errors: one line on stderr, exit code 2.
enum ParamsCommand {
    static let command = Command(
        name: "params", summary: "make, import, inspect and truncate structured reference strings (SRS)",
        examples: ["zkinfer params dev --log2 9 -o params/dev-k9.srs", "zkinfer params info params/dev-k9.srs"],
        subcommands: [dev, importHalo2, importPtau, info, truncate])

    static let outOption = CommonOptions.out("SRS file to write (default: under params/)")

    static let dev = Command(
        name: "dev", summary: "generate an INSECURE development SRS from OpenSSL randomness",
        options: [.value("log2", "K", "log2 of the number of G1 powers (0...28)"), outOption],
        discussion: "Whoever runs this could keep tau and forge proofs: the file, and every key made from it, is labelled insecure. `zkinfer stats model.onnx` prints the size a model needs (log2 rows).",
        examples: ["zkinfer params dev --log2 9 -o params/dev-k9.srs"]
    ) { invocation in
        let k = try invocation.integer("log2", default: -1, in: -1...SRS.maximumLog2Size)
        guard k >= 0 else { throw CommandFailure.usage("missing required option --log2 (the SRS size 2^K; e.g. zkinfer params dev --log2 9 -o params/dev-k9.srs)") }
        Console.err("WARNING: \(SRSOrigin.insecureBanner)")
        let srs = try Progress().measure("dev setup 2^\(k)") { try SRS.insecureDevelopment(log2Size: k) }
        let path = invocation.value("out") ?? "params/dev-k\(k).srs"
        try write(srs, to: path, invocation: invocation)
    }

    static let importHalo2 = Command(
        name: "import-halo2", summary: "convert a halo2/EZKL KZG params file (validated) to our format",
        arguments: "<params-file>", options: [outOption],
        examples: ["zkinfer params import-halo2 kzg17.srs -o params/halo2-k17.srs"]
    ) { invocation in
        let source = try invocation.positional(0, "params-file")
        let srs = try Progress().measure("import and validate") { try SRSImport.halo2(path: source) }
        try write(srs, to: invocation.value("out") ?? "params/halo2-k\(srs.log2Size).srs", invocation: invocation)
    }

    static let importPtau = Command(
        name: "import-ptau", summary: "convert a snarkjs .ptau file (validated) to our format",
        arguments: "<file.ptau>",
        options: [.value("log2", "K", "keep only the first 2^K powers (default: all)"), outOption],
        examples: ["zkinfer params import-ptau powersOfTau28_hez_final_12.ptau --log2 12 -o params/ptau-k12.srs"]
    ) { invocation in
        let source = try invocation.positional(0, "file.ptau")
        let k = try invocation.integer("log2", default: -1, in: -1...SRS.maximumLog2Size)
        let srs = try Progress().measure("import and validate") {
            try SRSImport.ptau(path: source, log2Size: k >= 0 ? k : nil)
        }
        try write(srs, to: invocation.value("out") ?? "params/ptau-k\(srs.log2Size).srs", invocation: invocation)
    }

    static let info = Command(
        name: "info", summary: "print an SRS file's header and SRS identity; with --verify also load and validate it",
        arguments: "<file.srs>", options: [.flag("verify", "load every point, check the content hash and the pairing structure")],
        examples: ["zkinfer params info params/dev-k9.srs --verify"]
    ) { invocation in
        let path = try invocation.positional(0, "file.srs")
        let header = try SRSFile.readHeader(path: path)
        var verified = false
        var identity = try SRSFile.readVerifierKey(path: path).identity
        if invocation.flag("verify") {
            let srs = try Progress().measure("load") { try SRSFile.load(path: path) }
            try Progress().measure("validate") { try srs.validate() }
            identity = srs.identity
            verified = true
        }
        let trust = SRSTrustSupport.status(identity)
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("path", .string(path)), ("curve", .string("BN254")), ("log2_size", .int(header.log2Size)),
                ("g1_points", .int(Int(header.g1Count))), ("lagrange_points", .int(Int(header.lagrangeCount))),
                ("g2_points", .int(Int(header.g2Count))), ("origin_kind", .string(kindName(header.origin.kind))),
                ("insecure", .bool(header.origin.isInsecure)), ("origin", .string(header.origin.detail)),
                ("content_sha256", .string(header.contentHash.hexEncoded)), ("bytes", .int(Int(header.fileBytes))),
                ("srs_identity", .string(identity.hexEncoded)), ("srs_trusted", .bool(trust.trusted)),
            ]
            if verified { members.append(("verified", .bool(true))) }
            Console.out(JSONValue.object(members).rendered())
        } else {
            Console.out("""
                \(path): BN254 SRS, 2^\(header.log2Size) G1 powers + \(header.lagrangeCount) Lagrange points, \(header.g2Count) G2 points
                origin: \(kindName(header.origin.kind))\(header.origin.isInsecure ? " (INSECURE)" : "")
                \(header.origin.detail)
                content sha256: \(header.contentHash.hexEncoded)\(verified ? "\nverified: content hash, points and pairing structure OK" : "")
                SRS identity: \(identity.hexEncoded)
                \(trust.text)
                """)
        }
    }

    static let truncate = Command(
        name: "truncate", summary: "keep the first 2^K powers; the Lagrange basis is recomputed for the smaller domain",
        arguments: "<file.srs>", options: [.value("log2", "K", "new log2 size"), outOption],
        examples: ["zkinfer params truncate params/ptau-k12.srs --log2 9 -o params/ptau-k9.srs"]
    ) { invocation in
        let path = try invocation.positional(0, "file.srs")
        let k = try invocation.integer("log2", default: -1, in: -1...SRS.maximumLog2Size)
        guard k >= 0 else { throw CommandFailure.usage("missing required option --log2 (e.g. zkinfer params truncate \(path) --log2 9 -o params/small-k9.srs)") }
        let srs = try Progress().measure("load") { try SRSFile.load(path: path) }
        let small = try Progress().measure("truncate to 2^\(k)") { try srs.truncated(toLog2Size: k) }
        let defaultOut = (path.hasSuffix(".srs") ? String(path.dropLast(4)) : path) + "-k\(k).srs"
        try write(small, to: invocation.value("out") ?? defaultOut, invocation: invocation)
    }

    static func kindName(_ kind: SRSOrigin.Kind) -> String {
        switch kind {
        case .insecureDevelopment: return "insecure-development"
        case .importedHalo2: return "halo2-import"
        case .importedPtau: return "ptau-import"
        }
    }

    static func write(_ srs: SRS, to path: String, invocation: Invocation) throws {
        let directory = FileSystem.directory(of: path)
        if !directory.isEmpty { try? FileSystem.createDirectory(directory) }
        try Progress().measure("write \(path)") { try SRSFile.write(srs, to: path) }
        let header = try SRSFile.readHeader(path: path)
        let trust = SRSTrustSupport.status(srs.identity)
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("path", .string(path)), ("log2_size", .int(srs.log2Size)),
                ("origin_kind", .string(kindName(srs.origin.kind))), ("insecure", .bool(srs.origin.isInsecure)),
                ("content_sha256", .string(header.contentHash.hexEncoded)),
                ("srs_identity", .string(srs.identity.hexEncoded)), ("srs_trusted", .bool(trust.trusted)),
            ]).rendered())
        } else {
            Console.out("wrote \(path): 2^\(srs.log2Size) points, \(kindName(srs.origin.kind))\(srs.origin.isInsecure ? " (INSECURE)" : ""), sha256 \(header.contentHash.hexEncoded)")
            Console.out("SRS identity: \(srs.identity.hexEncoded)")
            Console.out(trust.text)
        }
    }
}
