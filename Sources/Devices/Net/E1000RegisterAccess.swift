// E1000RegisterAccess: how guest accesses reach the e1000's registers — the
// 128 KiB memory BAR (dword registers; narrower or unaligned accesses see and
// merge the register's bytes), the 64-byte I/O BAR's IOADDR/IODATA window, and
// the per-register read and write semantics (read-to-clear ICR and statistics,
// write-1-to-clear ICR, set/clear masks, TDT starting transmission, CTRL.RST).

extension E1000 {
    // MARK: MMIO (BAR0)

    public func mmioRead(offset: UInt32, size: Int) -> UInt32 {
        let n = PortAccess.clampedSize(size)
        let off = offset & (E1000Reg.mmioSize - 1)
        let value = readRegister(off & ~3)
        let shift = UInt32(off & 3) * 8
        return (value >> shift) & PortAccess.mask(n)
    }

    public func mmioWrite(offset: UInt32, size: Int, value: UInt32) {
        let n = PortAccess.clampedSize(size)
        let off = offset & (E1000Reg.mmioSize - 1)
        let reg = off & ~3
        if n == 4, off & 3 == 0 {
            writeRegister(reg, value)
            return
        }
        // Registers are 32-bit; a narrower or unaligned write merges into the
        // current contents (zeros for the write-to-act interrupt registers).
        let shift = UInt32(off & 3) * 8
        let mask = PortAccess.mask(n) << shift
        let actOnly = [E1000Reg.icr, E1000Reg.ics, E1000Reg.ims, E1000Reg.imc].contains(reg)
        let current = actOnly ? 0 : peekRegister(reg)
        writeRegister(reg, (current & ~mask) | ((value << shift) & mask))
    }

    // MARK: I/O BAR (BAR1): IOADDR at +0, IODATA at +4

    /// Port access to the I/O BAR. Ports outside the decoded window read as
    /// all ones. IODATA reaches the register IOADDR selects.
    ///
    /// QEMU 7.2 ignores its e1000 I/O BAR (reads 0, writes dropped); the model
    /// implements it as the 8254x manual describes.
    public func read(port: UInt16, size: Int) -> UInt32 {
        let n = PortAccess.clampedSize(size)
        guard let base = configSpace.decodedBase(bar: 1), UInt32(port) >= base, UInt32(port) < base + E1000Reg.ioSize
        else { return PortAccess.mask(n) }
        switch UInt32(port) - base {
        case 0: return s.regs.ioAddress & PortAccess.mask(n)
        case 4: return mmioRead(offset: s.regs.ioAddress, size: 4) & PortAccess.mask(n)
        default: return 0
        }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        guard let base = configSpace.decodedBase(bar: 1), UInt32(port) >= base, UInt32(port) < base + E1000Reg.ioSize
        else { return }
        switch UInt32(port) - base {
        case 0: s.regs.ioAddress = value & (E1000Reg.mmioSize - 1) & ~3
        case 4: mmioWrite(offset: s.regs.ioAddress, size: PortAccess.clampedSize(size), value: value)
        default: break
        }
    }

    // MARK: Register dispatch

    /// The register at dword offset `off` without read side effects.
    func peekRegister(_ off: UInt32) -> UInt32 {
        let r = s.regs
        switch off {
        case E1000Reg.ctrl: return r.ctrl
        case E1000Reg.status: return r.status
        case E1000Reg.eecd: return s.eeprom.readEECD()
        case E1000Reg.eerd: return s.eeprom.readEERD(r.eerd)
        case E1000Reg.mdic: return r.mdic
        case E1000Reg.icr, E1000Reg.ics: return r.icr
        case E1000Reg.ims: return r.ims
        case E1000Reg.rctl: return r.rctl
        case E1000Reg.tctl: return r.tctl
        case E1000Reg.rdbal: return r.rdbal
        case E1000Reg.rdbah: return r.rdbah
        case E1000Reg.rdlen: return r.rdlen
        case E1000Reg.rdh: return r.rdh
        case E1000Reg.rdt: return r.rdt
        case E1000Reg.tdbal: return r.tdbal
        case E1000Reg.tdbah: return r.tdbah
        case E1000Reg.tdlen: return r.tdlen
        case E1000Reg.tdh: return r.tdh
        case E1000Reg.tdt: return r.tdt
        default:
            if let i = Self.index(off, E1000Reg.statsBase, E1000Reg.statsCount) { return r.stats[i] }
            if let i = Self.index(off, E1000Reg.mtaBase, E1000Reg.mtaCount) { return r.mta[i] }
            if let i = Self.index(off, E1000Reg.raBase, E1000Reg.raCount) { return r.ra[i] }
            if let i = Self.index(off, E1000Reg.vftaBase, E1000Reg.vftaCount) { return r.vfta[i] }
            return E1000Reg.plainIndex[off].map { r.plain[$0] } ?? 0
        }
    }

