import Foundation
import SystemSupport
import Testing
import ZKInferKit

/// The input stream of prove-batch and the file helpers under it: shards are deterministic, disjoint and
/// cover everything; names follow the inputs; long lines are refused without being kept.
struct BatchInputTests {
    func names(_ path: String, _ shard: Shard) throws -> [String] {
        let stream = try BatchInputStream(path: path, shard: shard)
        var out: [String] = []
        while let input = try stream.next() { out.append(input.name) }
        #expect(try stream.countInShard() == out.count)
        return out
    }

    @Test func folderShardsPartitionTheSortedInputs() throws {
        let dir = try Scratch()
        let files = (1...11).map { "in\($0 < 10 ? "0" : "")\($0).json" }
        for f in files.shuffled() { try dir.write("in/\(f)", "{}") }
        try dir.write("in/.hidden.json", "{}")
        try dir.write("in/readme.txt", "")
        let whole = try names(dir.path("in"), .whole)
        #expect(whole == files.map { String($0.dropLast(5)) })
        for n in [1, 2, 3, 4, 11, 12] {
            let shards = try (0..<n).map { try names(dir.path("in"), Shard("\($0)/\(n)")!) }
            #expect(shards.flatMap { $0 }.sorted() == whole, "N = \(n) covers all")
            #expect(Set(shards.flatMap { $0 }).count == whole.count, "N = \(n) disjoint")
            #expect(try shards == (0..<n).map { try names(dir.path("in"), Shard("\($0)/\(n)")!) }, "deterministic")
            #expect(shards.map(\.count).max()! - shards.map(\.count).min()! <= 1, "balanced")
        }
    }

    @Test func shardParsing() {
        #expect(Shard("0/1") == .whole && Shard("2/3")?.index == 2)
        for bad in ["3/3", "-1/3", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(bad) == nil, "\(bad)") }
    }

    @Test func jsonLinesNamesCountBlankLinesAndRefuseLongLines() throws {
        let dir = try Scratch()
        let path = try dir.write("data.v2.jsonl", "{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}")
        let stream = try BatchInputStream(path: path, shard: .whole)
        var got: [(String, String)] = []
        while let input = try stream.next() {
            guard case .bytes(let b) = input.content else { Issue.record("expected bytes"); continue }
            got.append((input.name, String(decoding: b, as: UTF8.self)))
        }
        #expect(got.map(\.0) == ["data.v2-000001", "data.v2-000004", "data.v2-000005"])
        #expect(got.map(\.1) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])

        let reader = try LineReader(path: try dir.write("long.txt", "short\n" + String(repeating: "x", count: 100_000) + "\nend\n"), maximumLineBytes: 1000)
        #expect(try reader.next() == .text(Array("short".utf8)))
        #expect(try reader.next() == .tooLong(bytes: 100_000))
        #expect(try reader.next() == .text(Array("end".utf8)) && reader.lineNumber == 3)
        #expect(try reader.next() == nil)
    }

    @Test func atomicWritesLeaveNoTemporaryFile() throws {
        let dir = try Scratch()
        let target = dir.path("p.proof")
        try FileSystem.writeAtomically([1, 2, 3], to: target, tag: "t1")
        try FileSystem.writeAtomically([4, 5], to: target, tag: "t2")
        #expect(try FileSystem.read(target) == [4, 5])
        #expect(try dir.names() == ["p.proof"])
    }

    /// Files of two or more 8 MiB chunks are read in concurrent chunks (`FileSystem.parallelPrefix`): the bytes
    /// are the file's, for a size just past the chunked threshold and one with a tail, and the limit still holds.
    @Test func largeFilesReadInChunksGiveTheFileBytes() throws {
        let dir = try Scratch()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for size in [16 << 20, (25 << 20) + 12_345] {
            let bytes = (0..<size).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let path = dir.path("large-\(size).bin")
            try FileSystem.write(bytes, to: path)
            #expect(try FileSystem.read(path) == bytes)
            #expect(throws: FileSystem.Failure.self) { try FileSystem.read(path, limit: size - 1) }
        }
    }
}
