// Reference check: boots a probe kernel under qemu-system-i386 (when installed), which
// prints the Multiboot info it received over COM1, and compares every field with the
// BootPlan for the same kernel, modules and command line. Skipped without QEMU.

import Foundation
import Testing
@testable import ELF

enum QEMU {
    static let path = Toolchain.tool("qemu-system-i386")
    static let available = path != nil && Toolchain.available

    /// Runs QEMU with a 30-second limit and returns what the guest wrote to COM1.
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + 30
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}

@Suite(.enabled(if: QEMU.available))
struct QEMUComparisonTests {
    static let probeSource = """
        typedef unsigned int u32; typedef unsigned char u8;
        __attribute__((section(".multiboot"), used, aligned(4)))
        static const u32 mb_header[3] = { 0x1BADB002, 3, -(0x1BADB002 + 3) };
        static inline void outb(unsigned short port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
        static void puts(const char *s) { while (*s) outb(0x3f8, *s++); }
        static void hex(u32 v) { for (int i = 7; i >= 0; i--) outb(0x3f8, "0123456789abcdef"[(v >> (i * 4)) & 15]); }
        static void kv(const char *k, u32 v) { puts(k); puts("="); hex(v); puts("\\n"); }
        static void ks(const char *k, const char *s) { puts(k); puts("="); puts(s); puts("\\n"); }
        void kmain(u32 magic, u32 *mbi) {
            kv("eax", magic); kv("ebx", (u32)mbi);
            kv("flags", mbi[0]); kv("mem_lower", mbi[1]); kv("mem_upper", mbi[2]); kv("boot_device", mbi[3]);
            kv("cmdline", mbi[4]); ks("cmdline_str", (const char *)mbi[4]);
            kv("mods_count", mbi[5]); kv("mods_addr", mbi[6]);
            kv("mmap_length", mbi[11]); kv("mmap_addr", mbi[12]); kv("loader", mbi[16]);
            u32 *mods = (u32 *)mbi[6];
            for (u32 i = 0; i < mbi[5]; i++) {
                kv("mod_start", mods[i * 4]); kv("mod_end", mods[i * 4 + 1]); kv("mod_string", mods[i * 4 + 2]);
                ks("mod_cmdline", (const char *)mods[i * 4 + 2]);
                u32 sum = 0; for (u8 *p = (u8 *)mods[i * 4]; p < (u8 *)mods[i * 4 + 1]; p++) sum = sum * 31 + *p;
                kv("mod_sum", sum);
            }
            for (u8 *p = (u8 *)mbi[12]; p < (u8 *)mbi[12] + mbi[11]; p += *(u32 *)p + 4) {
                u32 *e = (u32 *)(p + 4);
                kv("mmap_base", e[0]); kv("mmap_length", e[2]); kv("mmap_type", e[4]);
            }
            outb(0xf4, 0);
            for (;;) __asm__ volatile("hlt");
        }
        __attribute__((naked)) void _start(void) {
            __asm__ volatile("mov $0x80000, %esp\\n push %ebx\\n push %eax\\n call kmain\\n");
        }
        """

    /// `key=value` lines as the probe prints them, in order.
    func lines(_ output: String) -> [(String, String)] {
        output.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// The same lines computed from a BootPlan and a model of guest RAM.
    func expected(_ plan: BootPlan) -> [(String, String)] {
        let ram = GuestImage(plan)
        let info = ram.info(plan.ebx)!
        func h(_ v: UInt32) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 8 - s.count) + s }
        var out: [(String, String)] = [
            ("eax", h(plan.eax)), ("ebx", h(plan.ebx)), ("flags", h(info.flags)), ("mem_lower", h(info.memLower)),
            ("mem_upper", h(info.memUpper)), ("boot_device", h(info.bootDevice)), ("cmdline", h(info.cmdline)),
            ("cmdline_str", ram.string(info.cmdline)), ("mods_count", h(info.modsCount)), ("mods_addr", h(info.modsAddr)),
            ("mmap_length", h(info.mmapLength)), ("mmap_addr", h(info.mmapAddr)), ("loader", h(info.bootLoaderName)),
        ]
        for m in ram.modules(info) {
            out += [("mod_start", h(m.start)), ("mod_end", h(m.end)), ("mod_string", h(m.string)),
                    ("mod_cmdline", ram.string(m.string))]
            let sum = ram.bytes(m.start, Int(m.end - m.start)).reduce(UInt32(0)) { $0 &* 31 &+ UInt32($1) }
            out.append(("mod_sum", h(sum)))
        }
        for e in ram.memoryMap(info) {
            out += [("mmap_base", h(UInt32(truncatingIfNeeded: e.base))), ("mmap_length", h(UInt32(truncatingIfNeeded: e.length))),
                    ("mmap_type", h(e.type))]
        }
        return out
    }

    @Test(arguments: [(128, "console=ttyS0 x,y", ["a.ko debug=1", "b.ko"]), (33, "", [] as [String]),
                      (64, "one", ["c.ko p,,q"])])
    func bootInfoMatchesQEMU(memoryMiB: Int, append: String, initrd: [String]) throws {
        let dir = try Toolchain.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("probe.c").path
        try Self.probeSource.write(toFile: source, atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("probe.ld").path
        try Fixtures.linkerScript(virtualBase: 0x10_0000).write(toFile: script, atomically: true, encoding: .utf8)
        let object = dir.appendingPathComponent("probe.o").path
        let kernel = dir.appendingPathComponent("probe.elf").path
        try Toolchain.run(Toolchain.clang!, Fixtures.i386Flags + [source, "-o", object])
        try Toolchain.run(Toolchain.lld!, ["-m", "elf_i386", "-T", script, object, "-o", kernel])
        // Module files with distinct contents and sizes; -initrd names them by path.
        var spec: [String] = []
        for (i, entry) in initrd.enumerated() {
            let path = dir.appendingPathComponent("m\(i).bin").path
            let bytes = (0..<(3000 + i * 5000)).map { UInt8(truncatingIfNeeded: $0 * (i + 3)) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let args = entry.split(separator: " ", maxSplits: 1).dropFirst().first.map { " " + $0 } ?? ""
            spec.append(path + args)
        }
        let initrdSpec = spec.isEmpty ? nil : spec.joined(separator: ",")
        var arguments = ["-m", "\(memoryMiB)", "-kernel", kernel, "-append", append, "-serial", "stdio",
                         "-display", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        if let initrdSpec { arguments += ["-initrd", initrdSpec] }
        let observed = lines(try QEMU.run(arguments))
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: initrdSpec,
                                            memoryBytes: UInt64(memoryMiB) << 20)
        let wanted = expected(plan)
        #expect(observed.count == wanted.count)
        for (o, w) in zip(observed, wanted) {
            #expect(o.0 == w.0 && o.1 == w.1, "QEMU \(o.0)=\(o.1), plan \(w.0)=\(w.1)")
        }
    }
}
