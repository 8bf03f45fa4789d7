// Test support: the guest images built from guest-images/ (built once per test run).

import Foundation

enum TestImages {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)   // Tests/MachineTests/Support/GuestImages.swift
        return parts.joined(separator: "/")
    }()
    static var dir: String { root + "/guest-images" }

    nonisolated(unsafe) static var built = false
    static let lock = NSLock()

    /// Path of a built image, running `make -C guest-images` once if needed.
    static func path(_ name: String) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if !built {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/make")
            p.arguments = ["-s", "-C", dir]
            try p.run(); p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw Failure(description: "make -C guest-images failed") }
            built = true
        }
        return dir + "/build/" + name
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static var qemuAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-i386") }

    /// Run a command, return (status, stdout).
    static func run(_ exe: String, _ args: [String], timeout: Double = 120) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
