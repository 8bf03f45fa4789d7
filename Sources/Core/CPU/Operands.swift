// Operand access for the executor: registers by byte offset, effective
// addresses, read-modify-write memory, and the stack.

extension CPU {
    // MARK: Registers (byte offsets into the register file)

    @inline(__always) func r32(_ off: UInt8) -> UInt32 {
        rawRegs.load(fromByteOffset: Int(off), as: UInt32.self)
    }
    @inline(__always) func setR32(_ off: UInt8, _ v: UInt32) {
        rawRegs.storeBytes(of: v, toByteOffset: Int(off), as: UInt32.self)
    }
    /// Register of width w (0 = 8, 1 = 16, 2 = 32 bits), zero-extended.
    @inline(__always) func rW(_ off: UInt8, _ w: UInt8) -> UInt32 {
        switch w {
        case 0: return UInt32(rawRegs.load(fromByteOffset: Int(off), as: UInt8.self))
        case 1: return UInt32(rawRegs.load(fromByteOffset: Int(off), as: UInt16.self))
        default: return rawRegs.load(fromByteOffset: Int(off), as: UInt32.self)
        }
    }
    /// Write the low w-width part of a register, leaving the rest alone.
    @inline(__always) func setRW(_ off: UInt8, _ w: UInt8, _ v: UInt32) {
        switch w {
        case 0: rawRegs.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: Int(off), as: UInt8.self)
        case 1: rawRegs.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: Int(off), as: UInt16.self)
        default: rawRegs.storeBytes(of: v, toByteOffset: Int(off), as: UInt32.self)
        }
    }

    // MARK: Effective addresses

    /// Linear address of the memory operand (segment base + base + index*scale + disp).
    @inline(__always) func ea(_ d: UnsafeMutablePointer<DecodedInstr>) -> UInt32 {
        segBase[Int(d.pointee.seg)] &+ regs[Int(d.pointee.base)]
            &+ (regs[Int(d.pointee.index)] << UInt32(d.pointee.scale)) &+ d.pointee.disp
    }

    /// Offset part only (LEA).
    @inline(__always) func eaOffset(_ d: UnsafeMutablePointer<DecodedInstr>) -> UInt32 {
        regs[Int(d.pointee.base)] &+ (regs[Int(d.pointee.index)] << UInt32(d.pointee.scale)) &+ d.pointee.disp
    }

    // MARK: Read-modify-write

    /// Read-modify-write of width w at `la`: the page is checked for writing
    /// before anything is read, so `f` (which may set flags) runs only if the
    /// write will succeed. Return nil from `f` to skip the write.
    @inline(__always) func modify(_ la: UInt32, _ w: UInt8, _ f: (UInt32) throws(Fault) -> UInt32?) throws(Fault) {
        let size = 1 << Int(w)
        let e = fast.write[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit && Int(la & 0xFFF) <= 0x1000 - size) {
            fastDataHits &+= 1
            let p = UnsafeMutableRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped
            switch w {
            case 2: if let r = try f(p.loadUnaligned(as: UInt32.self)) { p.storeBytes(of: r, as: UInt32.self) }
            case 1: if let r = try f(UInt32(p.loadUnaligned(as: UInt16.self))) { p.storeBytes(of: UInt16(truncatingIfNeeded: r), as: UInt16.self) }
            default: if let r = try f(UInt32(p.load(as: UInt8.self))) { p.storeBytes(of: UInt8(truncatingIfNeeded: r), as: UInt8.self) }
            }
            return
        }
        try probeWrite(la, size)
        let v = try readW(la, w)
        if let r = try f(v) { try writeW(la, w, r) }
    }

    // MARK: Stack

    @inline(__always) var ssBase: UInt32 { segBase[2] }

    @inline(__always) func push32(_ v: UInt32) throws(Fault) {
        let sp = regs[4] &- 4
        try write32(ssBase &+ sp, v)
        regs[4] = sp
    }
    @inline(__always) func pop32() throws(Fault) -> UInt32 {
        let v = try read32(ssBase &+ regs[4])
        regs[4] &+= 4
        return v
    }
    @inline(__always) func pushW(_ v: UInt32, _ w: UInt8) throws(Fault) {
        if w == 2 { try push32(v); return }
        let sp = regs[4] &- 2
        try write16(ssBase &+ sp, v)
        regs[4] = sp
    }
    @inline(__always) func popW(_ w: UInt8) throws(Fault) -> UInt32 {
        if w == 2 { return try pop32() }
        let v = try read16(ssBase &+ regs[4])
        regs[4] &+= 2
        return v
    }
}
