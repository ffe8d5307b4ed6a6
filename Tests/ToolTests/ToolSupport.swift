import Foundation
import Testing

/// The built tools run as a user runs them, and a model set up once per test process: mlp_tiny compiled,
/// a development SRS (INSECURE, tests only), proving and verifying keys — all made by the binaries.
enum Tools {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zkinfer = root.appendingPathComponent(".build/release/zkinfer").path
    static let zkverify = root.appendingPathComponent(".build/release/zkverify").path
    static var model: String { root.appendingPathComponent("circuits/mlp_tiny/model.onnx").path }
    static var input: String { root.appendingPathComponent("circuits/mlp_tiny/input.json").path }

    struct Result { let code: Int32; let out: String; let err: String }

    /// Runs a binary (stdout and stderr through files: no pipe can fill up), with XDG_CONFIG_HOME pointing
    /// at an empty folder so that no trusted-srs file of the user's counts.
    static func run(_ binary: String, _ arguments: [String], in directory: Scratch? = nil) throws -> Result {
        let scratch = try directory ?? Scratch()
        let tag = UUID().uuidString
        let outURL = scratch.url.appendingPathComponent(".stdout-\(tag)"), errURL = scratch.url.appendingPathComponent(".stderr-\(tag)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = scratch.url.appendingPathComponent(".config").path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Result(code: process.terminationStatus, out: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      err: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    static func requireBinaries() throws {
        for binary in [zkinfer, zkverify] {
            try #require(FileManager.default.isExecutableFile(atPath: binary), "build first (make test): \(binary)")
        }
    }

    /// circuit.zkc, srs, pk.bin, vk.bin for mlp_tiny, made once.
    struct Keys { let dir: Scratch; let circuit: String; let srs: String; let pk: String; let vk: String }
    static let keys: Keys = {
        let dir = try! Scratch()
        let circuit = dir.path("circuit.zkc"), srs = dir.path("dev-k8.srs")
        for arguments in [["compile", model, "-o", circuit], ["params", "dev", "--log2", "8", "-o", srs],
                          ["setup", circuit, "--params", srs, "-o", dir.path("")]] {
            let r = try! run(zkinfer, arguments, in: dir)
            precondition(r.code == 0, "zkinfer \(arguments): \(r.err)")
        }
        return Keys(dir: dir, circuit: circuit, srs: srs, pk: dir.path("pk.bin"), vk: dir.path("vk.bin"))
    }()

    /// The circuit file's 2^k rows, read from its JSON header (the automatic layout decides k).
    static func log2Rows(ofCircuit path: String) throws -> Int {
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).prefix(1024), as: UTF8.self)
        guard let field = header.range(of: "\"log2Rows\":"), let k = Int(header[field.upperBound...].prefix { $0.isNumber }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return k
    }

    /// mlp_tiny's input with every value multiplied by `factor` (16 values in one array).
    static func input(scaledBy factor: Double) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: input))) as! [String: [[Double]]]
        let values = object["input_data"]![0].map { $0 * factor }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["input_data": [values]]), as: UTF8.self)
    }
}

/// A fresh folder under the temporary directory, removed when the last reference goes.
final class Scratch: @unchecked Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zkinfer-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { name.isEmpty ? url.path : url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func names(_ folder: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(folder)).sorted()
    }
}
