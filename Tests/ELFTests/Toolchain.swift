// Test support: finds the toolchain's clang and ld.lld and builds small guest objects
// (i386 kernel, relocatable module, 64-bit and ARM objects) into a temporary directory.

import Foundation

/// Errors while building test objects.
struct BuildError: Error, CustomStringConvertible {
    var description: String
}

enum Toolchain {
    /// A tool from the Swift toolchain (/opt/swift/usr/bin) or, failing that, from PATH.
    static func tool(_ name: String) -> String? {
        var candidates = ["/opt/swift/usr/bin/\(name)"]
        if let path = ProcessInfo.processInfo.environment["PATH"] {
            candidates += path.split(separator: ":").map { "\($0)/\(name)" }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let clang = tool("clang")
    static let lld = tool("ld.lld")
    /// Whether test objects can be built here.
    static let available = clang != nil && lld != nil

    /// Runs a tool, throwing with its output if it fails.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BuildError(description: "\(executable) \(arguments.joined(separator: " ")) failed:\n"
                             + String(decoding: output, as: UTF8.self))
        }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nooks-elf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
