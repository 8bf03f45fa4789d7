// System-level CPU tests: exceptions through the IDT with their error codes,
// paging and CR0.WP, TLB behaviour, ring 3 through the TSS, interrupts and the
// STI shadow, HLT, self-modifying code, triple faults and determinism.

import Testing
@testable import Core

@Suite("Exceptions through the IDT")
struct ExceptionTests {
    @Test("#DE from div by zero, return EIP at the div")
    func divideError() throws {
        let t = TestBench()
        try t.load("xor %ecx, %ecx\n mov $5, %eax\n div %ecx\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 0)
        #expect(t.recorded.eip == 0x1000 + 2 + 5)
    }

    @Test("#UD from ud2 and from an unknown opcode")
    func invalidOpcode() throws {
        let t = TestBench()
        try t.load("ud2")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 6)
        let t2 = TestBench()
        t2.mem.write([0x0F, 0xFF], at: 0x1000)   // undefined two-byte opcode
        t2.cpu.eip = 0x1000
        _ = t2.cpu.run(maxInstructions: 100)
        #expect(t2.recorded.vector == 6)
        #expect(t2.recorded.eip == 0x1000)
    }

    @Test("#GP with the selector as error code when loading a bad selector")
    func badSelector() throws {
        let t = TestBench()
        try t.load("mov $0x50, %ax\n mov %ax, %ds\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 13)
        #expect(t.recorded.error == 0x50)
    }

    @Test("#GP(0) for a privileged instruction in ring 3; #NP for a not-present gate")
    func privileged() throws {
        let t = TestBench()
        t.mem.store32(TestBench.idt + 0x31 * 8 + 4, t.mem.load32(TestBench.idt + 0x31 * 8 + 4) & ~0x8000)
        try t.load("int $0x31\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 11)
        #expect(t.recorded.error == 0x31 * 8 + 2)
    }

    @Test("an exception while delivering #GP becomes #DF; a fault in #DF is a triple fault")
    func tripleFault() throws {
        let t = TestBench()
        try t.load("ud2")
        t.cpu.idtr.limit = 0          // nothing is deliverable
        let r = t.cpu.run(maxInstructions: 100)
        guard case .tripleFault(let report) = r else { Issue.record("expected triple fault, got \(r)"); return }
        #expect(report.faults.map(\.vector) == [6, 13, 13, 8, 13])
        #expect(report.eip == 0x1000)
    }

    @Test("software INT honours the gate DPL from ring 3")
    func gateDPL() throws {
        let t = TestBench()
        try enterRing3(t, userCode: "int $0x05\n hlt")   // vector 5 gate has DPL 0
        _ = t.cpu.run(maxInstructions: 200)
        #expect(t.recorded.vector == 13)
        #expect(t.recorded.error == 5 * 8 + 2)
    }
}

@Suite("Paging and the MMU")
struct PagingTests {
    @Test("#PF on a not-present page: CR2 and error code 0 (read) / 2 (write)")
    func notPresent() throws {
        let t = TestBench()
        t.enablePaging()
        t.mem.store32(t.pte(0x30_0000), 0)
        try t.load("movl (0x300000), %eax\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 14)
        #expect(t.recorded.error == 0)
        #expect(t.cpu.cr2 == 0x30_0000)
        let t2 = TestBench()
        t2.enablePaging()
        t2.mem.store32(t2.pte(0x30_0000), 0)
        try t2.load("movl $1, (0x300004)\n hlt")
        _ = t2.cpu.run(maxInstructions: 100)
        #expect(t2.recorded.error == 2)
        #expect(t2.cpu.cr2 == 0x30_0004)
    }

    @Test("CR0.WP: a ring-0 write to a read-only page faults with error code 3, and not without WP")
    func writeProtect() throws {
        let ro: (UInt32) -> UInt32 = { pa in pa == 0x20_0000 ? 0x1 : 0x3 }
        let t = TestBench()
        t.enablePaging(wp: true, flags: ro)
        try t.load("movl $7, (0x200000)\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 14)
        #expect(t.recorded.error == 3)
        let t2 = TestBench()
        t2.enablePaging(wp: false, flags: ro)
        try t2.load("movl $7, (0x200000)\n hlt")
        _ = t2.cpu.run(maxInstructions: 100)
        #expect(t2.recorded.vector == 0xFFFF_FFFF)
        #expect(t2.mem.load32(0x20_0000) == 7)
    }

    @Test("read-modify-write to a read-only page faults before changing flags or memory")
    func rmwFault() throws {
        let t = TestBench()
        t.enablePaging(wp: true) { pa in pa == 0x20_0000 ? 0x1 : 0x3 }
        t.mem.store32(0x20_0000, 41)
        try t.load("stc\n adcl $1, (0x200000)\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.recorded.vector == 14)
        #expect(t.mem.load32(0x20_0000) == 41)
    }

    @Test("accessed and dirty bits are set by the page walk")
    func accessedDirty() throws {
        let t = TestBench()
        t.enablePaging()
        try t.load("movl (0x201000), %eax\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.mem.load32(t.pte(0x20_1000)) & 0x60 == 0x20)
        let t2 = TestBench()
        t2.enablePaging()
        try t2.load("movl (0x201000), %eax\n movl %eax, (0x201000)\n hlt")
        _ = t2.cpu.run(maxInstructions: 100)
        #expect(t2.mem.load32(t2.pte(0x20_1000)) & 0x60 == 0x60)
    }

    @Test("INVLPG makes a changed PTE visible; without it the modeled TLB keeps the old one")
    func invlpg() throws {
        let t = TestBench()
        t.enablePaging()
        t.mem.store32(0x30_0000, 0xAAAA)
        t.mem.store32(0x30_1000, 0xBBBB)
        let pte = t.pte(0x30_0000)
        try t.load("""
            movl (0x300000), %eax
            movl $0x301003, (\(pte))
            movl (0x300000), %ebx
            invlpg (0x300000)
            movl (0x300000), %ecx
            hlt
            """)
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.cpu[.eax] == 0xAAAA)
        #expect(t.cpu[.ebx] == 0xAAAA)   // stale translation, as the TLB allows
        #expect(t.cpu[.ecx] == 0xBBBB)
        #expect(t.cpu.stats.invlpgs == 1)
    }

    @Test("a CR3 load flushes non-global translations but keeps global ones (CR4.PGE)")
    func globalPages() throws {
        let t = TestBench()
        t.enablePaging { pa in (pa == 0x30_0000 ? 0x100 : 0) | 0x3 }
        try t.cpu.movToCR(4, CR4.pge)
        t.mem.store32(0x30_0000, 1); t.mem.store32(0x30_1000, 2)
        t.mem.store32(0x30_2000, 3); t.mem.store32(0x30_3000, 4)
        let pGlobal = t.pte(0x30_0000), pLocal = t.pte(0x30_2000)
        try t.load("""
            movl (0x300000), %eax
            movl (0x302000), %eax
            movl $0x301103, (\(pGlobal))
            movl $0x303003, (\(pLocal))
            mov %cr3, %ecx
            mov %ecx, %cr3
            movl (0x300000), %ebx
            movl (0x302000), %edx
            hlt
            """)
        let missesBefore = t.cpu.dtlb.counters.misses
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.cpu[.ebx] == 1)   // global: survived the CR3 load
        #expect(t.cpu[.edx] == 4)   // non-global: re-walked
        #expect(t.cpu.stats.cr3Loads == 2)
        #expect(t.cpu.dtlb.counters.misses > missesBefore)
        #expect(t.cpu.dtlb.counters.flushes >= 2)
    }

    @Test("4 MiB pages with CR4.PSE")
    func largePages() throws {
        let t = TestBench(memory: 16 << 20)
        t.enablePaging()
        // PDE 2 (0x800000..0xBFFFFF) -> 4 MiB page at physical 0x400000
        t.mem.store32(TestBench.pageDir + 2 * 4, 0x40_0000 | 0x83)
        try t.cpu.movToCR(4, CR4.pse)
        t.mem.store32(0x40_1234, 0xC0FFEE)
        try t.load("movl (0x801234), %eax\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.cpu[.eax] == 0xC0FFEE)
        #expect(t.mem.load32(TestBench.pageDir + 8) & 0x20 != 0)
    }

    @Test("a tagged-TLB what-if keeps translations across CR3 loads")
    func taggedWhatIf() throws {
        let t = TestBench()
        t.enablePaging()
        t.cpu.taggedCR3 = true
        try t.load("movl (0x300000), %eax\n mov %cr3, %ecx\n mov %ecx, %cr3\n movl (0x300000), %eax\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.cpu.dtlb.counters.misses == 1)
    }
}

@Suite("Privilege, interrupts and time")
struct PrivilegeTests {
    @Test("ring 3 reaches ring 0 through an interrupt gate, on the TSS's ESP0 stack")
    func ring3Syscall() throws {
        let t = TestBench()
        try enterRing3(t, userCode: "mov $0x1234, %eax\n int $0x30\n hlt")
        _ = t.cpu.run(maxInstructions: 200)
        #expect(t.recorded.vector == 0x30)
        #expect(t.cpu.cpl == 0)
        // Frame on the ring-0 stack: EIP, CS, EFLAGS, ESP, SS (5 dwords below ESP0).
        #expect(t.cpu[.esp] == TestBench.stack - 20)
        #expect(t.mem.load32(TestBench.stack - 16) == 0x1B)
        #expect(t.mem.load32(TestBench.stack - 4) == 0x23)
        #expect(t.cpu[.eax] == 0x1234 || t.cpu[.eax] != 0)
    }

    @Test("ring 3 touching a supervisor page: #PF with the U bit; CLI: #GP(0)")
    func ring3Faults() throws {
        let t = TestBench()
        try enterRing3(t, userCode: "movl (0x300000), %eax\n hlt", supervisorPage: 0x30_0000)
        _ = t.cpu.run(maxInstructions: 200)
        #expect(t.recorded.vector == 14)
        #expect(t.recorded.error == 5)
        let t2 = TestBench()
        try enterRing3(t2, userCode: "cli\n hlt")
        _ = t2.cpu.run(maxInstructions: 200)
        #expect(t2.recorded.vector == 13)
        #expect(t2.recorded.error == 0)
    }

    final class FakePIC: InterruptAcknowledge {
        var acks = 0
        func acknowledgeInterrupt() -> UInt8 { acks += 1; return 0x20 }
    }

    @Test("an external interrupt waits one instruction after STI (the STI shadow)")
    func stiShadow() throws {
        let t = TestBench()
        let pic = FakePIC()
        t.cpu.pic = pic
        try t.load("cli\n sti\n nop\n nop\n hlt")
        t.cpu.setINTR(true)
        _ = t.cpu.run(maxInstructions: 100)
        #expect(pic.acks == 1)
        #expect(t.recorded.vector == 0x20)
        #expect(t.recorded.eip == 0x1000 + 3)   // after "sti; nop", before the second nop
    }

    @Test("HLT with IF=1 reports halted; with IF=0 it can never wake")
    func halt() throws {
        let t = TestBench()
        try t.load("sti\n hlt\n hlt")
        #expect(t.cpu.run(maxInstructions: 100) == .halted)
        let t2 = TestBench()
        try t2.load("cli\n hlt")
        #expect(t2.cpu.run(maxInstructions: 100) == .haltedForever)
    }

    @Test("RDTSC returns the modeled cycle counter")
    func rdtsc() throws {
        let t = TestBench()
        try t.load("rdtsc\n mov %eax, %ebx\n nop\n nop\n rdtsc\n hlt")
        _ = t.cpu.run(maxInstructions: 6)
        #expect(t.cpu[.eax] &- t.cpu[.ebx] == 4)
    }

    @Test("CPUID reports the fixed identity")
    func cpuid() throws {
        let t = TestBench()
        try t.load("xor %eax, %eax\n cpuid\n hlt")
        _ = t.cpu.run(maxInstructions: 3)
        let s = [t.cpu[.ebx], t.cpu[.edx], t.cpu[.ecx]].flatMap(le).map { Character(UnicodeScalar($0)) }
        #expect(String(s) == "NooksEmu-386")
    }
}

@Suite("Decode cache and determinism")
struct DecodeCacheTests {
    @Test("a store into the current block changes the instruction that runs next")
    func selfModifying() throws {
        let t = TestBench()
        try t.load("movb $0x42, (target + 1)\n target: mov $0x00, %al\n hlt")
        _ = t.cpu.run(maxInstructions: 10)
        #expect(t.cpu[.eax] & 0xFF == 0x42)
        #expect(t.cpu.stats.codeInvalidations >= 1)
    }

    @Test("code rewritten through physical memory (a loader or DMA) is re-decoded")
    func externalWrite() throws {
        let t = TestBench()
        try t.load("loop: mov $1, %eax\n hlt\n jmp loop")
        _ = t.cpu.run(maxInstructions: 10)
        #expect(t.cpu[.eax] == 1)
        t.mem.write([0xB8, 2, 0, 0, 0], at: 0x1000)
        t.cpu.eip = 0x1000
        t.cpu.halted = false
        _ = t.cpu.run(maxInstructions: 2)
        #expect(t.cpu[.eax] == 2)
    }

    @Test("same program, same instruction count, cycles and TLB counters")
    func determinism() throws {
        func once() throws -> (UInt64, UInt64, UInt64, UInt32) {
            let t = TestBench()
            t.enablePaging()
            try t.load("""
                mov $2000, %ecx
                xor %eax, %eax
                1: add %ecx, %eax
                movl %eax, 0x300000(,%ecx,4)
                loop 1b
                mov %cr3, %ebx
                mov %ebx, %cr3
                hlt
                """)
            _ = t.cpu.run(maxInstructions: 1_000_000)
            return (t.cpu.instructions, t.cpu.cycles, t.cpu.dtlb.counters.misses, t.cpu[.eax])
        }
        let a = try once(), b = try once()
        #expect(a == b)
        #expect(a.0 == 2 + 3 * 2000 + 3)
        #expect(a.1 > a.0)
    }

    @Test("instruction budget stops exactly, and REP counts one per iteration")
    func budget() throws {
        let t = TestBench()
        try t.load("mov $100, %ecx\n mov $0x4000, %edi\n cld\n rep stosb\n hlt")
        let r = t.cpu.run(maxInstructions: 50)
        #expect(r == .instructionLimit)
        #expect(t.cpu.instructions == 50)
        #expect(t.cpu[.ecx] == 100 - 47)
        _ = t.cpu.run(maxInstructions: 1000)
        #expect(t.cpu[.ecx] == 0)
        #expect(t.cpu.instructions == 3 + 100 + 1)
    }
}

/// Put the CPU in ring 3 at user code placed at 0x2000 with a user stack, paging
/// on and all pages user-accessible except `supervisorPage`.
func enterRing3(_ t: TestBench, userCode: String, supervisorPage: UInt32? = nil) throws {
    t.enablePaging { pa in pa == supervisorPage ? 0x3 : 0x7 }
    let user = try Assembler.assemble(userCode, origin: 0x2000)
    t.mem.write(user, at: 0x2000)
    // iret frame: EIP, CS, EFLAGS, ESP, SS
    try t.load("""
        pushl $0x23
        pushl $0x5000
        pushl $0x202
        pushl $0x1b
        pushl $0x2000
        iret
        """)
    _ = t.cpu.run(maxInstructions: 6)
}

@Suite("REP slicing")
struct RepSliceTests {
    @Test("a REP longer than one slice resumes itself and then runs what follows, once")
    func longRep() throws {
        let t = TestBench(memory: 8 << 20)
        try t.load("mov $200000, %ecx\n mov $0x100000, %edi\n mov $0x11, %al\n cld\n rep stosb\n mov $7, %ebx\n hlt")
        let r = t.cpu.run(maxInstructions: 10_000_000)
        #expect(r == .haltedForever)
        #expect(t.cpu[.ecx] == 0)
        #expect(t.cpu[.ebx] == 7)
        #expect(t.cpu[.edi] == 0x100000 + 200000)
        #expect(t.mem.read(at: 0x100000 + 199_999, count: 2) == [0x11, 0x00])
        #expect(t.cpu.instructions == 4 + 200000 + 2)
    }
}

@Suite("Debug support")
struct DebugSupportTests {
    @Test("a write watchpoint stops after the writing instruction, reads do not trigger it")
    func watchWrite() throws {
        let t = TestBench()
        try t.load("movl (0x5000), %eax\n movl $9, (0x5004)\n mov $1, %ebx\n hlt")
        t.cpu.setWatchpoints([Watchpoint(address: 0x5004, length: 4, kind: .write)])
        let r = t.cpu.run(maxInstructions: 100)
        guard case .watchpoint(let hit) = r else { Issue.record("expected watchpoint, got \(r)"); return }
        #expect(hit.address == 0x5004 && hit.isWrite && hit.value == 9)
        #expect(t.cpu.eip == 0x1000 + 5 + 10)
        #expect(t.cpu[.ebx] == 0)
    }

    @Test("the history ring records block entries in order")
    func history() throws {
        let t = TestBench()
        t.cpu.setHistory(capacity: 4)
        try t.load("mov $3, %ecx\n 1: dec %ecx\n jnz 1b\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        let h = t.cpu.historyEntries
        #expect(h.count == 4)
        let lastEIP: UInt32 = h.last.map { $0.eip } ?? 0
        #expect(lastEIP == 0x1008)   // the hlt block
    }
}

@Suite("TLB attribution")
struct TLBAttributionTests {
    @Test("misses that refill entries dropped by a CR3 load are counted as switch refills")
    func refills() throws {
        let t = TestBench()
        t.enablePaging()
        try t.load("""
            movl (0x300000), %eax
            movl (0x301000), %eax
            mov %cr3, %ecx
            mov %ecx, %cr3
            movl (0x300000), %eax
            movl (0x302000), %eax
            hlt
            """)
        let before = t.cpu.dtlb.counters
        _ = t.cpu.run(maxInstructions: 100)
        let c = t.cpu.dtlb.counters
        #expect(c.misses - before.misses >= 4)
        #expect(c.refillsAfterSwitch - before.refillsAfterSwitch == 1)   // 0x300000 was dropped, 0x302000 is new
    }
}

@Suite("Task gates")
struct TaskGateTests {
    /// Add a second TSS (selector 0x30) at 0x6A00 for a task starting at `eip` with stack `esp`.
    func addTask(_ t: TestBench, eip: UInt32, esp: UInt32) {
        let tss: UInt32 = 0x6A00
        t.mem.store32(TestBench.gdt + 0x30, 0x0000_0067 | (tss << 16))
        t.mem.store32(TestBench.gdt + 0x34, 0x0000_8900 | ((tss >> 16) & 0xFF))
        t.cpu.gdtr.limit = 0x37
        t.mem.store32(tss + 0x1C, t.cpu.cr3)
        t.mem.store32(tss + 0x20, eip)
        t.mem.store32(tss + 0x24, 0x2)
        t.mem.store32(tss + 0x38, esp)
        for (i, sel) in [0x10, 0x08, 0x10, 0x10, 0x10, 0x10].enumerated() { t.mem.store32(tss + 0x48 + UInt32(4 * i), UInt32(sel)) }
        // The boot TSS must be marked busy, as LTR would have done.
        t.mem.store32(TestBench.gdt + 0x2C, t.mem.load32(TestBench.gdt + 0x2C) | 0x200)
    }

    func taskGate(_ t: TestBench, vector: UInt32, dpl: UInt32 = 0) {
        t.mem.store32(TestBench.idt + vector * 8, 0x30 << 16)
        t.mem.store32(TestBench.idt + vector * 8 + 4, 0x8500 | (dpl << 13))
    }

    @Test("a #DF task gate runs the handler on its own stack when the faulting stack is gone")
    func doubleFaultTask() throws {
        let t = TestBench()
        t.enablePaging()
        t.mem.store32(t.pte(0x30_0000), 0)   // the "overflowed" stack page
        let handler = try Assembler.assemble("movl $0xD0D0, (0x8010)\n popl %eax\n movl %eax, (0x8014)\n hlt", origin: 0x7C00)
        t.mem.write(handler, at: 0x7C00)
        addTask(t, eip: 0x7C00, esp: 0xA000)
        taskGate(t, vector: 8)
        try t.load("mov $0x300800, %esp\n ud2")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.mem.load32(0x8010) == 0xD0D0, "the #DF task ran")
        #expect(t.mem.load32(0x8014) == 0, "#DF pushes error code 0 on the new task's stack")
        #expect(t.cpu.tr.selector == 0x30)
        #expect(t.cpu.eflags & EFLAGS.nt != 0)
        #expect(t.mem.load32(0x6A00) == 0x28, "the link field names the interrupted task")
        #expect(t.mem.load32(TestBench.tss + 0x20) == 0x1000 + 5, "the old task's EIP (the ud2) was saved")
        #expect(t.mem.load32(TestBench.tss + 0x38) == 0x300800, "and its broken ESP")
    }

    @Test("INT through a task gate and IRET with NT return to the interrupted task")
    func roundTrip() throws {
        let t = TestBench()
        let handler = try Assembler.assemble("movl $7, (0x8020)\n iret\n movl $8, (0x8020)\n iret", origin: 0x7C00)
        t.mem.write(handler, at: 0x7C00)
        addTask(t, eip: 0x7C00, esp: 0xA000)
        taskGate(t, vector: 0x3F)
        try t.load("mov $0x1234, %ebx\n int $0x3f\n mov %ebx, %ecx\n int $0x3f\n hlt")
        _ = t.cpu.run(maxInstructions: 100)
        #expect(t.mem.load32(0x8020) == 8, "the second switch resumed the task after its IRET")
        #expect(t.cpu[.ecx] == 0x1234, "the interrupted task's registers came back")
        #expect(t.cpu.tr.selector == 0x28)
        #expect(t.cpu.eflags & EFLAGS.nt == 0)
        #expect(t.mem.load32(TestBench.gdt + 0x34) & 0x200 == 0, "the nested task is available again")
    }
}
