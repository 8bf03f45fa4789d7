// ALU, shift/rotate, multiply/divide and bit-scan semantics with their EFLAGS
// effects (Intel SDM vol. 2). Operands arrive masked to their width w (0 = 8,
// 1 = 16, 2 = 32 bits); results are returned masked.

extension CPU {
    /// The eight ALU operations of opcodes 00–3F / group 1 (kind = ModRM.reg).
    @inline(__always) func alu(_ kind: UInt8, _ a: UInt32, _ b: UInt32, _ w: UInt8) -> UInt32 {
        let m = maskFor(w)
        switch kind {
        case 0: let r = (a &+ b) & m; setFlagsAdd(a, b, r, w); return r
        case 1: let r = a | b; setFlagsLogic(r, w); return r
        case 2: let c: UInt32 = cf ? 1 : 0; let r = (a &+ b &+ c) & m; setFlagsOp(.adc, a, b, r, w); return r
        case 3: let c: UInt32 = cf ? 1 : 0; let r = (a &- b &- c) & m; setFlagsOp(.sbb, a, b, r, w); return r
        case 4: let r = a & b; setFlagsLogic(r, w); return r
        case 5, 7: let r = (a &- b) & m; setFlagsSub(a, b, r, w); return r
        default: let r = a ^ b; setFlagsLogic(r, w); return r
        }
    }

    /// INC/DEC/NOT/NEG (kind 0–3).
    @inline(__always) func unary(_ kind: UInt8, _ a: UInt32, _ w: UInt8) -> UInt32 {
        let m = maskFor(w)
        switch kind {
        case 0:
            let c = cf
            let r = (a &+ 1) & m
            setFlagsOp(.inc, a, 1, r, w); lfAux = c ? EFLAGS.cf : 0
            return r
        case 1:
            let c = cf
            let r = (a &- 1) & m
            setFlagsOp(.dec, a, 1, r, w); lfAux = c ? EFLAGS.cf : 0
            return r
        case 2: return ~a & m
        default:
            let r = (0 &- a) & m
            setFlagsSub(0, a, r, w)
            return r
        }
    }

    /// Shifts and rotates (kind = ModRM.reg). A count of 0 changes nothing.
    func shift(_ kind: UInt8, _ a: UInt32, _ rawCount: UInt32, _ w: UInt8) -> UInt32 {
        let count = rawCount & 0x1F
        if count == 0 { return a }
        let bits = UInt32(8) << UInt32(w)        // 8, 16, 32
        let m = maskFor(w), s = signFor(w)
        switch kind {
        case 0, 1:  // ROL, ROR
            let c = count % bits
            let r = c == 0 ? a : (kind == 0 ? ((a << c) | (a >> (bits - c))) & m : ((a >> c) | (a << (bits - c))) & m)
            materializeFlags()
            let newCF = kind == 0 ? r & 1 != 0 : r & s != 0
            let newOF = kind == 0 ? (r & s != 0) != newCF : (r & s != 0) != (r & (s >> 1) != 0)
            setArith(cf: newCF, of: newOF)
            return r
        case 2, 3:  // RCL, RCR: rotate through CF over bits+1 positions
            let c = count % (bits + 1)
            var v = UInt64(a) | (cf ? UInt64(1) << UInt64(bits) : 0)
            let width = UInt64(bits + 1)
            let all: UInt64 = (1 << width) - 1
            if c != 0 {
                let cc = UInt64(c)
                v = kind == 2 ? ((v << cc) | (v >> (width - cc))) & all : ((v >> cc) | (v << (width - cc))) & all
            }
            let r = UInt32(truncatingIfNeeded: v) & m
            let newCF = (v >> UInt64(bits)) & 1 != 0
            materializeFlags()
            let newOF = kind == 2 ? (r & s != 0) != newCF : (r & s != 0) != (r & (s >> 1) != 0)
            setArith(cf: newCF, of: newOF)
            return r
        case 4, 6:  // SHL/SAL
            let wide = UInt64(a) << UInt64(count)
            let r = UInt32(truncatingIfNeeded: wide) & m
            let newCF = (wide >> UInt64(bits)) & 1 != 0
            setFlagsCFOF(r, w, cf: newCF, of: (r & s != 0) != newCF)
            return r
        case 5:     // SHR
            let r = count >= bits ? 0 : (a >> count)
            let newCF = count > bits ? false : (UInt64(a) >> UInt64(count - 1)) & 1 != 0
            setFlagsCFOF(r, w, cf: newCF, of: a & s != 0)
            return r
        default:    // SAR
            let sa = Int64(sext(a, w))
            let r = UInt32(truncatingIfNeeded: sa >> Int64(min(count, 63))) & m
            let newCF = (sa >> Int64(count - 1)) & 1 != 0
            setFlagsCFOF(r, w, cf: newCF, of: false)
            return r
        }
    }

