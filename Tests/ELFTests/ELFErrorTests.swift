// Every ELFError case, from real files and from patched ones, with its one-line message.

import Foundation
import Testing
@testable import ELF

struct ELFErrorTests {
    func error(_ body: () throws -> Void) -> ELFError? {
        do { try body(); return nil } catch let e as ELFError { return e } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func missingFile() {
        let e = error { _ = try ELFFile(path: "/nonexistent/kernel.elf") }
        #expect(e == .fileNotFound(path: "/nonexistent/kernel.elf"))
        #expect(e?.description == "/nonexistent/kernel.elf: no such file")
    }

    @Test func directoryIsUnreadable() {
        let e = error { _ = try ELFFile(path: "/tmp") }
        guard case .unreadable(let path, let reason)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(path == "/tmp" && reason == "not a regular file")
    }

    @Test func unreadableFile() throws {
        guard getuid() != 0 else { return } // root reads anything
        let dir = try Toolchain.temporaryDirectory()
        let path = dir.appendingPathComponent("secret.elf").path
        _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]), attributes: [.posixPermissions: 0])
        let e = error { _ = try ELFFile(path: path) }
        guard case .unreadable? = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func notELF() {
        #expect(error { _ = try ELFFile(bytes: [], name: "empty") } == .notELF(path: "empty"))
        #expect(error { _ = try ELFFile(bytes: Array("#!/bin/sh\n".utf8), name: "x") } == .notELF(path: "x"))
        #expect(error { _ = try ELFFile(bytes: [0x7F, 0x45, 0x4C], name: "x") } == .notELF(path: "x"))
        #expect(error { _ = try ELFFile(bytes: [0x7F, 0x45, 0x4C, 0x46, 1], name: "x") }
                == .truncated(path: "x", what: "ELF identification"))
        #expect(ELFError.notELF(path: "a").description == "a: not an ELF file (no ELF magic)")
    }

    @Test(.enabled(if: Toolchain.available)) func sixtyFourBit() throws {
        let f = try Fixtures.get()
        let e = error { _ = try ELFFile(bytes: f.object64, name: "m64.o") }
        #expect(e == .notELF32(path: "m64.o", elfClass: 2))
        #expect(e?.description == "m64.o: 64-bit ELF (class 2); an ELF32 i386 file is needed")
    }

    @Test(.enabled(if: Toolchain.available)) func otherMachines() throws {
        let f = try Fixtures.get()
        let arm = error { _ = try ELFFile(bytes: f.objectARM, name: "arm.o") }
        #expect(arm == .wrongMachine(path: "arm.o", machine: 40))
        #expect(arm?.description == "arm.o: ELF for machine 40 (ARM), not i386 (3)")
        // x32: an ELF32 container for x86-64 code.
        #expect(error { _ = try ELFFile(bytes: f.objectX32, name: "x32.o") } == .wrongMachine(path: "x32.o", machine: 62))
    }

    @Test(.enabled(if: Toolchain.available)) func patchedHeaders() throws {
        let f = try Fixtures.get()
        var bigEndian = f.module
        bigEndian[5] = 2
        #expect(error { _ = try ELFFile(bytes: bigEndian, name: "m") } == .notLittleEndian(path: "m"))
        var badClass = f.module
        badClass[4] = 7
        #expect(error { _ = try ELFFile(bytes: badClass, name: "m") } == .notELF32(path: "m", elfClass: 7))
        var shared = f.module
        shared[16] = 3 // ET_DYN
        let e = error { _ = try ELFFile(bytes: shared, name: "m") }
        #expect(e == .wrongType(path: "m", type: 3, expected: "EXEC or REL"))
        #expect(e?.description == "m: ELF type 3 (DYN); expected EXEC or REL")
        var version = f.module
        version[6] = 9
        guard case .corrupt? = error({ _ = try ELFFile(bytes: version, name: "m") }) else {
            Issue.record("bad EI_VERSION accepted"); return
        }
    }

    @Test(.enabled(if: Toolchain.available)) func truncatedFiles() throws {
        let f = try Fixtures.get()
        let header = error { _ = try ELFFile(bytes: Array(f.kernel.prefix(40)), name: "k") }
        #expect(header == .truncated(path: "k", what: "ELF header"))
        #expect(header?.description == "k: truncated: the file ends inside the ELF header")
        // Cut just before the end: the section header table (last in the file) is incomplete.
        let tail = error { _ = try ELFFile(bytes: Array(f.kernel.dropLast()), name: "k") }
        #expect(tail == .truncated(path: "k", what: "section header table"))
    }

    @Test(.enabled(if: Toolchain.available)) func corruptTables() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.module, name: "m")
        let shoff = Int(f.module.le32(at: 32)!)
        let symtab = try #require(elf.section(named: ".symtab"))
        // Point the symbol table's string table at itself.
        var bytes = f.module
        let linkOffset = shoff + symtab.index * 40 + 24
        bytes[linkOffset] = UInt8(symtab.index); bytes[linkOffset + 1] = 0
        guard case .corrupt(_, let what)? = error({ _ = try ELFFile(bytes: bytes, name: "m") }) else {
            Issue.record("self-linked symtab accepted"); return
        }
        #expect(what.contains("string table"))
        // A section whose range runs past the end of the file.
        var big = f.module
        let sizeOffset = shoff + symtab.index * 40 + 20
        big[sizeOffset + 3] = 0x10
        guard case .truncated? = error({ _ = try ELFFile(bytes: big, name: "m") }) else {
            Issue.record("oversized section accepted"); return
        }
    }

    @Test func messagesAreOneLine() {
        let all: [ELFError] = [
            .fileNotFound(path: "p"), .unreadable(path: "p", reason: "r"), .notELF(path: "p"),
            .notELF32(path: "p", elfClass: 2), .notLittleEndian(path: "p"), .wrongMachine(path: "p", machine: 40),
            .wrongType(path: "p", type: 3, expected: "EXEC"), .truncated(path: "p", what: "w"),
            .corrupt(path: "p", what: "w"), .libelf(message: "m"),
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        for e in all { #expect(!e.description.contains("\n") && !e.description.isEmpty) }
    }
}
