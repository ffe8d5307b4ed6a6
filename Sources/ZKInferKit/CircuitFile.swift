import CircuitCompiler
import ConstraintSystem
import CryptoPrimitives
import ModelGraph
import ModelMetadata
import PlonkProver
import PlonkVerifier
import ONNXImport
import Quantization
import SystemSupport

/// A compiled circuit on disk (`circuit.zkc`): everything needed to rebuild the same circuit
/// deterministically — the ONNX file itself, the settings, the resolved compile options and the compiler
/// version. The circuit (with its weights) is rebuilt from these in milliseconds, so the file stays as small
/// as the model; setup and prove rebuild it and the proving key checks it is the circuit it was made for.
///
/// Layout: magic "ZKICIRC\0" ‖ u32 LE version ‖ u64 LE length ‖ header JSON (UTF-8, sorted keys) ‖
/// u64 LE length ‖ ONNX bytes.
public struct CircuitFile: Sendable {
    public static let magic: [UInt8] = Array("ZKICIRC".utf8) + [0]
    public static let version: UInt32 = 1
    /// The largest file `decode` can accept: magic, version, and two length-prefixed parts of at most
    /// `ONNXImporter.maxFileBytes` each.
    public static let maximumEncodedBytes = magic.count + 4 + 2 * (8 + ONNXImporter.maxFileBytes)

    public struct Header: Equatable, Sendable {
        public var compiler: String
        public var modelSHA256: String
        public var settings: QuantizationSettings
        public var publicInput: Bool
        public var lanesPerRow: Int
        public var log2Rows: Int
        /// Range checks stacked into a few looked-up columns (CircuitLayout).
        public var stackRangeChecks: Bool
        /// Bits per range-checked limb.
        public var limbBits: Int
        /// The lane columns the compiler chose (`LaneColumns`); nil in a file that predates them (then
        /// `lanesPerRow` × the widest gadget's cells).
        public var laneColumns: LaneColumns? = nil

        /// Compact JSON, keys sorted.
        var json: String {
            var members = [("compiler", JSONText.string(compiler))]
            if let laneColumns { members.append(("freeColumns", String(laneColumns.free))) }
            members += [("lanesPerRow", String(lanesPerRow))]
            if let laneColumns { members.append(("limbColumns", String(laneColumns.limbs))) }
            members += [
                ("limbBits", String(limbBits)),
                ("log2Rows", String(log2Rows)), ("modelSHA256", JSONText.string(modelSHA256)),
                ("publicInput", publicInput ? "true" : "false"), ("settings", settings.canonicalJSON),
                ("stackRangeChecks", stackRangeChecks ? "true" : "false"),
            ]
            return JSONText.object(members)
        }