    /// A guest read of the register at dword offset `off`, with its side effects.
    func readRegister(_ off: UInt32) -> UInt32 {
        switch off {
        case E1000Reg.icr:
            // Read-to-clear (all causes, as QEMU does).
            let value = s.regs.icr
            s.regs.icr = 0
            updateIRQ()
            return value
        default:
            guard let i = Self.index(off, E1000Reg.statsBase, E1000Reg.statsCount) else { return peekRegister(off) }
            let value = s.regs.stats[i]
            if E1000Reg.statHighHalves.contains(i) {
                s.regs.stats[i] = 0
                s.regs.stats[i - 1] = 0
            } else if !E1000Reg.statLowHalves.contains(i) {
                s.regs.stats[i] = 0
            }
            return value
        }
    }

    /// A guest write of `value` to the register at dword offset `off`.
    func writeRegister(_ off: UInt32, _ value: UInt32) {
        switch off {
        case E1000Reg.ctrl:
            if value & E1000Reg.ctrlRST != 0 {
                reset()
            } else {
                s.regs.ctrl = value
            }
        case E1000Reg.eecd: s.eeprom.writeEECD(value)
        case E1000Reg.eerd: s.regs.eerd = value
        case E1000Reg.mdic:
            let (mdic, autonegDone) = s.phy.mdicWrite(value, previous: s.regs.mdic)
            s.regs.mdic = mdic
            if autonegDone { raise(E1000Reg.icrLSC) }
            if value & E1000Reg.mdicIntEnable != 0 { raise(E1000Reg.icrMDAC) }
        case E1000Reg.icr:
            s.regs.icr &= ~value
            updateIRQ()
        case E1000Reg.ics: raise(value)
        case E1000Reg.ims:
            s.regs.ims |= value
            updateIRQ()
        case E1000Reg.imc:
            s.regs.ims &= ~value
            updateIRQ()
        case E1000Reg.rctl: s.regs.rctl = value
        case E1000Reg.tctl:
            s.regs.tctl = value
            startTransmit()
        case E1000Reg.tdt:
            s.regs.tdt = value & 0xFFFF
            startTransmit()
        case E1000Reg.rdbal: s.regs.rdbal = value
        case E1000Reg.rdbah: s.regs.rdbah = value
        case E1000Reg.rdlen: s.regs.rdlen = value & 0xF_FF80
        case E1000Reg.rdh: s.regs.rdh = value & 0xFFFF
        case E1000Reg.rdt: s.regs.rdt = value & 0xFFFF
        case E1000Reg.tdbal: s.regs.tdbal = value
        case E1000Reg.tdbah: s.regs.tdbah = value
        case E1000Reg.tdlen: s.regs.tdlen = value & 0xF_FF80
        case E1000Reg.tdh: s.regs.tdh = value & 0xFFFF
        default:
            if let i = Self.index(off, E1000Reg.mtaBase, E1000Reg.mtaCount) { s.regs.mta[i] = value; return }
            if let i = Self.index(off, E1000Reg.raBase, E1000Reg.raCount) { s.regs.ra[i] = value; return }
            if let i = Self.index(off, E1000Reg.vftaBase, E1000Reg.vftaCount) { s.regs.vfta[i] = value; return }
            if let i = E1000Reg.plainIndex[off], let p = E1000Reg.plain[off], p.mask != 0 {
                s.regs.plain[i] = value & p.mask
            }
            // STATUS, statistics and unknown registers ignore writes.
        }
    }

    @inline(__always)
    fileprivate static func index(_ off: UInt32, _ base: UInt32, _ count: Int) -> Int? {
        guard off >= base, off < base + UInt32(count * 4) else { return nil }
        return Int((off - base) / 4)
    }
}
