// Control registers, CPUID, MSRs and the other ring-0 state instructions.

extension CPU {
    // MARK: Control registers

    func movToCR(_ n: UInt8, _ v: UInt32) throws(Fault) {
        guard cpl == 0 else { throw Fault.gp() }
        switch n {
        case 0: try writeCR0(v)
        case 2: cr2 = v
        case 3: loadCR3(v)
        case 4:
            guard v & ~CR4.supported == 0 else { throw Fault.gp() }
            let changed = (cr4 ^ v) & (CR4.pse | CR4.pge)
            cr4 = v
            if changed != 0 { flushAllTLBs() }
        default: throw Fault.ud
        }
    }

    func readCR(_ n: UInt8) throws(Fault) -> UInt32 {
        guard cpl == 0 else { throw Fault.gp() }
        switch n {
        case 0: return cr0
        case 2: return cr2
        case 3: return cr3
        case 4: return cr4
        default: throw Fault.ud
        }
    }

    func writeCR0(_ raw: UInt32) throws(Fault) {
        let v = raw | CR0.et
        if v & CR0.pg != 0 && v & CR0.pe == 0 { throw Fault.gp() }
        if v & CR0.pe == 0 { throw Fault.gp() }   // real mode is not modeled
        let changed = cr0 ^ v
        cr0 = v
        if changed & (CR0.pg | CR0.wp | CR0.pe) != 0 { flushAllTLBs() }
    }

    /// MOV to CR3: new page directory; non-global translations are flushed
    /// (unless the tagged-TLB what-if is on).
    public func loadCR3(_ v: UInt32) {
        let old = cr3
        cr3 = v
        stats.cr3Loads &+= 1
        charge(costs.cr3Load)
        if !taggedCR3 { flushNonGlobal() }
        onCR3Load?(old, v)
    }

    // MARK: CPUID

    /// CPUID with a fixed identity: "NooksEmu-386", family 6, with PSE, TSC, MSR,
    /// CX8, PGE and CMOV, and no FPU.
    func cpuid() {
        let leaf = regs[0]
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        func le(_ s: String) -> UInt32 {
            let u = Array(s.utf8)
            return UInt32(u[0]) | UInt32(u[1]) << 8 | UInt32(u[2]) << 16 | UInt32(u[3]) << 24
        }
        switch leaf {
        case 0:
            a = 1
            b = le("Nook"); d = le("sEmu"); c = le("-386")
        case 1:
            a = 0x0000_0631      // family 6, model 3, stepping 1
            d = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 13) | (1 << 15)
        case 0x8000_0000:
            a = 0x8000_0000
        default:
            break
        }
        regs[0] = a; regs[3] = b; regs[1] = c; regs[2] = d
    }

    // MARK: MSRs

    /// RDMSR: only the TSC (0x10) and the SYSENTER MSRs exist; others raise #GP(0).
    func readMSR() throws(Fault) {
        guard cpl == 0 else { throw Fault.gp() }
        let v: UInt64
        switch regs[1] {
        case 0x10: v = cycles
        case 0x174...0x176: v = UInt64(sysenterMSR[Int(regs[1] - 0x174)])
        default: throw Fault.gp()
        }
        regs[0] = UInt32(truncatingIfNeeded: v); regs[2] = UInt32(truncatingIfNeeded: v >> 32)
    }

    func writeMSR() throws(Fault) {
        guard cpl == 0 else { throw Fault.gp() }
        switch regs[1] {
        case 0x174...0x176: sysenterMSR[Int(regs[1] - 0x174)] = regs[0]
        default: throw Fault.gp()
        }
    }

    // MARK: Misc

    func cmpxchg8b(_ la: UInt32) throws(Fault) {
        try probeWrite(la, 8)
        let lo = try read32(la), hi = try read32(la &+ 4)
        materializeFlags()
        if lo == regs[0] && hi == regs[2] {
            try write32(la, regs[3]); try write32(la &+ 4, regs[1])
            flagsBase |= EFLAGS.zf
        } else {
            try write32(la, lo); try write32(la &+ 4, hi)
            regs[0] = lo; regs[2] = hi
            flagsBase &= ~EFLAGS.zf
        }
    }

    func pushAll() throws(Fault) {
        let sp = regs[4]
        let vals = [regs[0], regs[1], regs[2], regs[3], sp, regs[5], regs[6], regs[7]]
        try probeWrite(ssBase &+ sp &- 32, 32)
        for (i, v) in vals.enumerated() { try write32(ssBase &+ sp &- UInt32(4 * (i + 1)), v) }
        regs[4] = sp &- 32
    }

    func popAll() throws(Fault) {
        let sp = regs[4]
        var vals = [UInt32](repeating: 0, count: 8)
        for i in 0..<8 { vals[i] = try read32(ssBase &+ sp &+ UInt32(4 * i)) }
        regs[7] = vals[0]; regs[6] = vals[1]; regs[5] = vals[2]
        regs[3] = vals[4]; regs[2] = vals[5]; regs[1] = vals[6]; regs[0] = vals[7]
        regs[4] = sp &+ 32
    }

    func enter(size: UInt32, level rawLevel: UInt32) throws(Fault) {
        let level = rawLevel & 31
        var sp = regs[4] &- 4
        try write32(ssBase &+ sp, regs[5])
        let frame = sp
        if level > 0 {
            var bp = regs[5]
            for _ in 1..<level {
                bp &-= 4
                let v = try read32(ssBase &+ bp)
                sp &-= 4
                try write32(ssBase &+ sp, v)
            }
            sp &-= 4
            try write32(ssBase &+ sp, frame)
        }
        regs[5] = frame
        regs[4] = sp &- size
    }

    /// EFLAGS from POPF/IRET with the protected-mode privilege rules:
    /// IOPL changes only at CPL 0; IF only when CPL <= IOPL.
    func writeFlagsPrivileged(_ v: UInt32, popf: Bool) {
        var keep: UInt32 = EFLAGS.vm | EFLAGS.rf
        if cpl > 0 { keep |= EFLAGS.iopl }
        if cpl > iopl { keep |= EFLAGS.if }
        materializeFlags()
        let nv = (v & ~keep & EFLAGS.writable) | (flagsBase & keep) | EFLAGS.fixed1
        setEFLAGS(nv & ~(popf ? EFLAGS.rf : 0))
    }
}
