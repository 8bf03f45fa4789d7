// Hardware task switches, as far as a kernel needs them: an IDT task gate
// (typically for #DF, so a fault with a broken stack runs on a known-good
// stack and page directory) and the IRET with EFLAGS.NT that returns from it.
// 32-bit TSSs only; no task switches by JMP/CALL to a TSS.
//
//   32-bit TSS: 0x00 link  0x04 esp0  0x08 ss0 ... 0x1c cr3  0x20 eip  0x24 eflags
//     0x28 eax ecx edx ebx esp ebp esi edi (4 bytes each)  0x48 es cs ss ds fs gs
//     0x60 ldt  0x64 T flag / I/O map base

extension CPU {
    /// Switch to the task whose TSS selector is in an IDT task gate (nesting:
    /// the new task's link field names the old one, and NT is set).
    func taskSwitchThroughGate(_ tssSel: UInt16, errorCode: UInt32?, returnEIP: UInt32, ext: UInt32) throws(Fault) {
        let code = UInt32(tssSel & 0xFFFC) + ext
        guard tssSel & 4 == 0, tssSel & 0xFFFC != 0 else { throw Fault.ts(code) }
        let (lo, hi, addr) = try descriptor(tssSel)
        let access = hi >> 8 & 0xFF
        guard access & 0x1F == 0x09 else { throw Fault.gp(code) }   // available 32-bit TSS (busy: #GP)
        guard access & 0x80 != 0 else { throw Fault.np(code) }
        let new = segmentCache(tssSel, lo, hi)
        guard new.limit >= 0x67, tr.selector & 0xFFFC != 0 else { throw Fault.ts(code) }

        try saveTask(eip: returnEIP, eflags: materializedFlags())
        var next = try readTask(new.base)
        // Link, busy bit, TR, CR0.TS.
        try writeSys(new.base, 4, UInt32(tr.selector))
        try writeSys(addr &+ 4, 4, hi | 0x200)
        tr = segmentCache(tssSel, lo, hi | 0x200)
        cr0 |= CR0.ts
        next.eflags |= EFLAGS.nt
        try loadTaskState(next)
        if let e = errorCode { try push32(e) }
    }

    /// IRET with NT set: return to the task named by the current TSS's link field.
    func taskReturn() throws(Fault) {
        let back = UInt16(truncatingIfNeeded: try readSys(tr.base, 4))
        let code = UInt32(back & 0xFFFC)
        guard back & 4 == 0, back & 0xFFFC != 0 else { throw Fault.ts(code) }
        let (lo, hi, _) = try descriptor(back)
        guard (hi >> 8) & 0x1F == 0x0B else { throw Fault.ts(code) }   // it must be busy (it nested us)
        // Save the outgoing task (its EIP is after the IRET), mark it available again.
        try saveTask(eip: eip, eflags: materializedFlags() & ~EFLAGS.nt)
        let (_, ohi, oaddr) = try descriptor(tr.selector)
        try writeSys(oaddr &+ 4, 4, ohi & ~0x200)
        let prev = segmentCache(back, lo, hi)
        let next = try readTask(prev.base)
        tr = prev
        cr0 |= CR0.ts
        try loadTaskState(next)
    }

    /// A task's registers as stored in its TSS.
    struct TaskState {
        var cr3: UInt32, eip: UInt32, eflags: UInt32
        var gprs: [UInt32]
        var selectors: [UInt16]
    }

    /// Store the current task's registers into its TSS (CR3 and LDT are not saved, as on x86).
    func saveTask(eip savedEIP: UInt32, eflags: UInt32) throws(Fault) {
        let b = tr.base
        try writeSys(b &+ 0x20, 4, savedEIP)
        try writeSys(b &+ 0x24, 4, eflags)
        for i in 0..<8 { try writeSys(b &+ 0x28 &+ UInt32(4 * i), 4, regs[i]) }
        for r in SegReg.allCases { try writeSys(b &+ 0x48 &+ UInt32(4 * r.rawValue), 4, UInt32(seg[r.rawValue].selector)) }
    }

    /// Read a task's registers from the TSS at linear `b`.
    func readTask(_ b: UInt32) throws(Fault) -> TaskState {
        var t = TaskState(cr3: try readSys(b &+ 0x1C, 4), eip: try readSys(b &+ 0x20, 4),
                          eflags: try readSys(b &+ 0x24, 4), gprs: [], selectors: [])
        for i in 0..<8 { t.gprs.append(try readSys(b &+ 0x28 &+ UInt32(4 * i), 4)) }
        for r in SegReg.allCases { t.selectors.append(UInt16(truncatingIfNeeded: try readSys(b &+ 0x48 &+ UInt32(4 * r.rawValue), 4))) }
        return t
    }

    /// Load a task's registers; segment descriptors are checked after the switch (#TS).
    func loadTaskState(_ t: TaskState) throws(Fault) {
        let selectors = t.selectors
        if t.cr3 != cr3 && pagingEnabled { loadCR3(t.cr3) } else { cr3 = t.cr3 }
        for i in 0..<8 { regs[i] = t.gprs[i] }
        setEFLAGS(t.eflags)
        eip = t.eip
        // CS first (it sets CPL), then SS and the data segments.
        let cs = selectors[SegReg.cs.rawValue]
        guard cs & 0xFFFC != 0 else { throw Fault.ts(0) }
        let (clo, chi, _) = try descriptor(cs)
        guard (chi >> 8) & 0x18 == 0x18, chi & 0x8000 != 0 else { throw Fault.ts(UInt32(cs & 0xFFFC)) }
        setSegment(.cs, segmentCache(cs, clo, chi))
        do {
            try loadSegment(.ss, selectors[SegReg.ss.rawValue])
            for r in [SegReg.es, .ds, .fs, .gs] { try loadSegment(r, selectors[r.rawValue]) }
        } catch {
            throw Fault.ts(error.errorCode ?? 0)
        }
        halted = false
    }
}