    /// Set CF and OF directly (flags already materialized).
    @inline(__always) func setArith(cf c: Bool, of o: Bool) {
        flagsBase = (flagsBase & ~(EFLAGS.cf | EFLAGS.of)) | (c ? EFLAGS.cf : 0) | (o ? EFLAGS.of : 0)
    }

    /// SHLD (left = true) / SHRD of width w (1 or 2): dest a, fill bits from b.
    /// 16-bit counts above 16 (undefined in the SDM) shift through a:b:a.
    func doubleShift(left: Bool, _ a: UInt32, _ b: UInt32, _ rawCount: UInt32, _ w: UInt8) -> UInt32 {
        let c = UInt64(rawCount & 0x1F)
        if c == 0 { return a }
        let m = UInt64(maskFor(w))
        let r: UInt64, newCF: Bool
        if left {
            let top: UInt64 = w == 2 ? 64 : 48
            let wide = w == 2 ? (UInt64(a) << 32) | UInt64(b) : (UInt64(a) << 32) | (UInt64(b) << 16) | UInt64(a)
            r = ((wide << c) >> 32) & m
            newCF = (wide >> (top - c)) & 1 != 0
        } else {
            let wide = w == 2 ? (UInt64(b) << 32) | UInt64(a) : (UInt64(a) << 32) | (UInt64(b) << 16) | UInt64(a)
            r = (wide >> c) & m
            newCF = (wide >> (c - 1)) & 1 != 0
        }
        let res = UInt32(truncatingIfNeeded: r)
        let s = signFor(w)
        setFlagsCFOF(res, w, cf: newCF, of: (res & s != 0) != (a & s != 0))
        return res
    }

