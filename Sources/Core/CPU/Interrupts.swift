// Interrupt and exception delivery through the IDT, the privilege change
// through the TSS, IRET, and the double/triple-fault rules.
//
//   IDT gate (8 bytes):
//   hi: | offset 31..16 | P | DPL | 0 | type (0xE interrupt, 0xF trap) | 000 | reserved |
//   lo: | selector      | offset 15..0                                              |
//
// 32-bit interrupt and trap gates, and task gates (TaskSwitch.swift).

extension CPU {
    /// INT n / INT3 / INTO: a software interrupt; the gate's DPL must allow CPL.
    func softwareInterrupt(_ vector: UInt8) throws(Fault) {
        try deliver(vector, errorCode: nil, returnEIP: eip, software: true, external: false)
    }

    /// Deliver `vector` through the IDT. On return, CS:EIP is the handler.
    /// Throws if delivery itself faults (the caller applies the double-fault rules).
    func deliver(_ vector: UInt8, errorCode: UInt32?, returnEIP: UInt32, software: Bool, external: Bool) throws(Fault) {
        let ext: UInt32 = external ? 1 : 0
        let gateCode = UInt32(vector) * 8 + 2 + ext
        guard UInt32(vector) * 8 + 7 <= UInt32(idtr.limit) else { throw Fault.gp(gateCode) }
        let gateAddr = idtr.base &+ UInt32(vector) * 8
        let lo = try readSys(gateAddr, 4), hi = try readSys(gateAddr &+ 4, 4)
        let type = (hi >> 8) & 0x1F
        guard type == 0x0E || type == 0x0F || type == 0x05 else { throw Fault.gp(gateCode) }
        let gateDPL = Int(hi >> 13) & 3
        if software && gateDPL < cpl { throw Fault.gp(gateCode) }
        guard hi & 0x8000 != 0 else { throw Fault.np(gateCode) }
        let sel = UInt16(truncatingIfNeeded: lo >> 16)
        if type == 0x05 {
            // Task gate: a hardware task switch to the TSS it names.
            try taskSwitchThroughGate(sel, errorCode: errorCode, returnEIP: returnEIP, ext: ext)
            charge(costs.exception)
            if external { stats.interrupts &+= 1 } else if !software { stats.exceptions &+= 1 }
            if vector < 32 && !software { stats.byVector[Int(vector)] &+= 1 }
            onException?(vector, errorCode, returnEIP)
            return
        }
        let offset = (lo & 0xFFFF) | (hi & 0xFFFF_0000)

        // Target code segment.
        guard sel & 0xFFFC != 0 else { throw Fault.gp(ext) }
        let selCode = UInt32(sel & 0xFFFC) + ext
        let (clo, chi, caddr) = try descriptor(sel)
        let cacc = chi >> 8 & 0xFF
        guard cacc & 0x18 == 0x18 else { throw Fault.gp(selCode) }
        let conforming = cacc & 0x4 != 0
        let cdpl = Int(cacc >> 5) & 3
        guard cdpl <= cpl else { throw Fault.gp(selCode) }
        guard cacc & 0x80 != 0 else { throw Fault.np(selCode) }
        let newCPL = conforming ? cpl : cdpl

        let oldFlags = materializedFlags()
        let oldCS = UInt32(seg[1].selector)
        var frame: [UInt32] = []
        var newSP: UInt32
        var newSS: SegmentCache? = nil
        if newCPL < cpl {
            // Inter-privilege: take SS:ESP for the new ring from the 32-bit TSS.
            guard tr.selector & 0xFFFC != 0, tr.limit >= 103 else { throw Fault.ts(UInt32(tr.selector & 0xFFFC)) }
            let espN = try readSys(tr.base &+ 4 &+ UInt32(8 * newCPL), 4)
            let ssN = UInt16(truncatingIfNeeded: try readSys(tr.base &+ 8 &+ UInt32(8 * newCPL), 4))
            let ssCode = UInt32(ssN & 0xFFFC) + ext
            guard ssN & 0xFFFC != 0, Int(ssN & 3) == newCPL else { throw Fault.ts(ssCode) }
            let (slo, shi, saddr) = try descriptor(ssN)
            let sacc = shi >> 8 & 0xFF
            guard sacc & 0x1A == 0x12, Int(sacc >> 5) & 3 == newCPL else { throw Fault.ts(ssCode) }
            guard sacc & 0x80 != 0 else { throw Fault.ss(ssCode) }
            try markAccessed(saddr, shi)
            newSS = segmentCache(ssN, slo, shi | 0x100)
            frame = [UInt32(seg[2].selector), regs[4], oldFlags, oldCS, returnEIP]
            newSP = espN
        } else {
            frame = [oldFlags, oldCS, returnEIP]
            newSP = regs[4]
        }
        if let e = errorCode { frame.append(e) }
        let stackBase = newSS?.base ?? segBase[2]
        // Write the frame before committing anything, so a fault here leaves state intact.
        for v in frame {
            newSP &-= 4
            try writeSys(stackBase &+ newSP, 4, v)
        }
        try markAccessed(caddr, chi)

        // Commit.
        if let s = newSS { setSegment(.ss, s) }
        regs[4] = newSP
        var cs = segmentCache((sel & 0xFFFC) | UInt16(newCPL), clo, chi | 0x100)
        cs.selector = (sel & 0xFFFC) | UInt16(newCPL)
        setSegment(.cs, cs)
        var f = oldFlags & ~(EFLAGS.tf | EFLAGS.nt | EFLAGS.rf | EFLAGS.vm)
        if type == 0x0E { f &= ~EFLAGS.if }
        setEFLAGS(f)
        eip = offset
        halted = false
        charge(costs.exception)
        if external { stats.interrupts &+= 1 } else if !software { stats.exceptions &+= 1 }
        if vector < 32 && !software { stats.byVector[Int(vector)] &+= 1 }
        onException?(vector, errorCode, returnEIP)
    }

