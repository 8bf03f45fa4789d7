// Test support: assemble i386 AT&T assembly with the toolchain's clang and
// return the flat bytes (via llvm-objcopy -O binary), cached per source text.

import Foundation

enum Assembler {
    static let toolDir: String = {
        for d in ["/opt/swift/usr/bin", "/usr/bin"] where FileManager.default.fileExists(atPath: d + "/clang") { return d }
        return "/usr/bin"
    }()

    nonisolated(unsafe) static var cache: [String: [UInt8]] = [:]
    static let lock = NSLock()

    /// Assemble `source` (placed at `origin` via `.org`-free linking) into flat bytes.
    static func assemble(_ source: String, origin: UInt32 = 0x1000) throws -> [UInt8] {
        let key = "\(origin):\(source)"
        lock.lock(); if let c = cache[key] { lock.unlock(); return c }; lock.unlock()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nooks-asm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = dir.appendingPathComponent("t.s"), o = dir.appendingPathComponent("t.o")
        let e = dir.appendingPathComponent("t.elf"), b = dir.appendingPathComponent("t.bin")
        try (".code32\n.text\n.globl _start\n_start:\n" + source + "\n").write(to: s, atomically: true, encoding: .utf8)
        try run(toolDir + "/clang", ["--target=i386-unknown-none-elf", "-c", "-x", "assembler", s.path, "-o", o.path])
        try run(toolDir + "/ld.lld", ["-m", "elf_i386", "--image-base=0", "-Ttext=0x" + String(origin, radix: 16), "-e", "_start", o.path, "-o", e.path])
        try run(toolDir + "/llvm-objcopy", ["-O", "binary", "--only-section=.text", e.path, b.path])
        let bytes = [UInt8](try Data(contentsOf: b))
        lock.lock(); cache[key] = bytes; lock.unlock()
        return bytes
    }

    struct ToolFailed: Error, CustomStringConvertible { var description: String }

    static func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ToolFailed(description: "\(tool) failed: \(msg)")
        }
    }
}
