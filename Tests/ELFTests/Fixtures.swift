// Test fixtures: real ELF files compiled once per test run from the C sources below
// (a Multiboot kernel, a higher-half kernel, a driver-style module, foreign objects).

import Foundation

/// The built files' paths and bytes.
struct Fixtures: Sendable {
    var directory: URL
    var kernelPath: String
    var kernel: [UInt8]
    var higherHalfKernel: [UInt8]
    var modulePath: String
    var module: [UInt8]
    var object64: [UInt8]
    var objectARM: [UInt8]
    var objectX32: [UInt8]

    /// Built on first use; nil (with the reason in `buildError`) when the toolchain is missing or fails.
    static let shared: Result<Fixtures, BuildError> = {
        guard let clang = Toolchain.clang, let lld = Toolchain.lld else {
            return .failure(BuildError(description: "clang/ld.lld not found"))
        }
        do { return .success(try build(clang: clang, lld: lld)) } catch let error as BuildError {
            return .failure(error)
        } catch {
            return .failure(BuildError(description: "\(error)"))
        }
    }()

    /// The fixtures, or a thrown BuildError.
    static func get() throws -> Fixtures { try shared.get() }

    static let i386Flags = ["--target=i386-unknown-none-elf", "-march=i686", "-ffreestanding", "-fno-pic",
                            "-nostdlib", "-mno-sse", "-mno-mmx", "-mno-80387", "-O2", "-c"]

    static func build(clang: String, lld: String) throws -> Fixtures {
        let dir = try Toolchain.temporaryDirectory()
        func write(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
        let kernelC = try write("kernel.c", kernelSource)
        let moduleC = try write("module.c", moduleSource)
        let lowScript = try write("low.ld", linkerScript(virtualBase: 0x10_0000))
        let highScript = try write("high.ld", linkerScript(virtualBase: 0xC010_0000))
        let kernelO = dir.appendingPathComponent("kernel.o").path
        let kernelElf = dir.appendingPathComponent("kernel.elf").path
        let highElf = dir.appendingPathComponent("kernel-high.elf").path
        let moduleO = dir.appendingPathComponent("module.ko").path
        let o64 = dir.appendingPathComponent("m64.o").path
        let oARM = dir.appendingPathComponent("arm.o").path
        let oX32 = dir.appendingPathComponent("x32.o").path
        try Toolchain.run(clang, i386Flags + [kernelC, "-o", kernelO])
        try Toolchain.run(lld, ["-m", "elf_i386", "-T", lowScript, kernelO, "-o", kernelElf])
        try Toolchain.run(lld, ["-m", "elf_i386", "-T", highScript, kernelO, "-o", highElf])
        try Toolchain.run(clang, i386Flags + [moduleC, "-o", moduleO])
        try Toolchain.run(clang, ["--target=x86_64-unknown-none-elf", "-ffreestanding", "-c", moduleC, "-o", o64])
        try Toolchain.run(clang, ["--target=armv7-none-eabi", "-ffreestanding", "-c", moduleC, "-o", oARM])
        try Toolchain.run(clang, ["--target=x86_64-unknown-linux-gnux32", "-ffreestanding", "-c", moduleC, "-o", oX32])
        return Fixtures(directory: dir, kernelPath: kernelElf, kernel: try read(kernelElf),
                        higherHalfKernel: try read(highElf), modulePath: moduleO, module: try read(moduleO),
                        object64: try read(o64), objectARM: try read(oARM), objectX32: try read(oX32))
    }

    static let kernelSource = """
        #define MB_FLAGS 0x3
        __attribute__((section(".multiboot"), used, aligned(4)))
        static const unsigned int mb_header[3] = { 0x1BADB002, MB_FLAGS, -(0x1BADB002 + MB_FLAGS) };
        int counter = 5;
        unsigned char big_bss[8192];
        __attribute__((noinline)) static int helper(int x) { return x * 3 + counter; }
        int kmain(unsigned magic, void *info) { big_bss[10] = 1; return helper((int)magic) + (info != 0); }
        void _start(void) { kmain(0x2BADB002, 0); for (;;) __asm__ volatile("hlt"); }
        """

    static let moduleSource = """
        extern int kernel_register(const char *name, int (*fn)(int));
        extern int kernel_value;
        static int ops_calls;
        static int probe(int x) { ops_calls++; return x + kernel_value; }
        int (*const ops_table[2])(int) = { probe, 0 };
        const char mod_name[] = "demo";
        int init_module(void) { return kernel_register(mod_name, probe); }
        """

    /// Loads at physical 0x100000; `virtualBase` different from that makes a higher-half kernel.
    static func linkerScript(virtualBase: UInt32) -> String {
        func at(_ section: String) -> String {
            virtualBase == 0x10_0000 ? "" : " AT(ADDR(\(section)) - 0x\(String(virtualBase - 0x10_0000, radix: 16)))"
        }
        return """
            ENTRY(_start)
            SECTIONS {
              . = 0x\(String(virtualBase, radix: 16));
              .text :\(at(".text")) { *(.multiboot) *(.text*) *(.rodata*) }
              . = ALIGN(4096);
              .data :\(at(".data")) { *(.data*) }
              .bss :\(at(".bss")) { *(.bss*) *(COMMON) }
            }
            """
    }
}