    /// IRET in protected mode (same level, or return to an outer ring with SS:ESP).
    func interruptReturn() throws(Fault) {
        if materializedFlags() & EFLAGS.nt != 0 {
            try taskReturn()
            return
        }
        let sp = regs[4]
        let sb = segBase[2]
        let newEIP = try read32(sb &+ sp)
        let csSel = UInt16(truncatingIfNeeded: try read32(sb &+ sp &+ 4))
        let newFlags = try read32(sb &+ sp &+ 8)
        let rpl = Int(csSel & 3)
        guard rpl >= cpl else { throw Fault.gp(UInt32(csSel & 0xFFFC)) }
        guard csSel & 0xFFFC != 0 else { throw Fault.gp() }
        let (clo, chi, caddr) = try descriptor(csSel)
        let cacc = chi >> 8 & 0xFF
        let code = UInt32(csSel & 0xFFFC)
        guard cacc & 0x18 == 0x18 else { throw Fault.gp(code) }
        let cdpl = Int(cacc >> 5) & 3
        if cacc & 0x4 != 0 { guard cdpl <= rpl else { throw Fault.gp(code) } }
        else { guard cdpl == rpl else { throw Fault.gp(code) } }
        guard cacc & 0x80 != 0 else { throw Fault.np(code) }

        charge(costs.iret)
        let oldCPL = cpl
        if rpl > cpl {
            // Return to an outer ring: pop ESP and SS too.
            let newESP = try read32(sb &+ sp &+ 12)
            let ssSel = UInt16(truncatingIfNeeded: try read32(sb &+ sp &+ 16))
            let ssCode = UInt32(ssSel & 0xFFFC)
            guard ssSel & 0xFFFC != 0, Int(ssSel & 3) == rpl else { throw Fault.gp(ssCode) }
            let (slo, shi, saddr) = try descriptor(ssSel)
            let sacc = shi >> 8 & 0xFF
            guard sacc & 0x1A == 0x12, Int(sacc >> 5) & 3 == rpl else { throw Fault.gp(ssCode) }
            guard sacc & 0x80 != 0 else { throw Fault.ss(ssCode) }
            try markAccessed(caddr, chi)
            try markAccessed(saddr, shi)
            setSegment(.cs, segmentCache(csSel, clo, chi | 0x100))
            setSegment(.ss, segmentCache(ssSel, slo, shi | 0x100))
            regs[4] = newESP
            // Data segments more privileged than the new CPL become null.
            for r in [SegReg.es, .ds, .fs, .gs] {
                let s = seg[r.rawValue]
                let isConformingCode = s.access & 0x1C == 0x1C
                if s.selector & 0xFFFC != 0 && !isConformingCode && s.dpl < rpl {
                    var n = SegmentCache(); n.selector = 0; n.access = 0
                    setSegment(r, n)
                }
            }
        } else {
            try markAccessed(caddr, chi)
            setSegment(.cs, segmentCache(csSel, clo, chi | 0x100))
            regs[4] = sp &+ 12
        }
        // Flag rules use the CPL the IRET ran at.
        let savedCPL = cpl
        cpl = oldCPL
        writeFlagsPrivileged(newFlags, popf: false)
        cpl = savedCPL
        eip = newEIP
    }

    // MARK: Exception classes (SDM Table 6-5)

    static func isContributory(_ v: UInt8) -> Bool { v == 0 || (v >= 10 && v <= 13) }

    /// Deliver an exception raised by an instruction at `faultEIP`, applying the
    /// double-fault rules. Returns a triple-fault report if the CPU would shut down.
    func raiseException(_ f: Fault, faultEIP: UInt32) -> TripleFaultReport? {
        var chain = [f]
        var current = f
        while true {
            do {
                try deliver(current.vector, errorCode: current.errorCode, returnEIP: faultEIP,
                            software: false, external: false)
                return nil
            } catch let second {
                chain.append(second)
                let first = current.vector
                if first == 8 {
                    return TripleFaultReport(faults: chain, eip: faultEIP, cr2: cr2, cr3: cr3)
                }
                let df = (CPU.isContributory(first) && CPU.isContributory(second.vector))
                    || (first == 14 && (CPU.isContributory(second.vector) || second.vector == 14))
                current = df ? Fault(8, 0) : second
                if df { chain.append(current) }
                if chain.count > 8 {
                    return TripleFaultReport(faults: chain, eip: faultEIP, cr2: cr2, cr3: cr3)
                }
            }
        }
    }
}
