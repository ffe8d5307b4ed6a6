import Foundation

/// Runs one of the built tools (`zkinfer`, `zkverify`) as a user would: exit status and both streams, read to the
/// end before waiting so a chatty tool cannot block on a full pipe. `environment` replaces the process's own
/// when given (e.g. a private XDG_CONFIG_HOME, so no trusted-SRS file of the user's counts).
public func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws
    -> (code: Int32, out: String, err: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
