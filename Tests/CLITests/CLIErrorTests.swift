// The CLI driven as a user drives it: bad inputs give one error line and a
// distinct exit status; good ones boot.

import Testing
import Foundation
import ArgumentParser
@testable import NooksEmuCLI

/// Run `nooks-emu ARGS` in-process and return its exit status.
func nooksEmu(_ args: [String]) -> Int32 {
    do {
        var cmd = try NooksEmuCommand.parseAsRoot(args)
        try cmd.run()
        return 0
    } catch let e as ExitCode {
        return e.rawValue
    } catch {
        return NooksEmuCommand.exitCode(for: error).rawValue
    }
}

enum Fixtures {
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nooks-cli-\(getpid())")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let p = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    /// Compile C with the toolchain's clang for `target` and link (i386) or just assemble.
    static func elf(_ name: String, target: String, link: Bool) throws -> String {
        let c = dir.appendingPathComponent(name + ".c")
        try "int _start(void) { for (;;) {} }\n".write(to: c, atomically: true, encoding: .utf8)
        let o = dir.appendingPathComponent(name + ".o").path
        try run("/opt/swift/usr/bin/clang", ["--target=\(target)", "-ffreestanding", "-nostdlib", "-c", c.path, "-o", o])
        guard link else { return o }
        let out = dir.appendingPathComponent(name).path
        try run("/opt/swift/usr/bin/ld.lld", ["-m", "elf_i386", "-e", "_start", o, "-o", out])
        return out
    }

    static func run(_ exe: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        try p.run(); p.waitUntilExit()
        if p.terminationStatus != 0 { throw CocoaError(.fileWriteUnknown) }
    }
}

@Suite("nooks-emu boot: bad inputs")
struct CLIErrorTests {
    @Test("a missing kernel file")
    func missing() {
        #expect(nooksEmu(["boot", "/nonexistent/kernel.elf"]) == ExitStatus.kernelMissing)
    }

    @Test("a file that is not ELF")
    func notELF() {
        let p = Fixtures.file("garbage.bin", Array("this is not an ELF file at all".utf8))
        #expect(nooksEmu(["boot", p]) == ExitStatus.notELF)
        let empty = Fixtures.file("empty.bin", [])
        #expect(nooksEmu(["boot", empty]) == ExitStatus.notELF)
    }

    @Test("a 64-bit ELF")
    func elf64() throws {
        let p = try Fixtures.elf("k64", target: "x86_64-unknown-none-elf", link: false)
        #expect(nooksEmu(["boot", p]) == ExitStatus.wrongClass)
    }

    @Test("an ELF without a Multiboot header")
    func noHeader() throws {
        let p = try Fixtures.elf("nomb", target: "i386-unknown-none-elf", link: true)
        #expect(nooksEmu(["boot", p]) == ExitStatus.noMultiboot)
    }

    @Test("a module that does not exist")
    func missingModule() throws {
        let kernel = try Fixtures.elf("nomb2", target: "i386-unknown-none-elf", link: true)
        _ = kernel
        // The module is checked before the kernel's header only if the kernel is valid, so use the real image.
        let status = nooksEmu(["boot", "--module", "/nonexistent/driver.ko:arg=1"])
        #expect(status == ExitStatus.moduleMissing)
    }

    @Test("bad option values are usage errors")
    func usage() {
        #expect(nooksEmu(["boot", "--memory", "0"]) == ExitStatus.usage)
        #expect(nooksEmu(["boot", "--memory", "lots"]) == ExitStatus.usage)
        #expect(nooksEmu(["boot", "--no-such-option"]) == ExitStatus.usage)
        #expect(nooksEmu(["frobnicate", "x", "y"]) == ExitStatus.usage)
    }
}

@Suite("nooks-emu boot: running")
struct CLIBootTests {
    @Test("the default image boots and powers off: exit status 0")
    func defaultImage() {
        #expect(nooksEmu(["boot"]) == 0)
    }

    @Test("--max-instructions stops the guest with its own status")
    func budget() {
        #expect(nooksEmu(["boot", "--max-instructions", "1000"]) == ExitStatus.instructionLimit)
    }
}

@Suite("nooks-emu boot: disks and host networking")
struct CLIDiskNetTests {
    @Test("a missing, empty or non-regular disk image is exit status 88")
    func badDisk() {
        #expect(nooksEmu(["boot", "--disk", "/nonexistent/disk.img"]) == ExitStatus.diskUnusable)
        let empty = Fixtures.file("empty-disk.img", [])
        #expect(nooksEmu(["boot", "--disk", empty]) == ExitStatus.diskUnusable)
        #expect(nooksEmu(["boot", "--disk", "/tmp"]) == ExitStatus.diskUnusable)
    }

    @Test("a host forward on a non-loopback address is a usage error; a port already in use is 90")
    func hostForward() throws {
        #expect(nooksEmu(["boot", "--net", "user,hostfwd=tcp:0.0.0.0:8080-:80"]) == ExitStatus.usage)
        // Occupy a loopback port, then ask slirp to forward it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        #expect(nooksEmu(["boot", "--net", "user,hostfwd=tcp:127.0.0.1:\(port)-:80", "--max-instructions", "1000"]) == ExitStatus.hostNetwork)
    }
}