        static func decode(_ bytes: [UInt8]) throws -> Header {
            let root: JSONNode
            do { root = try JSONReader.parse(bytes) } catch { throw PipelineError.malformed("circuit file header: \(error)") }
            func member(_ key: String) throws -> JSONNode {
                guard let node = root[key] else { throw PipelineError.malformed("circuit file header: no '\(key)'") }
                return node
            }
            func wrong(_ key: String, _ what: String) -> PipelineError {
                .malformed("circuit file header: '\(key)' is not \(what)")
            }
            func string(_ key: String) throws -> String {
                guard let v = try member(key).text else { throw wrong(key, "a string") }
                return v
            }
            func int(_ key: String) throws -> Int {
                guard let v = try member(key).integer else { throw wrong(key, "an integer") }
                return v
            }
            func bool(_ key: String) throws -> Bool {
                guard let v = try member(key).boolean else { throw wrong(key, "true or false") }
                return v
            }
            let settings: QuantizationSettings
            do { settings = try QuantizationSettings.decode(try member("settings")) } catch let error as QuantizationError {
                throw PipelineError.malformed("circuit file settings: \(error)")
            }
            // Both lane-column counts or neither; bounded like the lanes before anything is laid out.
            var laneColumns: LaneColumns?
            if root["limbColumns"] != nil || root["freeColumns"] != nil {
                let limbs = try int("limbColumns"), free = try int("freeColumns")
                let most = CircuitLayout.maxAdviceColumns
                // 0 when no kind has limbs (e.g. only bitwise lanes).
                guard (0...most).contains(limbs) else { throw wrong("limbColumns", "in 0...\(most)") }
                guard (0...most - limbs).contains(free) else { throw wrong("freeColumns", "in 0...\(most - limbs)") }
                laneColumns = LaneColumns(limbs: limbs, free: free)
            }
            let header = Header(
                compiler: try string("compiler"), modelSHA256: try string("modelSHA256"), settings: settings,
                publicInput: try bool("publicInput"), lanesPerRow: try int("lanesPerRow"), log2Rows: try int("log2Rows"),
                stackRangeChecks: try bool("stackRangeChecks"), limbBits: try int("limbBits"), laneColumns: laneColumns)
            // Bounds before anything is built from them: a hostile lane count would otherwise allocate
            // billions of columns.
            guard (1...256).contains(header.lanesPerRow) else { throw wrong("lanesPerRow", "in 1...256") }
            guard Circuit.supportedLog2Rows.contains(header.log2Rows) else {
                throw wrong("log2Rows", "in \(Circuit.supportedLog2Rows)")
            }
            guard CompileOptions.limbBitChoices.contains(header.limbBits) else {
                throw wrong("limbBits", "one of \(CompileOptions.limbBitChoices)")
            }
            return header
        }
    }

    public let header: Header
    public let onnx: [UInt8]

    public init(header: Header, onnx: [UInt8]) {
        self.header = header
        self.onnx = onnx
    }

    /// Compiles `onnx` and records the options the compiler resolved (automatic lanes, size).
    public static func compile(onnx: [UInt8], settings: QuantizationSettings, options: CompileOptions) throws
        -> (file: CircuitFile, compiled: CompiledCircuit)
    {
        let compiled = try compileSizingKey(onnx: onnx, settings: settings, options: options)
        return (compiled.file, compiled.compiled)
    }

    /// `compile`, and the size of the verifying key `zkinfer setup` will make from it (`verifyingKeyBytes`), which
    /// compile computes anyway. A shorter circuit tiles the weights into more blocks, each a commitment in the key:
    /// when the automatic choice's key would pass 64 KiB (issue 15's limit), up to two taller circuits are tried,
    /// whose blocks are larger (transformer_encoder under compiler 8: 2^14 rows gave an 86 KB key, 2^15 rows 63 KB); a taller one is
    /// kept only if its key is smaller.
    public static func compileSizingKey(onnx: [UInt8], settings: QuantizationSettings, options: CompileOptions) throws
        -> (file: CircuitFile, compiled: CompiledCircuit, verifyingKeyBytes: Int)
    {
        var (_, compiled) = try build(onnx, settings: settings, options: options, step: "compile")
        var file = Self.file(of: compiled, onnx: onnx, settings: settings, publicInput: options.publicInput)
        var keyBytes = try file.verifyingKeyBytes(compiled)
        guard options.log2Rows == nil else { return (file, compiled, keyBytes) }
        for _ in 0..<2 where keyBytes > keyByteBudget && Circuit.supportedLog2Rows.contains(compiled.layout.log2Rows + 1) {
            var taller = options
            taller.log2Rows = compiled.layout.log2Rows + 1
            let (_, tallerCompiled) = try build(onnx, settings: settings, options: taller, step: "compile")
            let tallerFile = Self.file(of: tallerCompiled, onnx: onnx, settings: settings, publicInput: options.publicInput)
            let tallerBytes = try tallerFile.verifyingKeyBytes(tallerCompiled)
            guard tallerBytes < keyBytes else { break }
            (compiled, file, keyBytes) = (tallerCompiled, tallerFile, tallerBytes)
        }
        return (file, compiled, keyBytes)
    }

