import SystemSupport

/// Tensors stored outside the model file (ONNX external data: `data_location = EXTERNAL` with
/// `external_data` entries `location`, `offset`, `length`, `checksum`), as torch's dynamo exporter writes
/// them (`model.onnx.data`). `inline` rewrites a model into a self-contained one, every external tensor's
/// bytes moved into its `raw_data`, so that one import path (and one model hash in a circuit file) serves
/// both kinds of model.
///
/// The rules, for files that may be hostile:
/// - `location` is relative to the model file's folder; absolute paths are refused, and the path is
///   resolved (`..` and symlinks alike) and must stay inside that folder;
/// - `offset` and `length` are decimal byte counts checked against the file's size before anything is
///   sliced; a missing `length` means "to the end of the file";
/// - each file is read once, however many tensors it holds, and every file and the rewritten model are
///   bounded by `ONNXImporter.maxFileBytes`;
/// - `checksum` (a SHA-1 of the file) is not verified: the model hash of a circuit file covers the
///   inlined bytes instead.
struct ExternalData {
    /// The model file's folder as given ("" for the working directory) and resolved.
    let directory: String
    let resolvedDirectory: String
    /// Each file's bytes by resolved path, read on first use.
    private var files: [String: [UInt8]] = [:]
    /// Bytes taken from external files so far (bounded with the model's own size).
    private(set) var inlinedBytes = 0
    /// Distinct data files read (each once).
    var filesRead: Int { files.count }

    init(modelPath: String) throws {
        directory = FileSystem.directory(of: modelPath)
        guard let resolved = FileSystem.resolvedPath(directory.isEmpty ? "." : directory) else {
            throw ONNXImportError.unsupportedModel("cannot resolve the model's folder '\(directory)'")
        }
        resolvedDirectory = resolved
    }

    /// The bytes of one tensor's external data. `entries` are the tensor's external_data key/value pairs.
    mutating func bytes(tensor name: String, entries: [(key: String, value: String)]) throws -> ArraySlice<UInt8> {
        func malformed(_ reason: String) -> ONNXImportError {
            .malformedFile("tensor '\(name)': external data \(reason)")
        }
        var location: String?, offsetText: String?, lengthText: String?
        var seen = Set<String>()
        for (key, value) in entries {
            guard seen.insert(key).inserted else { throw malformed("names '\(key)' twice") }
            switch key {
            case "location": location = value
            case "offset": offsetText = value
            case "length": lengthText = value
            default: break  // checksum (not verified) and keys of later IR versions
            }
        }
        guard let location, !location.isEmpty else { throw malformed("has no location") }
        guard !location.hasPrefix("/") else {
            throw malformed("location '\(location)' is an absolute path; it must be relative to the model's folder")
        }
        guard !location.utf8.contains(0) else { throw malformed("location contains a NUL byte") }
        let path = FileSystem.join(directory.isEmpty ? "." : directory, location)
        guard let resolved = FileSystem.resolvedPath(path) else {
            throw ONNXImportError.unsupportedModel(
                "tensor '\(name)': external data file '\(location)' not found next to the model (in '\(directory.isEmpty ? "." : directory)')")
        }
        let root = resolvedDirectory.hasSuffix("/") ? resolvedDirectory : resolvedDirectory + "/"
        guard resolved.hasPrefix(root) else {
            throw malformed("location '\(location)' leaves the model's folder (it resolves to '\(resolved)')")
        }
        if files[resolved] == nil {
            do { files[resolved] = try FileSystem.read(resolved, limit: ONNXImporter.maxFileBytes) } catch let error as FileSystem.Failure {
                throw ONNXImportError.unsupportedModel("tensor '\(name)': cannot read external data \(error)")
            }
        }
        let file = files[resolved]!
        let offset = try Self.byteCount(offsetText, "offset", tensor: name) ?? 0
        guard offset <= file.count else {
            throw malformed("offset \(offset) is past the end of '\(location)' (\(file.count) bytes)")
        }
        let length = try Self.byteCount(lengthText, "length", tensor: name) ?? (file.count - offset)
        guard length <= file.count - offset else {
            throw malformed("offset \(offset) + length \(length) is past the end of '\(location)' (\(file.count) bytes)")
        }
        let (total, overflow) = inlinedBytes.addingReportingOverflow(length)
        guard !overflow, total <= ONNXImporter.maxFileBytes else {
            throw ONNXImportError.unsupportedModel("external data of more than \(ONNXImporter.maxFileBytes) bytes in all")
        }
        inlinedBytes = total
        return file[offset..<(offset + length)]
    }

    /// A decimal byte count (at most 18 digits, so it fits an Int with room to add), nil when absent.
    static func byteCount(_ text: String?, _ what: String, tensor: String) throws -> Int? {
        guard let text else { return nil }
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text) else {
            throw ONNXImportError.malformedFile("tensor '\(tensor)': external data \(what) '\(text)' is not a byte count")
        }
        return value
    }
}
