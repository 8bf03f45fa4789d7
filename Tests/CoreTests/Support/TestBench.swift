// Test support: a bare CPU with a GDT (flat ring 0/3 code and data + a TSS), an
// IDT whose every vector lands in a stub that records the vector and error code,
// and helpers to build page tables — enough to test system behaviour without
// devices.
//
// Memory layout (physical):
//   0x0800 GDT      0x1000 code under test   0x6000 IDT   0x6800 TSS
//   0x7000 exception stubs (one 16-byte stub per vector)
//   0x8000 record: [vector, error code, eip, cs, eflags, count]
//   0x9000 kernel stack top   0x10000 page directory   0x11000.. page tables

@testable import Core

final class TestBench {
    let mem: PhysicalMemory
    let cpu: CPU
    static let gdt: UInt32 = 0x800, idt: UInt32 = 0x6000, tss: UInt32 = 0x6800
    static let stubs: UInt32 = 0x7000, record: UInt32 = 0x8000, stack: UInt32 = 0x9000
    static let pageDir: UInt32 = 0x10000

    init(memory: Int = 4 << 20) {
        mem = PhysicalMemory(size: memory)
        cpu = CPU(memory: mem)
        // GDT: null, code0 (0x08), data0 (0x10), code3 (0x1b), data3 (0x23), TSS (0x28)
        let descs: [(UInt32, UInt32)] = [
            (0, 0),
            (0x0000_FFFF, 0x00CF_9A00), (0x0000_FFFF, 0x00CF_9200),
            (0x0000_FFFF, 0x00CF_FA00), (0x0000_FFFF, 0x00CF_F200),
            (0x0000_0067 | (TestBench.tss << 16), 0x0000_8900 | ((TestBench.tss >> 16) & 0xFF)),
        ]
        for (i, d) in descs.enumerated() {
            mem.store32(TestBench.gdt + UInt32(i * 8), d.0)
            mem.store32(TestBench.gdt + UInt32(i * 8) + 4, d.1)
        }
        cpu.gdtr.base = TestBench.gdt; cpu.gdtr.limit = UInt16(descs.count * 8 - 1)
        // TSS: ESP0, SS0
        mem.store32(TestBench.tss + 4, TestBench.stack)
        mem.store32(TestBench.tss + 8, 0x10)
        // Stubs: each records vector, error code (if any), frame, then stops with HLT.
        for v in 0..<64 {
            let hasErr = [8, 10, 11, 12, 13, 14, 17].contains(v)
            let stub = TestBench.stubs + UInt32(v * 32)  // 64 stubs fill 0x7000-0x7800
            var code: [UInt8] = []
            // mov dword [record], v
            code += [0xC7, 0x05] + le(TestBench.record) + le(UInt32(v))
            if hasErr {
                code += [0x58]                                        // pop eax (error code)
                code += [0xA3] + le(TestBench.record + 4)             // mov [record+4], eax
            }
            code += [0x8B, 0x04, 0x24, 0xA3] + le(TestBench.record + 8)   // mov eax,[esp]; mov [rec+8],eax
            code += [0xF4]                                            // hlt
            code += [0xEB, 0xFD]                                      // jmp back to hlt
            mem.write(code, at: stub)
            // interrupt gate, DPL 3 for vectors 0x30+ (software), else 0
            let dpl: UInt32 = v >= 0x20 ? 3 : 0
            mem.store32(TestBench.idt + UInt32(v * 8), (0x08 << 16) | (stub & 0xFFFF))
            mem.store32(TestBench.idt + UInt32(v * 8) + 4, (stub & 0xFFFF_0000) | 0x8E00 | (dpl << 13))
        }
        cpu.idtr.base = TestBench.idt; cpu.idtr.limit = 64 * 8 - 1
        cpu.resetSegmentsForTests()
        cpu[.esp] = TestBench.stack
        mem.store32(TestBench.record, 0xFFFF_FFFF)
    }

    /// The recorded exception: (vector, error code, return EIP).
    var recorded: (vector: UInt32, error: UInt32, eip: UInt32) {
        (mem.load32(TestBench.record), mem.load32(TestBench.record + 4), mem.load32(TestBench.record + 8))
    }

    /// Load assembly at 0x1000 and point EIP at it.
    func load(_ asm: String, at origin: UInt32 = 0x1000) throws {
        let bytes = try Assembler.assemble(asm, origin: origin)
        mem.write(bytes, at: origin)
        cpu.eip = origin
    }

    /// Identity-map the first `mib` MiB with 4 KiB pages (flags per page given by `flags`), enable paging.
    func enablePaging(mib: Int = 4, wp: Bool = true, flags: (UInt32) -> UInt32 = { _ in 0x3 }) {
        let pd = TestBench.pageDir
        for t in 0..<mib / 4 {
            let pt = pd + 0x1000 * UInt32(t + 1)
            mem.store32(pd + UInt32(t * 4), pt | 0x7)
            for i in 0..<1024 {
                let pa = UInt32(t * 0x40_0000 + i * 0x1000)
                mem.store32(pt + UInt32(i * 4), pa | flags(pa))
            }
        }
        cpu.loadCR3(pd)
        try! cpu.writeCR0(cpu.cr0 | CR0.pg | (wp ? CR0.wp : 0))
    }

    /// Physical address of the PTE for `la` (4 KiB identity map made by `enablePaging`).
    func pte(_ la: UInt32) -> UInt32 {
        let pde = mem.load32(TestBench.pageDir + (la >> 22) * 4)
        return (pde & 0xFFFF_F000) + ((la >> 12) & 0x3FF) * 4
    }
}

func le(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }

extension CPU {
    /// Flat ring-0 segments with the selectors of the TestBench GDT.
    func resetSegmentsForTests() {
        var code = SegmentCache(); code.selector = 0x08; code.access = 0x9B
        var data = SegmentCache(); data.selector = 0x10; data.access = 0x93
        seg = [data, code, data, data, data, data]
        tr.selector = 0x28; tr.base = TestBench.tss; tr.limit = 0x67; tr.access = 0x8B
    }
}
