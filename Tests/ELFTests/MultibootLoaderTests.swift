// Boot plans: the info structure, module and command-line placement, memory map and
// errors, decoded back from a model of guest RAM. Expected addresses were observed
// with QEMU 7.2 (-m 128) booting a probe kernel that prints its Multiboot info.

import Testing
@testable import ELF

struct MultibootLoaderTests {
    func plan(_ kernel: [UInt8], name: String = "k.elf", cmdline: String = "",
              modules: [(bytes: [UInt8], cmdline: String)] = [], memory: UInt64 = 128 << 20,
              strict: Bool = false) -> Result<BootPlan, MultibootError> {
        do {
            return .success(try MultibootLoader.plan(kernel: kernel, kernelName: name, cmdline: cmdline,
                                                     modules: modules, memoryBytes: memory, strictFlags: strict))
        } catch { return .failure(error) }
    }

    /// QEMU: -kernel k.elf (0x562 bytes at 0x100000) -initrd "m1.bin arg1 arg2,m2.bin" -append "hello world".
    @Test func layoutMatchesQEMU() throws {
        let p = try plan(flatKernel(size: 0x562), cmdline: "hello world",
                         modules: [([UInt8](repeating: 0xAA, count: 5000), "m1.bin arg1 arg2"),
                                   ([UInt8](repeating: 0xBB, count: 4096), "m2.bin")]).get()
        #expect(p.eax == 0x2BAD_B002 && p.ebx == 0x9500)
        #expect(p.entry == 0x10_0020)
        let ram = GuestImage(p)
        let info = try #require(ram.info(p.ebx))
        #expect(info == p.info)
        #expect(info.flags == 0x24F)
        #expect(info.memLower == 0x27F && info.memUpper == 0x1_FB80)
        #expect(info.bootDevice == 0x8000_FFFF)
        #expect(info.modsCount == 2 && info.modsAddr == 0x10_1000)
        #expect(info.cmdline == 0x10_1038)
        #expect(info.bootLoaderName == 0x10_104A)
        #expect(info.mmapAddr == 0x9000 && info.mmapLength == 0x90)
        #expect(ram.string(info.cmdline) == "k.elf hello world")
        #expect(ram.string(info.bootLoaderName) == "nooks-emu")
        let mods = ram.modules(info)
        #expect(mods == [MultibootModuleEntry(start: 0x10_2000, end: 0x10_3388, string: 0x10_1020),
                         MultibootModuleEntry(start: 0x10_4000, end: 0x10_5000, string: 0x10_1031)])
        #expect(ram.string(mods[0].string) == "m1.bin arg1 arg2")
        #expect(ram.string(mods[1].string) == "m2.bin")
        #expect(ram.bytes(0x10_2000, 5000) == [UInt8](repeating: 0xAA, count: 5000))
        #expect(ram.bytes(0x10_4000, 4096) == [UInt8](repeating: 0xBB, count: 4096))
        #expect(p.modules.map(\.start) == [0x10_2000, 0x10_4000])
        #expect(p.modules.map(\.cmdlineAddress) == [0x10_1020, 0x10_1031])
        #expect(p.imageEnd == 0x10_5000)
        #expect(ram.memoryMap(info) == [
            MemoryMapEntry(base: 0, length: 0x9_FC00, type: 1),
            MemoryMapEntry(base: 0x9_FC00, length: 0x400, type: 2),
            MemoryMapEntry(base: 0xF_0000, length: 0x1_0000, type: 2),
            MemoryMapEntry(base: 0x10_0000, length: 0x7EE_0000, type: 1),
            MemoryMapEntry(base: 0x7FE_0000, length: 0x2_0000, type: 2),
            MemoryMapEntry(base: 0xFFFC_0000, length: 0x4_0000, type: 2),
        ])
        #expect(p.warnings.isEmpty)
    }

    /// QEMU: -initrd "m1.bin a,,b c,m2.bin" -append "x,y,,z": ",," is a comma in module lines,
    /// and QEMU reserves string space for the escaped form.
    @Test func commasMatchQEMU() throws {
        let modules = MultibootLoader.parseInitrd("m1.bin a,,b c,m2.bin")
        #expect(modules.map(\.path) == ["m1.bin", "m2.bin"])
        #expect(modules.map(\.cmdline) == ["m1.bin a,b c", "m2.bin"])
        let p = try plan(flatKernel(size: 0x562), cmdline: "x,y,,z",
                         modules: [([UInt8](repeating: 1, count: 5000), modules[0].cmdline),
                                   ([UInt8](repeating: 2, count: 4096), modules[1].cmdline)]).get()
        let ram = GuestImage(p)
        #expect(p.info.cmdline == 0x10_1034 && ram.string(p.info.cmdline) == "k.elf x,y,,z")
        #expect(ram.modules(p.info).map(\.string) == [0x10_1020, 0x10_102D])
        #expect(ram.string(0x10_1020) == "m1.bin a,b c")
        #expect(p.info.bootLoaderName == 0x10_1042)
    }

    @Test func memoryMapForOtherSizes() {
        // Observed with -m 8, 33, 1000: the top 128 KiB of RAM is reserved.
        for (mib, upper) in [(8, 0x1B80), (33, 0x7F80), (1000, 0xF_9B80)] as [(UInt64, UInt32)] {
            #expect(PCMemoryMap.memUpperKiB(memoryBytes: mib << 20) == upper)
            let map = PCMemoryMap.entries(memoryBytes: mib << 20)
            #expect(map.count == 6)
            #expect(map[4] == MemoryMapEntry(base: (mib << 20) - 0x2_0000, length: 0x2_0000, type: 2))
        }
    }

    @Test func noModules() throws {
        let p = try plan(flatKernel(size: 100), cmdline: "").get()
        #expect(p.info.modsCount == 0 && p.info.modsAddr == 0x10_1000)
        #expect(p.info.cmdline == 0x10_1000)
        #expect(GuestImage(p).string(p.info.cmdline) == "k.elf ")
        #expect(p.modules.isEmpty)
        #expect(p.imageEnd == 0x10_2000)
    }

    @Test func emptyAndManyModules() throws {
        let modules = (0..<5).map { i in ([UInt8](repeating: UInt8(i), count: i * 3000), "mod\(i).ko arg=\(i)") }
        let p = try plan(flatKernel(size: 300), modules: modules).get()
        let ram = GuestImage(p)
        let entries = ram.modules(p.info)
        #expect(entries.count == 5)
        #expect(entries[0].start == entries[0].end)           // empty module takes no space
        #expect(entries[1].start == entries[0].start)
        for (i, e) in entries.enumerated() {
            #expect(e.start % 4096 == 0)
            #expect(e.end - e.start == UInt32(i * 3000))
            #expect(ram.string(e.string) == "mod\(i).ko arg=\(i)")
            if i > 0 { #expect(e.start >= entries[i - 1].end) }
            #expect(ram.bytes(e.start, i * 3000) == [UInt8](repeating: UInt8(i), count: i * 3000))
        }
    }

    @Test func addressFieldsWithBss() throws {
        // Header at file offset 64, text starts 64 bytes before the header's address.
        let kernel = flatKernel(size: 512, headerOffset: 64, headerAddr: 0x20_0040, loadAddr: 0x20_0000,
                                loadEnd: 0x20_0100, bssEnd: 0x20_3000, entry: 0x20_0080)
        let p = try plan(kernel).get()
        #expect(p.kernelStart == 0x20_0000 && p.kernelEnd == 0x20_3000)
        #expect(p.segments[0] == BootSegment(address: 0x20_0000, bytes: Array(kernel[0..<0x100]), label: "kernel image"))
        #expect(p.zeroFill == [BootZeroFill(address: 0x20_0100, length: 0x2F00)])
        #expect(p.entry == 0x20_0080)
        #expect(p.info.modsAddr == 0x20_3000)
    }

    @Test func addressFieldErrorsLikeQEMU() {
        func reason(_ kernel: [UInt8]) -> String? {
            if case .failure(.badHeader(_, let reason)) = plan(kernel) { return reason }
            return nil
        }
        #expect(reason(flatKernel(size: 256, headerAddr: 0xF_FFFF, loadAddr: 0x10_0000))?.contains("below load_addr") == true)
        #expect(reason(flatKernel(size: 256, headerOffset: 16, headerAddr: 0x10_0020, loadAddr: 0x10_0000))?
                    .contains("exceeds the header's file offset") == true)
        #expect(reason(flatKernel(size: 256, loadEnd: 0xF_0000))?.contains("load_end_addr") == true)
        #expect(reason(flatKernel(size: 256, loadEnd: 0x10_0100, bssEnd: 0x10_0080))?.contains("bss_end_addr") == true)
        #expect(reason(flatKernel(size: 256, loadEnd: 0x10_1000))?.contains("beyond the end of the file") == true)
        // The address fields themselves cut off by the end of the file.
        #expect(reason(Array(flatKernel(size: 32).prefix(20)))?.contains("past the end") == true)
        // QEMU: "kernel does not fit in address space".
        guard case .failure(.tooLarge)? = Optional(plan(flatKernel(size: 256, headerAddr: 0xFFFF_FF80, loadAddr: 0xFFFF_FF80))) else {
            Issue.record("wrapping kernel accepted"); return
        }
    }

    @Test func requiredFlagsWarnOrFail() throws {
        let kernel = flatKernel(size: 256, flags: 0x1_0007)
        let p = try plan(kernel).get()
        #expect(p.warnings.count == 1 && p.warnings[0].contains("video mode"))
        #expect(plan(kernel, strict: true) == .failure(.unsupported(path: "k.elf", flags: 0x1_0007)))
        let odd = try plan(flatKernel(size: 256, flags: 0x1_0103)).get()
        #expect(odd.warnings.count == 1 && odd.warnings[0].contains("0x100"))
    }

    @Test func tooLargeForMemory() {
        let big = [UInt8](repeating: 0, count: 3 << 20)
        guard case .failure(.tooLarge(let what, _, let limit)) = plan(flatKernel(size: 256), modules: [(big, "big.ko")],
                                                                         memory: 4 << 20) else {
            Issue.record("oversized module accepted"); return
        }
        #expect(what == "module 0 (big.ko)")
        #expect(limit == (4 << 20) - 0x2_0000)
        guard case .failure(.tooLarge(let kernelWhat, _, _)) = plan(flatKernel(size: 3 << 20), memory: 2 << 20) else {
            Issue.record("oversized kernel accepted"); return
        }
        #expect(kernelWhat == "kernel image")
    }

    @Test func overlaps() {
        // Kernel over the info structure at 0x9000.
        guard case .failure(.overlap(_, let with)) = plan(flatKernel(size: 0x200, headerAddr: 0x8F00, loadAddr: 0x8F00)) else {
            Issue.record("kernel over the info area accepted"); return
        }
        #expect(with.contains("info structure"))
        // Kernel in the VGA/BIOS hole.
        guard case .failure(.overlap(_, let hole)) = plan(flatKernel(size: 256, headerAddr: 0xA_0000, loadAddr: 0xA_0000)) else {
            Issue.record("kernel in the hole accepted"); return
        }
        #expect(hole.contains("memory"))
        // A low kernel whose modules would run into the EBDA.
        guard case .failure(.overlap(let what, _)) = plan(flatKernel(size: 256, headerAddr: 0x1_0000, loadAddr: 0x1_0000),
                                                          modules: [([UInt8](repeating: 0, count: 0x9_0000), "m.ko")]) else {
            Issue.record("module over the EBDA accepted"); return
        }
        #expect(what.hasPrefix("module 0"))
    }

    @Test func notMultiboot() {
        #expect(plan([UInt8](repeating: 0, count: 100)) == .failure(.noHeader(path: "k.elf")))
        // A header without bit 16 in a file that is not ELF: QEMU fails to load it as ELF.
        #expect(plan(bareHeader(at: 0, size: 256)) == .failure(.elf(.notELF(path: "k.elf"))))
    }

    @Test func messagesAreDistinctLines() {
        let all: [MultibootError] = [
            .noHeader(path: "k"), .badChecksum(path: "k", offset: 8), .elf(.notELF(path: "k")),
            .badHeader(path: "k", reason: "r"), .tooLarge(what: "w", end: 2, limit: 1), .overlap(what: "a", with: "b"),
            .unsupported(path: "k", flags: 4), .moduleNotFound(path: "m"), .moduleUnreadable(path: "m", reason: "r"),
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        for e in all { #expect(!e.description.contains("\n")) }
        #expect(MultibootError.noHeader(path: "k").description == "k: no Multiboot header (magic 0x1badb002) in the first 8 KiB")
    }

    @Test func filesFrontEnd() throws {
        guard case .failure(.elf(.fileNotFound))? = Optional(Result { () throws(MultibootError) in
            try MultibootLoader.plan(kernelPath: "/nonexistent.elf", cmdline: "", initrd: nil, memoryBytes: 64 << 20)
        }) else { Issue.record("missing kernel accepted"); return }
    }
}