    /// The automatic choice's bound on the verifying key (64 KiB less room for the SRS origin's text).
    public static let keyByteBudget = 65536 - 1024

    static func file(of compiled: CompiledCircuit, onnx: [UInt8], settings: QuantizationSettings, publicInput: Bool) -> CircuitFile {
        let header = Header(
            compiler: ModelDescriptionBuilder.compilerVersion, modelSHA256: SHA256.hash(onnx).hexEncoded,
            settings: settings, publicInput: publicInput, lanesPerRow: compiled.layout.lanesPerRow,
            log2Rows: compiled.layout.log2Rows, stackRangeChecks: compiled.layout.isStacked,
            limbBits: compiled.plan.limbBits,
            laneColumns: LaneColumns(limbs: compiled.layout.limbColumns, free: compiled.layout.freeColumns))
        return CircuitFile(header: header, onnx: onnx)
    }

    /// Bytes of the verifying key `zkinfer setup` makes from this file (public weights), computed without an SRS.
    public func verifyingKeyBytes(_ compiled: CompiledCircuit) throws -> Int {
        try VerifyingKey.encodedBytes(circuit: VerifierCircuit(compiled.circuit),
                                      metadata: ModelDescriptionBuilder.describe(self, compiled: compiled).metadata)
    }

    /// Compiles the model file at `path`; external data next to it is inlined into the embedded model
    /// (`ONNXImporter.selfContainedModel(path:)`), so the circuit file and its hash cover every weight.
    public static func compile(modelPath: String, settings: QuantizationSettings, options: CompileOptions) throws
        -> (file: CircuitFile, compiled: CompiledCircuit)
    {
        try compile(onnx: try ONNXImporter.selfContainedModel(path: modelPath), settings: settings, options: options)
    }

    /// Rebuilds the circuit (and the quantized model the prover runs). `relationSplit`: the proving key's
    /// (`ProvingKey.relationSplit`) when proving, so the rebuild does not search for it again; the key check
    /// still compares the whole circuit. nil (setup, verify-key): rebuilt exactly as compile built it.
    public func rebuild(relationSplit: BlockSplit? = nil, relation: LinearRelation? = nil) throws -> (model: QuantizedModel, compiled: CompiledCircuit) {
        guard header.compiler == ModelDescriptionBuilder.compilerVersion else {
            throw PipelineError.malformed("circuit file from '\(header.compiler)'; this is '\(ModelDescriptionBuilder.compilerVersion)': compile again")
        }
        guard SHA256.hash(onnx).hexEncoded == header.modelSHA256 else {
            throw PipelineError.malformed("circuit file: the embedded model does not match its hash")
        }
        let options = CompileOptions(publicInput: header.publicInput, lanesPerRow: header.lanesPerRow, log2Rows: header.log2Rows,
                                     stackRangeChecks: header.stackRangeChecks, limbBits: header.limbBits,
                                     laneColumns: header.laneColumns)
        return try Self.build(onnx, settings: header.settings, options: options, relationSplit: relationSplit, relation: relation,
                              step: "rebuild circuit")
    }

    /// Rebuilds the circuit a prover runs with `key`. When the key's model description names this file's
    /// model (its SHA-256, salted with the key's blinding seed for private weights), settings and compiler,
    /// the key's committed relation is taken instead of lowered again: the same inputs lower to the same W,
    /// and W is most of a rebuild's time (the key's weights decide what is proved in any case: the witness
    /// check refuses a proof whose W is not the model's). Otherwise the whole circuit is rebuilt with the key's
    /// split, and the caller's `ProvingKey.requireMatches` reports the mismatch.
    public func rebuild(for key: ProvingKey) throws -> (model: QuantizedModel, compiled: CompiledCircuit) {
        try rebuild(relationSplit: key.relationSplit, relation: describes(key) ? key.linearRelation : nil)
    }

