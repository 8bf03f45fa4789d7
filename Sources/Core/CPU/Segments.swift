// Segment descriptors: loading segment registers (with the protected-mode
// checks that raise #GP/#NP/#SS with the selector as error code), far
// transfers at the same privilege level, LTR and LLDT.
//
//   descriptor (8 bytes):
//   hi: | base 31..24 | G | D/B | L | AVL | limit 19..16 | P | DPL | S | type | base 23..16 |
//   lo: | base 15..0                      | limit 15..0                                     |

extension CPU {
    /// Read the 8-byte descriptor for `sel` from the GDT or LDT.
    func descriptor(_ sel: UInt16) throws(Fault) -> (lo: UInt32, hi: UInt32, addr: UInt32) {
        let index = UInt32(sel & 0xFFF8)
        let table: (base: UInt32, limit: UInt32)
        if sel & 4 != 0 {
            guard ldtr.selector & 0xFFFC != 0 else { throw Fault.gp(UInt32(sel & 0xFFFC)) }
            table = (ldtr.base, ldtr.limit)
        } else {
            table = (gdtr.base, UInt32(gdtr.limit))
        }
        guard index + 7 <= table.limit else { throw Fault.gp(UInt32(sel & 0xFFFC)) }
        let addr = table.base &+ index
        return (try readSys(addr, 4), try readSys(addr &+ 4, 4), addr)
    }