    /// One-operand MUL/IMUL/DIV/IDIV (kind 4–7) on AL/AX/EAX (and AH/DX/EDX).
    func mulDiv(_ kind: UInt8, _ src: UInt32, _ w: UInt8) throws(Fault) {
        switch (kind, w) {
        case (4, 0):
            let r = (regs[0] & 0xFF) &* src
            setRW(0, 1, r)
            setFlagsCFOF(r & 0xFF, 0, cf: r > 0xFF, of: r > 0xFF)
        case (4, 1):
            let r = (regs[0] & 0xFFFF) &* src
            setRW(0, 1, r); setRW(8, 1, r >> 16)
            setFlagsCFOF(r & 0xFFFF, 1, cf: r > 0xFFFF, of: r > 0xFFFF)
        case (4, _):
            let r = UInt64(regs[0]) &* UInt64(src)
            regs[0] = UInt32(truncatingIfNeeded: r); regs[2] = UInt32(truncatingIfNeeded: r >> 32)
            setFlagsCFOF(regs[0], 2, cf: r >> 32 != 0, of: r >> 32 != 0)
        case (5, 0):
            let r = Int32(Int8(truncatingIfNeeded: regs[0])) &* Int32(Int8(truncatingIfNeeded: src))
            setRW(0, 1, UInt32(bitPattern: r))
            let ovf = r != Int32(Int8(truncatingIfNeeded: r))
            setFlagsCFOF(UInt32(bitPattern: r) & 0xFF, 0, cf: ovf, of: ovf)
        case (5, 1):
            let r = Int32(Int16(truncatingIfNeeded: regs[0])) &* Int32(Int16(truncatingIfNeeded: src))
            setRW(0, 1, UInt32(bitPattern: r)); setRW(8, 1, UInt32(bitPattern: r) >> 16)
            let ovf = r != Int32(Int16(truncatingIfNeeded: r))
            setFlagsCFOF(UInt32(bitPattern: r) & 0xFFFF, 1, cf: ovf, of: ovf)
        case (5, _):
            let r = Int64(Int32(bitPattern: regs[0])) &* Int64(Int32(bitPattern: src))
            regs[0] = UInt32(truncatingIfNeeded: r); regs[2] = UInt32(truncatingIfNeeded: r >> 32)
            let ovf = r != Int64(Int32(truncatingIfNeeded: r))
            setFlagsCFOF(regs[0], 2, cf: ovf, of: ovf)
        case (6, 0):
            guard src != 0 else { throw Fault.de }
            let n = regs[0] & 0xFFFF
            let q = n / src
            guard q <= 0xFF else { throw Fault.de }
            setRW(0, 0, q); setRW(1, 0, n % src)
        case (6, 1):
            guard src != 0 else { throw Fault.de }
            let n = (regs[2] & 0xFFFF) << 16 | (regs[0] & 0xFFFF)
            let q = n / src
            guard q <= 0xFFFF else { throw Fault.de }
            setRW(0, 1, q); setRW(8, 1, n % src)
        case (6, _):
            guard src != 0 else { throw Fault.de }
            let n = UInt64(regs[2]) << 32 | UInt64(regs[0])
            let q = n / UInt64(src)
            guard q <= 0xFFFF_FFFF else { throw Fault.de }
            regs[0] = UInt32(q); regs[2] = UInt32(n % UInt64(src))
        case (7, 0):
            let d = Int32(Int8(truncatingIfNeeded: src))
            guard d != 0 else { throw Fault.de }
            let n = Int32(Int16(truncatingIfNeeded: regs[0]))
            let q = n / d
            guard q >= -128 && q <= 127 else { throw Fault.de }
            setRW(0, 0, UInt32(bitPattern: q)); setRW(1, 0, UInt32(bitPattern: n % d))
        case (7, 1):
            let d = Int32(Int16(truncatingIfNeeded: src))
            guard d != 0 else { throw Fault.de }
            let n = Int32(bitPattern: (regs[2] & 0xFFFF) << 16 | (regs[0] & 0xFFFF))
            guard !(n == Int32.min && d == -1) else { throw Fault.de }
            let q = n / d
            guard q >= -32768 && q <= 32767 else { throw Fault.de }
            setRW(0, 1, UInt32(bitPattern: q)); setRW(8, 1, UInt32(bitPattern: n % d))
        default:
            let d = Int64(Int32(bitPattern: src))
            guard d != 0 else { throw Fault.de }
            let n = Int64(bitPattern: UInt64(regs[2]) << 32 | UInt64(regs[0]))
            guard !(n == Int64.min && d == -1) else { throw Fault.de }
            let q = n / d
            guard q >= Int64(Int32.min) && q <= Int64(Int32.max) else { throw Fault.de }
            regs[0] = UInt32(truncatingIfNeeded: q); regs[2] = UInt32(truncatingIfNeeded: n % d)
        }
    }

    /// Two/three-operand IMUL: low half of a*b, CF=OF=signed overflow.
    @inline(__always) func imul(_ a: UInt32, _ b: UInt32, _ w: UInt8) -> UInt32 {
        if w == 2 {
            let r = Int64(Int32(bitPattern: a)) &* Int64(Int32(bitPattern: b))
            let lo = UInt32(truncatingIfNeeded: r)
            let ovf = r != Int64(Int32(bitPattern: lo))
            setFlagsCFOF(lo, 2, cf: ovf, of: ovf)
            return lo
        }
        let r = Int32(Int16(truncatingIfNeeded: a)) &* Int32(Int16(truncatingIfNeeded: b))
        let lo = UInt32(bitPattern: r) & 0xFFFF
        let ovf = r != Int32(Int16(truncatingIfNeeded: r))
        setFlagsCFOF(lo, 1, cf: ovf, of: ovf)
        return lo
    }

    /// BT/BTS/BTR/BTC on a value; returns the new value (nil for BT). Sets CF only.
    @inline(__always) func bitOp(_ kind: UInt8, _ v: UInt32, _ bit: UInt32) -> UInt32? {
        let mask: UInt32 = 1 << (bit & 31)
        setFlag(EFLAGS.cf, v & mask != 0)
        switch kind {
        case 1: return v | mask
        case 2: return v & ~mask
        case 3: return v ^ mask
        default: return nil
        }
    }

    /// BSF/BSR: returns the index, or nil if the source is 0 (destination unchanged). Sets ZF.
    @inline(__always) func bitScan(reverse: Bool, _ v: UInt32) -> UInt32? {
        setFlag(EFLAGS.zf, v == 0)
        if v == 0 { return nil }
        return reverse ? UInt32(31 - v.leadingZeroBitCount) : UInt32(v.trailingZeroBitCount)
    }
}
