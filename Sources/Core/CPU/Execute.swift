// The executor: one `switch` over decoded operations. Each case does one
// operation in one operand form; the helpers it calls are in Arithmetic.swift,
// Operands.swift, Strings.swift, System.swift and Interrupts.swift.
//
// Contract: on entry `eip` already points at the next instruction. A case must
// throw before changing any architectural state it cannot roll back, so that a
// faulting instruction can be restarted.

extension CPU {
    @inline(__always)
    func execute(_ d: UnsafeMutablePointer<DecodedInstr>) throws(Fault) {
        switch d.pointee.op {
        // MARK: MOV
        case .movRR_d: setR32(d.pointee.reg, r32(d.pointee.rm))
        case .movRM_d: setR32(d.pointee.reg, try read32(ea(d)))
        case .movMR_d: try write32(ea(d), r32(d.pointee.reg))
        case .movRI_d: setR32(d.pointee.reg, d.pointee.imm)
        case .movMI_d: try write32(ea(d), d.pointee.imm)
        case .movRR_x: setRW(d.pointee.reg, d.pointee.w, rW(d.pointee.rm, d.pointee.w))
        case .movRM_x: setRW(d.pointee.reg, d.pointee.w, try readW(ea(d), d.pointee.w))
        case .movMR_x: try writeW(ea(d), d.pointee.w, rW(d.pointee.reg, d.pointee.w))
        case .movRI_x: setRW(d.pointee.reg, d.pointee.w, d.pointee.imm)
        case .movMI_x: try writeW(ea(d), d.pointee.w, d.pointee.imm)
        case .lea: setRW(d.pointee.reg, d.pointee.w, eaOffset(d))
        case .movzxRR: setRW(d.pointee.reg, d.pointee.w, rW(d.pointee.rm, d.pointee.sub))
        case .movzxRM: setRW(d.pointee.reg, d.pointee.w, try readW(ea(d), d.pointee.sub))
        case .movsxRR: setRW(d.pointee.reg, d.pointee.w, UInt32(bitPattern: sext(rW(d.pointee.rm, d.pointee.sub), d.pointee.sub)))
        case .movsxRM: setRW(d.pointee.reg, d.pointee.w, UInt32(bitPattern: sext(try readW(ea(d), d.pointee.sub), d.pointee.sub)))
        case .xchgRR:
            let w = d.pointee.w
            let a = rW(d.pointee.reg, w), b = rW(d.pointee.rm, w)
            setRW(d.pointee.reg, w, b); setRW(d.pointee.rm, w, a)
        case .xchgMR:
            let w = d.pointee.w, reg = d.pointee.reg
            let r = rW(reg, w)
            try modify(ea(d), w) { (old: UInt32) throws(Fault) -> UInt32? in self.setRW(reg, w, old); return r }

        // MARK: ALU
        case .aluRR_d:
            let r = alu(d.pointee.sub, r32(d.pointee.reg), r32(d.pointee.rm), 2)
            if d.pointee.sub != 7 { setR32(d.pointee.reg, r) }
        case .aluRI_d:
            let r = alu(d.pointee.sub, r32(d.pointee.reg), d.pointee.imm, 2)
            if d.pointee.sub != 7 { setR32(d.pointee.reg, r) }
        case .aluRM_d:
            let r = alu(d.pointee.sub, r32(d.pointee.reg), try read32(ea(d)), 2)
            if d.pointee.sub != 7 { setR32(d.pointee.reg, r) }
        case .aluMR_d, .aluMI_d:
            let kind = d.pointee.sub
            let b = d.pointee.op == .aluMR_d ? r32(d.pointee.reg) : d.pointee.imm
            if kind == 7 { _ = alu(7, try read32(ea(d)), b, 2) }
            else { try modify(ea(d), 2) { (a: UInt32) throws(Fault) -> UInt32? in self.alu(kind, a, b, 2) } }
        case .aluRR_x:
            let w = d.pointee.w
            let r = alu(d.pointee.sub, rW(d.pointee.reg, w), rW(d.pointee.rm, w), w)
            if d.pointee.sub != 7 { setRW(d.pointee.reg, w, r) }
        case .aluRI_x:
            let w = d.pointee.w
            let r = alu(d.pointee.sub, rW(d.pointee.reg, w), d.pointee.imm, w)
            if d.pointee.sub != 7 { setRW(d.pointee.reg, w, r) }
        case .aluRM_x:
            let w = d.pointee.w
            let r = alu(d.pointee.sub, rW(d.pointee.reg, w), try readW(ea(d), w), w)
            if d.pointee.sub != 7 { setRW(d.pointee.reg, w, r) }
        case .aluMR_x, .aluMI_x:
            let kind = d.pointee.sub, w = d.pointee.w
            let b = d.pointee.op == .aluMR_x ? rW(d.pointee.reg, w) : d.pointee.imm
            if kind == 7 { _ = alu(7, try readW(ea(d), w), b, w) }
            else { try modify(ea(d), w) { (a: UInt32) throws(Fault) -> UInt32? in self.alu(kind, a, b, w) } }

        // MARK: TEST
        case .testRR_d: setFlagsLogic(r32(d.pointee.reg) & r32(d.pointee.rm), 2)
        case .testRI_d: setFlagsLogic(r32(d.pointee.reg) & d.pointee.imm, 2)
        case .testMR_d: setFlagsLogic(try read32(ea(d)) & r32(d.pointee.reg), 2)
        case .testMI_d: setFlagsLogic(try read32(ea(d)) & d.pointee.imm, 2)
        case .testRR_x: setFlagsLogic(rW(d.pointee.reg, d.pointee.w) & rW(d.pointee.rm, d.pointee.w), d.pointee.w)
        case .testRI_x: setFlagsLogic(rW(d.pointee.reg, d.pointee.w) & d.pointee.imm, d.pointee.w)
        case .testMR_x: setFlagsLogic(try readW(ea(d), d.pointee.w) & rW(d.pointee.reg, d.pointee.w), d.pointee.w)
        case .testMI_x: setFlagsLogic(try readW(ea(d), d.pointee.w) & d.pointee.imm, d.pointee.w)

        // MARK: INC/DEC/NOT/NEG
        case .unaryR_d: setR32(d.pointee.reg, unary(d.pointee.sub, r32(d.pointee.reg), 2))
        case .unaryR_x: setRW(d.pointee.reg, d.pointee.w, unary(d.pointee.sub, rW(d.pointee.reg, d.pointee.w), d.pointee.w))
        case .unaryM_d, .unaryM_x:
            let kind = d.pointee.sub, w = d.pointee.w
            try modify(ea(d), w) { (a: UInt32) throws(Fault) -> UInt32? in self.unary(kind, a, w) }

        // MARK: Stack
        case .pushR:
            if d.pointee.w == 2 { try push32(r32(d.pointee.reg)) } else { try pushW(rW(d.pointee.reg, 1), 1) }
        case .popR:
            let v = try popW(d.pointee.w)
            setRW(d.pointee.reg, d.pointee.w, v)
        case .pushI: try pushW(d.pointee.imm, d.pointee.w)
        case .pushM: try pushW(try readW(ea(d), d.pointee.w), d.pointee.w)
        case .popM:
            let w = d.pointee.w
            let oldSP = regs[4]
            let v = try popW(w)
            do { try writeW(ea(d), w, v) } catch { regs[4] = oldSP; throw error }
        case .pusha: try pushAll()
        case .popa: try popAll()
        case .pushf: try push32(materializedFlags() & ~(EFLAGS.vm | EFLAGS.rf))
        case .popf: writeFlagsPrivileged(try pop32(), popf: true)
        case .leave:
            let v = try read32(ssBase &+ regs[5])
            regs[4] = regs[5] &+ 4
            regs[5] = v
        case .enter: try enter(size: d.pointee.imm, level: d.pointee.imm2)
        case .pushSeg: try pushW(UInt32(seg[Int(d.pointee.sub)].selector), d.pointee.w)
        case .popSeg:
            let w = d.pointee.w
            let v = try read16(ssBase &+ regs[4])
            try loadSegment(SegReg(rawValue: Int(d.pointee.sub))!, UInt16(truncatingIfNeeded: v))
            regs[4] &+= w == 2 ? 4 : 2
            if d.pointee.sub == 2 { interruptShadow = true; deadline = 0 }

        // MARK: Shifts
        case .shiftR:
            let w = d.pointee.w
            let count = d.pointee.pfx & Prefix.countCL != 0 ? regs[1] & 0xFF : d.pointee.imm
            setRW(d.pointee.reg, w, shift(d.pointee.sub, rW(d.pointee.reg, w), count, w))
        case .shiftM:
            let w = d.pointee.w, kind = d.pointee.sub
            let count = d.pointee.pfx & Prefix.countCL != 0 ? regs[1] & 0xFF : d.pointee.imm
            try modify(ea(d), w) { (a: UInt32) throws(Fault) -> UInt32? in self.shift(kind, a, count, w) }
        case .shldR, .shrdR:
            let w = d.pointee.w
            let count = d.pointee.pfx & Prefix.countCL != 0 ? regs[1] : d.pointee.imm
            setRW(d.pointee.reg, w, doubleShift(left: d.pointee.op == .shldR, rW(d.pointee.reg, w), rW(d.pointee.rm, w), count, w))
        case .shldM, .shrdM:
            let w = d.pointee.w, left = d.pointee.op == .shldM
            let b = rW(d.pointee.reg, w)
            let count = d.pointee.pfx & Prefix.countCL != 0 ? regs[1] : d.pointee.imm
            try modify(ea(d), w) { (a: UInt32) throws(Fault) -> UInt32? in self.doubleShift(left: left, a, b, count, w) }

        // MARK: Multiply / divide
        case .mulDivR: try mulDiv(d.pointee.sub, rW(d.pointee.reg, d.pointee.w), d.pointee.w)
        case .mulDivM: try mulDiv(d.pointee.sub, try readW(ea(d), d.pointee.w), d.pointee.w)
        case .imulRR: setRW(d.pointee.reg, d.pointee.w, imul(rW(d.pointee.reg, d.pointee.w), rW(d.pointee.rm, d.pointee.w), d.pointee.w))
        case .imulRM: setRW(d.pointee.reg, d.pointee.w, imul(rW(d.pointee.reg, d.pointee.w), try readW(ea(d), d.pointee.w), d.pointee.w))
        case .imulRRI: setRW(d.pointee.reg, d.pointee.w, imul(rW(d.pointee.rm, d.pointee.w), d.pointee.imm, d.pointee.w))
        case .imulRMI: setRW(d.pointee.reg, d.pointee.w, imul(try readW(ea(d), d.pointee.w), d.pointee.imm, d.pointee.w))
        case .cbwCwde:
            if d.pointee.w == 2 { regs[0] = UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: regs[0]))) }
            else { setRW(0, 1, UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: regs[0])))) }
        case .cwdCdq:
            if d.pointee.w == 2 { regs[2] = regs[0] & 0x8000_0000 != 0 ? 0xFFFF_FFFF : 0 }
            else { setRW(8, 1, regs[0] & 0x8000 != 0 ? 0xFFFF : 0) }

        // MARK: Bits
        case .btRR:
            let w = d.pointee.w
            let bit = rW(d.pointee.rm, w) & (w == 2 ? 31 : 15)
            if let r = bitOp(d.pointee.sub, rW(d.pointee.reg, w), bit) { setRW(d.pointee.reg, w, r) }
        case .btRI:
            let w = d.pointee.w
            let bit = d.pointee.imm & (w == 2 ? 31 : 15)
            if let r = bitOp(d.pointee.sub, rW(d.pointee.reg, w), bit) { setRW(d.pointee.reg, w, r) }
        case .btMR, .btMI:
            let w = d.pointee.w, kind = d.pointee.sub
            var la = ea(d)
            let bit: UInt32
            if d.pointee.op == .btMR {
                // Bit-string addressing: the signed offset selects a word or dword relative to the operand.
                let off = sext(rW(d.pointee.reg, w), w)
                if w == 2 { la = la &+ UInt32(bitPattern: (off >> 5) &* 4); bit = UInt32(bitPattern: off) & 31 }
                else { la = la &+ UInt32(bitPattern: (off >> 4) &* 2); bit = UInt32(bitPattern: off) & 15 }
            } else {
                bit = d.pointee.imm & (w == 2 ? 31 : 15)
            }
            if kind == 0 { _ = bitOp(0, try readW(la, w), bit) }
            else { try modify(la, w) { (v: UInt32) throws(Fault) -> UInt32? in self.bitOp(kind, v, bit) } }
        case .bsfRR:
            if let r = bitScan(reverse: d.pointee.sub == 1, rW(d.pointee.rm, d.pointee.w)) { setRW(d.pointee.reg, d.pointee.w, r) }
        case .bsfRM:
            if let r = bitScan(reverse: d.pointee.sub == 1, try readW(ea(d), d.pointee.w)) { setRW(d.pointee.reg, d.pointee.w, r) }
        case .bswap:
            if d.pointee.w == 2 { setR32(d.pointee.reg, r32(d.pointee.reg).byteSwapped) } else { setRW(d.pointee.reg, 1, 0) }
        case .cmpxchgRR:
            let w = d.pointee.w
            let acc = rW(0, w), dst = rW(d.pointee.reg, w)
            _ = alu(7, acc, dst, w)
            if acc == dst { setRW(d.pointee.reg, w, rW(d.pointee.rm, w)) } else { setRW(0, w, dst) }
        case .cmpxchgMR:
            let w = d.pointee.w
            let src = rW(d.pointee.reg, w)
            var old: UInt32 = 0
            try modify(ea(d), w) { (v: UInt32) throws(Fault) -> UInt32? in
                old = v
                return v == self.rW(0, w) ? src : v
            }
            let acc = rW(0, w)
            _ = alu(7, acc, old, w)
            if acc != old { setRW(0, w, old) }
        case .xaddRR:
            let w = d.pointee.w
            let a = rW(d.pointee.reg, w), b = rW(d.pointee.rm, w)
            let r = alu(0, a, b, w)
            setRW(d.pointee.rm, w, a)
            setRW(d.pointee.reg, w, r)
        case .xaddMR:
            let w = d.pointee.w, reg = d.pointee.reg
            let b = rW(reg, w)
            try modify(ea(d), w) { (a: UInt32) throws(Fault) -> UInt32? in
                let r = self.alu(0, a, b, w)
                self.setRW(reg, w, a)
                return r
            }
        case .cmpxchg8b: try cmpxchg8b(ea(d))
        case .setccR: setRW(d.pointee.reg, 0, condition(d.pointee.sub) ? 1 : 0)
        case .setccM: try write8(ea(d), condition(d.pointee.sub) ? 1 : 0)
        case .cmovRR:
            if condition(d.pointee.sub) { setRW(d.pointee.reg, d.pointee.w, rW(d.pointee.rm, d.pointee.w)) }
        case .cmovRM:
            // The memory operand is read whether or not the condition holds.
            let v = try readW(ea(d), d.pointee.w)
            if condition(d.pointee.sub) { setRW(d.pointee.reg, d.pointee.w, v) }

        // MARK: Control transfer
        case .jcc: if condition(d.pointee.sub) { eip &+= d.pointee.imm }
        case .jmp: eip &+= d.pointee.imm
        case .call:
            try push32(eip)
            eip &+= d.pointee.imm
        case .jmpR: eip = r32(d.pointee.reg)
        case .jmpM: eip = try read32(ea(d))
        case .callR:
            let t = r32(d.pointee.reg)
            try push32(eip); eip = t
        case .callM:
            let t = try read32(ea(d))
            try push32(eip); eip = t
        case .ret: eip = try pop32()
        case .retImm:
            let t = try pop32()
            regs[4] &+= d.pointee.imm
            eip = t
        case .loop:
            let kind = d.pointee.sub
            if kind == 3 {
                if regs[1] == 0 { eip &+= d.pointee.imm }
            } else {
                let c = regs[1] &- 1
                regs[1] = c
                let take = c != 0 && (kind == 2 || (kind == 1 ? zf : !zf))
                if take { eip &+= d.pointee.imm }
            }
        case .jmpFar: try farJump(selector: UInt16(truncatingIfNeeded: d.pointee.imm2), offset: d.pointee.imm)
        case .callFar: try farCall(selector: UInt16(truncatingIfNeeded: d.pointee.imm2), offset: d.pointee.imm)
        case .jmpFarM:
            let la = ea(d)
            let off = try read32(la), sel = try read16(la &+ 4)
            try farJump(selector: UInt16(truncatingIfNeeded: sel), offset: off)
        case .callFarM:
            let la = ea(d)
            let off = try read32(la), sel = try read16(la &+ 4)
            try farCall(selector: UInt16(truncatingIfNeeded: sel), offset: off)
        case .retf, .retfImm: try farReturn(extra: d.pointee.op == .retfImm ? d.pointee.imm : 0)
        case .iret: try interruptReturn()
        case .int3: try softwareInterrupt(3)
        case .intN: try softwareInterrupt(UInt8(truncatingIfNeeded: d.pointee.imm))
        case .into: if of { try softwareInterrupt(4) }
        case .hlt:
            guard cpl == 0 else { throw Fault.gp() }
            halted = true
            deadline = 0

        // MARK: Flags
        case .cmc: setFlag(EFLAGS.cf, !cf)
        case .clc: setFlag(EFLAGS.cf, false)
        case .stc: setFlag(EFLAGS.cf, true)
        case .cld: flagsBase &= ~EFLAGS.df
        case .std: flagsBase |= EFLAGS.df
        case .cli:
            guard cpl <= iopl else { throw Fault.gp() }
            flagsBase &= ~EFLAGS.if
        case .sti:
            guard cpl <= iopl else { throw Fault.gp() }
            if flagsBase & EFLAGS.if == 0 {
                flagsBase |= EFLAGS.if
                interruptShadow = true
                deadline = 0
            }
        case .sahf:
            materializeFlags()
            let mask = EFLAGS.sf | EFLAGS.zf | EFLAGS.af | EFLAGS.pf | EFLAGS.cf
            flagsBase = (flagsBase & ~mask) | ((regs[0] >> 8) & mask)
        case .lahf:
            setRW(1, 0, (materializedFlags() & 0xD5) | 0x02)

        // MARK: Strings and I/O
        case .movs, .stos, .lods, .cmps, .scas, .ins, .outs: try stringOp(d)
        case .inI: try portIn(UInt16(d.pointee.imm), d.pointee.w)
        case .inDX: try portIn(UInt16(truncatingIfNeeded: regs[2]), d.pointee.w)
        case .outI: try portOut(UInt16(d.pointee.imm), d.pointee.w)
        case .outDX: try portOut(UInt16(truncatingIfNeeded: regs[2]), d.pointee.w)
        case .xlat: setRW(0, 0, try read8(segBase[Int(d.pointee.seg)] &+ regs[3] &+ (regs[0] & 0xFF)))

        // MARK: System
        case .movSregR: try movToSeg(d.pointee.sub, r32(d.pointee.rm))
        case .movSregM: try movToSeg(d.pointee.sub, try read16(ea(d)))
        case .movRSreg: setRW(d.pointee.reg, d.pointee.w, UInt32(seg[Int(d.pointee.sub)].selector))
        case .movMSreg: try write16(ea(d), UInt32(seg[Int(d.pointee.sub)].selector))
        case .lgdt, .lidt:
            guard cpl == 0 else { throw Fault.gp() }
            let la = ea(d)
            let limit = try read16(la), base = try read32(la &+ 2)
            var t = TableRegister(); t.base = base; t.limit = UInt16(truncatingIfNeeded: limit)
            if d.pointee.op == .lgdt { gdtr = t } else { idtr = t }
        case .sgdt, .sidt:
            let t = d.pointee.op == .sgdt ? gdtr : idtr
            let la = ea(d)
            try probeWrite(la, 6)
            try write16(la, UInt32(t.limit)); try write32(la &+ 2, t.base)
        case .smswR: setRW(d.pointee.reg, d.pointee.w, cr0 & (d.pointee.w == 2 ? 0xFFFF_FFFF : 0xFFFF))
        case .smswM: try write16(ea(d), cr0 & 0xFFFF)
        case .lmswR, .lmswM:
            guard cpl == 0 else { throw Fault.gp() }
            let v = d.pointee.op == .lmswR ? rW(d.pointee.rm, 1) : try read16(ea(d))
            // LMSW can set PE but not clear it; it touches only MP, EM, TS.
            try writeCR0((cr0 & ~0xE) | (v & 0xF) | (cr0 & 1))
        case .invlpg:
            guard cpl == 0 else { throw Fault.gp() }
            invalidatePage(ea(d))
            stats.invlpgs &+= 1
            charge(costs.invlpg)
        case .ltrR, .ltrM:
            let sel = d.pointee.op == .ltrR ? rW(d.pointee.rm, 1) : try read16(ea(d))
            try loadTaskRegister(UInt16(truncatingIfNeeded: sel))
        case .strR: setRW(d.pointee.reg, d.pointee.w, UInt32(tr.selector))
        case .strM: try write16(ea(d), UInt32(tr.selector))
        case .lldtR, .lldtM:
            let sel = d.pointee.op == .lldtR ? rW(d.pointee.rm, 1) : try read16(ea(d))
            try loadLDT(UInt16(truncatingIfNeeded: sel))
        case .sldtR: setRW(d.pointee.reg, d.pointee.w, UInt32(ldtr.selector))
        case .sldtM: try write16(ea(d), UInt32(ldtr.selector))
        case .movToCR: try movToCR(d.pointee.sub, r32(d.pointee.reg))
        case .movFromCR: setR32(d.pointee.reg, try readCR(d.pointee.sub))
        case .movToDR:
            guard cpl == 0 else { throw Fault.gp() }
            guard d.pointee.sub != 4 && d.pointee.sub != 5 else { throw Fault.ud }
            dr[Int(d.pointee.sub)] = r32(d.pointee.reg)
        case .movFromDR:
            guard cpl == 0 else { throw Fault.gp() }
            guard d.pointee.sub != 4 && d.pointee.sub != 5 else { throw Fault.ud }
            setR32(d.pointee.reg, dr[Int(d.pointee.sub)])
        case .clts:
            guard cpl == 0 else { throw Fault.gp() }
            cr0 &= ~CR0.ts
        case .wbinvd:
            guard cpl == 0 else { throw Fault.gp() }
        case .rdtsc:
            guard cr4 & CR4.tsd == 0 || cpl == 0 else { throw Fault.gp() }
            regs[0] = UInt32(truncatingIfNeeded: cycles); regs[2] = UInt32(truncatingIfNeeded: cycles >> 32)
        case .cpuid: cpuid()
        case .rdmsr: try readMSR()
        case .wrmsr: try writeMSR()
        case .fpu:
            // No x87: with CR0.EM (or TS) set this is #NM, as the SDM says; otherwise #UD.
            throw cr0 & (CR0.em | CR0.ts) != 0 ? Fault.nm : Fault.ud
        case .nop: break
        case .ud:
            throw d.pointee.imm2 == 1 ? Fault.gp() : Fault.ud
        }
    }
}