    /// Whether `key`'s model description is of this file's model, settings and compiler.
    public func describes(_ key: ProvingKey) -> Bool {
        guard let description = ModelDescription(key.verifyingKey.metadata) else { return false }
        let modelHash = key.privateWeightsSeed.map { Pipeline.privateModelHash(seed: $0, modelSHA256: header.modelSHA256) }
            ?? header.modelSHA256
        return description.modelSHA256 == modelHash && description.compilerVersion == header.compiler
            && description.settingsSHA256 == SHA256.hash(ModelDescriptionBuilder.canonicalSettings(header.settings)).hexEncoded
    }

    /// What `zkinfer stats` reports for this circuit file (its memory estimates, size), from the plan and layout
    /// alone: no weights quantized and no circuit built, so it is quick even where building would not be.
    public func statistics() throws -> ModelStatistics {
        let graph = try ONNXImporter.importModel(bytes: onnx).graph
        let options = CompileOptions(publicInput: header.publicInput, lanesPerRow: header.lanesPerRow, log2Rows: header.log2Rows,
                                     stackRangeChecks: header.stackRangeChecks, limbBits: header.limbBits,
                                     laneColumns: header.laneColumns)
        let (plan, layout) = try CircuitLayout.choose(graph: graph, settings: header.settings, options: options)
        return ModelStatistics(plan: plan, layout: layout)
    }

    /// import → quantize → circuit, each part reported to the tools' progress as `step`.
    static func build(_ onnx: [UInt8], settings: QuantizationSettings, options: CompileOptions, relationSplit: BlockSplit? = nil,
                      relation: LinearRelation? = nil, step: String) throws
        -> (model: QuantizedModel, compiled: CompiledCircuit)
    {
        StepProgress.report(step, 0, of: 3, "import")
        let graph = try ONNXImporter.importModel(bytes: onnx).graph
        StepProgress.report(step, 1, of: 3, "quantize")
        let model = try QuantizedModel(graph, settings: settings)
        StepProgress.report(step, 2, of: 3, "circuit")
        let compiled = try CompiledCircuit(model: model, options: options, relationSplit: relationSplit, relation: relation)
        StepProgress.done(step, parts: 3)
        return (model, compiled)
    }

    public var encoded: [UInt8] {
        let json = Array(header.json.utf8)
        var bytes = Self.magic
        bytes += withUnsafeBytes(of: Self.version.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init)
        bytes += json
        bytes += withUnsafeBytes(of: UInt64(onnx.count).littleEndian, Array.init)
        bytes += onnx
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> CircuitFile {
        var offset = 0
        func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - offset else { throw PipelineError.malformed("circuit file truncated in \(what)") }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }
        func u64(_ what: String) throws -> Int {
            let b = try take(8, what)
            let v = b.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            guard v <= UInt64(ONNXImporter.maxFileBytes) else { throw PipelineError.malformed("circuit file: \(what) too long") }
            return Int(v)
        }
        guard Array(try take(8, "magic")) == magic else { throw PipelineError.malformed("not a circuit file (bad magic)") }
        let version = try take(4, "version").enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        guard version == Self.version else { throw PipelineError.malformed("circuit file version \(version); this build reads \(Self.version)") }
        let header = try Header.decode(Array(try take(try u64("header length"), "header")))
        let onnx = Array(try take(try u64("model length"), "model"))
        guard offset == bytes.count else { throw PipelineError.malformed("circuit file: \(bytes.count - offset) trailing bytes") }
        return CircuitFile(header: header, onnx: onnx)
    }
}

public enum PipelineError: Error, CustomStringConvertible, Equatable {
    case malformed(String)
    /// Not enough memory for the prover's estimated peak.
    case insufficientMemory(needed: Int, available: Int)
    case keyMismatch(String)

    public var description: String {
        switch self {
        case .malformed(let reason): return reason
        case .insufficientMemory(let needed, let available):
            return "proving needs about \(needed >> 20) MB but only \(available >> 20) MB is available; use a machine with more memory or a smaller model/settings"
        case .keyMismatch(let reason): return reason
        }
    }
}