    func segmentCache(_ sel: UInt16, _ lo: UInt32, _ hi: UInt32) -> SegmentCache {
        var s = SegmentCache()
        s.selector = sel
        s.base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF00_0000)
        var limit = (lo & 0xFFFF) | (hi & 0x000F_0000)
        if hi & (1 << 23) != 0 { limit = (limit << 12) | 0xFFF }
        s.limit = limit
        s.access = UInt8(truncatingIfNeeded: hi >> 8)
        s.flags = UInt8(truncatingIfNeeded: hi >> 20) & 0xF
        return s
    }

    /// Set the accessed bit of a descriptor in memory.
    func markAccessed(_ addr: UInt32, _ hi: UInt32) throws(Fault) {
        if hi & 0x100 == 0 { try writeSys(addr &+ 4, 4, hi | 0x100) }
    }

    func setSegment(_ r: SegReg, _ s: SegmentCache) {
        seg[r.rawValue] = s
        segBase[r.rawValue] = s.base
        if r == .cs {
            cpl = Int(s.selector & 3)
            userBit = cpl == 3 ? 1 : 0
        }
    }

    /// MOV Sreg / POP Sreg: load a data segment register (DS ES FS GS) or SS.
    func loadSegment(_ r: SegReg, _ sel: UInt16) throws(Fault) {
        let rpl = Int(sel & 3)
        let code = UInt32(sel & 0xFFFC)
        if sel & 0xFFFC == 0 {
            guard r != .ss else { throw Fault.gp() }
            var s = SegmentCache(); s.selector = sel; s.access = 0; s.base = 0
            setSegment(r, s)
            return
        }
        let (lo, hi, addr) = try descriptor(sel)
        let access = hi >> 8 & 0xFF
        let isSystem = access & 0x10 == 0
        let type = access & 0xF
        let dpl = Int(access >> 5) & 3
        let present = access & 0x80 != 0
        if r == .ss {
            guard !isSystem, type & 0xA == 0x2, rpl == cpl, dpl == cpl else { throw Fault.gp(code) }
            guard present else { throw Fault.ss(code) }
        } else {
            let isCode = type & 0x8 != 0
            guard !isSystem, !isCode || type & 0x2 != 0 else { throw Fault.gp(code) }
            let conforming = isCode && type & 0x4 != 0
            if !conforming && max(cpl, rpl) > dpl { throw Fault.gp(code) }
            guard present else { throw Fault.np(code) }
        }
        try markAccessed(addr, hi)
        setSegment(r, segmentCache(sel, lo, hi | 0x100))
    }

    func movToSeg(_ n: UInt8, _ v: UInt32) throws(Fault) {
        guard let r = SegReg(rawValue: Int(n)), r != .cs else { throw Fault.ud }
        try loadSegment(r, UInt16(truncatingIfNeeded: v))
        if r == .ss { interruptShadow = true; deadline = 0 }
    }

    /// Check a code-segment selector for a same-privilege far transfer; returns its cache.
    func codeSegment(_ sel: UInt16) throws(Fault) -> (SegmentCache, UInt32, UInt32) {
        let code = UInt32(sel & 0xFFFC)
        guard sel & 0xFFFC != 0 else { throw Fault.gp() }
        let (lo, hi, addr) = try descriptor(sel)
        let access = hi >> 8 & 0xFF
        guard access & 0x18 == 0x18 else { throw Fault.gp(code) }   // call gates etc. are not supported
        let dpl = Int(access >> 5) & 3
        let conforming = access & 0x4 != 0
        if conforming { guard dpl <= cpl else { throw Fault.gp(code) } }
        else { guard dpl == cpl, Int(sel & 3) <= cpl else { throw Fault.gp(code) } }
        guard access & 0x80 != 0 else { throw Fault.np(code) }
        var s = segmentCache((sel & 0xFFFC) | UInt16(cpl), lo, hi | 0x100)
        s.selector = (sel & 0xFFFC) | UInt16(cpl)
        return (s, addr, hi)
    }

    func farJump(selector: UInt16, offset: UInt32) throws(Fault) {
        let (s, addr, hi) = try codeSegment(selector)
        try markAccessed(addr, hi)
        setSegment(.cs, s)
        eip = offset
    }

    func farCall(selector: UInt16, offset: UInt32) throws(Fault) {
        let (s, addr, hi) = try codeSegment(selector)
        let sp = regs[4]
        try probeWrite(ssBase &+ sp &- 8, 8)
        try write32(ssBase &+ sp &- 4, UInt32(seg[1].selector))
        try write32(ssBase &+ sp &- 8, eip)
        regs[4] = sp &- 8
        try markAccessed(addr, hi)
        setSegment(.cs, s)
        eip = offset
    }

    /// RETF (same privilege only; a return to an outer ring raises #GP).
    func farReturn(extra: UInt32) throws(Fault) {
        let sp = regs[4]
        let newEIP = try read32(ssBase &+ sp)
        let sel = UInt16(truncatingIfNeeded: try read32(ssBase &+ sp &+ 4))
        guard Int(sel & 3) == cpl else { throw Fault.gp(UInt32(sel & 0xFFFC)) }
        let (s, addr, hi) = try codeSegment(sel)
        try markAccessed(addr, hi)
        setSegment(.cs, s)
        regs[4] = sp &+ 8 &+ extra
        eip = newEIP
    }

    /// LTR: load the task register from an available 32-bit TSS descriptor and mark it busy.
    func loadTaskRegister(_ sel: UInt16) throws(Fault) {
        guard cpl == 0 else { throw Fault.gp() }
        let code = UInt32(sel & 0xFFFC)
        guard sel & 0xFFFC != 0, sel & 4 == 0 else { throw Fault.gp(code) }
        let (lo, hi, addr) = try descriptor(sel)
        let access = hi >> 8 & 0xFF
        guard access & 0x1F == 0x09 else { throw Fault.gp(code) }
        guard access & 0x80 != 0 else { throw Fault.np(code) }
        try writeSys(addr &+ 4, 4, hi | 0x200)   // busy
        tr = segmentCache(sel, lo, hi | 0x200)
    }

    /// LLDT: a null selector disables the LDT.
    func loadLDT(_ sel: UInt16) throws(Fault) {
        guard cpl == 0 else { throw Fault.gp() }
        if sel & 0xFFFC == 0 { ldtr = SegmentCache(); ldtr.selector = 0; ldtr.limit = 0; return }
        let code = UInt32(sel & 0xFFFC)
        guard sel & 4 == 0 else { throw Fault.gp(code) }
        let (lo, hi, _) = try descriptor(sel)
        let access = hi >> 8 & 0xFF
        guard access & 0x1F == 0x02 else { throw Fault.gp(code) }
        guard access & 0x80 != 0 else { throw Fault.np(code) }
        ldtr = segmentCache(sel, lo, hi)
    }
}
