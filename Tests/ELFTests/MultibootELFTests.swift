// Boot plans for real ELF kernels: PT_LOAD segments at physical addresses, bss, entry
// translation for higher-half kernels, and the ELF-specific errors.

import Foundation
import Testing
@testable import ELF

@Suite(.enabled(if: Toolchain.available))
struct MultibootELFTests {
    @Test func elfKernel() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.kernel, name: "kernel.elf")
        let p = try MultibootLoader.plan(kernel: f.kernel, kernelName: "kernel.elf", cmdline: "console=ttyS0",
                                         modules: [(f.module, "module.ko debug=1")], memoryBytes: 64 << 20)
        #expect(p.entry == elf.symbol(named: "_start")?.value)
        #expect(p.kernelStart == 0x10_0000)
        let ram = GuestImage(p)
        #expect(ram.u32(0x10_0000) == Multiboot.headerMagic)
        let bss = try #require(elf.symbol(named: "big_bss"))
        #expect(p.zeroFill.contains { $0.address <= bss.value && bss.value + bss.size <= $0.address + $0.length })
        #expect(p.kernelEnd >= bss.value + bss.size)
        let counter = try #require(elf.symbol(named: "counter"))
        #expect(ram.u32(counter.value) == 5)
        let mods = ram.modules(p.info)
        #expect(mods.count == 1)
        #expect(mods[0].start == (p.kernelEnd + 0xFFF) / 0x1000 * 0x1000 + 0x1000)
        #expect(ram.bytes(mods[0].start, f.module.count) == f.module)
        #expect(ram.string(mods[0].string) == "module.ko debug=1")
        #expect(ram.string(p.info.cmdline) == "kernel.elf console=ttyS0")
        // The module is itself a parseable relocatable object in guest memory.
        #expect(try ELFFile(bytes: ram.bytes(mods[0].start, Int(mods[0].end - mods[0].start)), name: "m").type == .relocatable)
    }

    @Test func higherHalfEntryIsTranslated() throws {
        let f = try Fixtures.get()
        let elf = try ELFFile(bytes: f.higherHalfKernel, name: "kernel-high.elf")
        let p = try MultibootLoader.plan(kernel: f.higherHalfKernel, kernelName: "kernel-high.elf", cmdline: "",
                                         modules: [], memoryBytes: 64 << 20)
        #expect(elf.entry >= 0xC010_0000)
        #expect(p.entry == elf.entry - 0xC000_0000)
        #expect(p.kernelStart == 0x10_0000)
        #expect(p.warnings.isEmpty)
    }

    @Test func elfErrors() throws {
        let f = try Fixtures.get()
        // A relocatable object with a Multiboot header is not bootable.
        var rel = f.module
        rel.replaceSubrange(64..<76, with: bareHeader(at: 0, size: 12))
        #expect(throws: MultibootError.elf(.wrongType(path: "m.ko", type: 1, expected: "EXEC (a linked kernel)"))) {
            try MultibootLoader.plan(kernel: rel, kernelName: "m.ko", cmdline: "", modules: [], memoryBytes: 64 << 20)
        }
        // A 64-bit ELF with a Multiboot header: QEMU says "Cannot load x86-64 image, give a 32bit one."
        var wide = f.object64
        wide.replaceSubrange(64..<76, with: bareHeader(at: 0, size: 12))
        #expect(throws: MultibootError.elf(.notELF32(path: "k64", elfClass: 2))) {
            try MultibootLoader.plan(kernel: wide, kernelName: "k64", cmdline: "", modules: [], memoryBytes: 64 << 20)
        }
        // Overlapping PT_LOAD segments.
        let phoff = Int(f.kernel.le32(at: 28)!)
        let overlapping = patch(f.kernel, at: phoff + 32 + 12, width: 4, value: 0x10_0000)
        guard case .overlap? = planError(overlapping) else { Issue.record("overlapping segments accepted"); return }
        // A module (relocatable object, no header) booted as a kernel.
        #expect(planError(f.module) == .noHeader(path: "k"))
    }

    @Test func filesFrontEnd() throws {
        let f = try Fixtures.get()
        let p = try MultibootLoader.plan(kernelPath: f.kernelPath, cmdline: "a=1",
                                         initrd: "\(f.modulePath) x=1,\(f.modulePath)", memoryBytes: 64 << 20)
        #expect(p.modules.count == 2)
        #expect(p.modules[0].cmdline == "\(f.modulePath) x=1")
        #expect(p.kernelCommandLine == "\(f.kernelPath) a=1")
        #expect(throws: MultibootError.moduleNotFound(path: "/nonexistent.ko")) {
            try MultibootLoader.plan(kernelPath: f.kernelPath, cmdline: "", initrd: "\(f.modulePath),/nonexistent.ko args",
                                     memoryBytes: 64 << 20)
        }
    }

    func planError(_ kernel: [UInt8]) -> MultibootError? {
        do {
            _ = try MultibootLoader.plan(kernel: kernel, kernelName: "k", cmdline: "", modules: [], memoryBytes: 64 << 20)
            return nil
        } catch { return error }
    }
}
