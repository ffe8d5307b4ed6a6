import Foundation
import Testing

/// Committed bench results record no path of the machine they ran on (issue 18, item 9): the writer
/// (bench/ezkl/common.py `without_machine_paths`, bench/fleet) makes them relative to the repository.
struct BenchResultsTests {
    @Test func committedResultsNameNoMachinePaths() throws {
        let folder = Tools.root.appendingPathComponent("bench/results")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") || $0.hasSuffix(".md") }
        #expect(!names.isEmpty)
        let roots = ["/work/", "/root/", "/home/", "/tmp/", "/Users/", "/opt/", "/var/", "/srv/", "/mnt/", Tools.root.path]
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for root in roots {
                // A path starts after a quote, a space, a backtick, "(" or "=", or at a line's start.
                for lead in ["\"", " ", "`", "(", "=", "\n"] {
                    #expect(!text.contains(lead + root), "\(name) records a machine path (\(root))")
                }
            }
        }
    }
}
