// Lazy arithmetic flags: keep the operation, operands and result; compute CF, PF,
// AF, ZF, SF and OF only when something reads them (Jcc, SETcc, PUSHF, ...).
//
// Operands and result are stored masked to the operation width (lfSize: 0 = 8,
// 1 = 16, 2 = 32 bits). ADC/SBB recover their carry-in from the operands.

enum LazyOp: UInt8 {
    /// Arithmetic flags are in `flagsBase`.
    case none
    case add, adc, sub, sbb
    /// AND/OR/XOR/TEST: CF = OF = AF = 0.
    case logic
    /// INC/DEC: like ADD/SUB with b = 1, but CF is preserved in `lfAux`.
    case inc, dec
    /// CF, OF and AF given in `lfAux` (as EFLAGS bits); ZF, SF, PF from the result.
    case cfof
}

@inline(__always) func maskFor(_ size: UInt8) -> UInt32 {
    size == 2 ? 0xFFFF_FFFF : (size == 1 ? 0xFFFF : 0xFF)
}
@inline(__always) func signFor(_ size: UInt8) -> UInt32 {
    size == 2 ? 0x8000_0000 : (size == 1 ? 0x8000 : 0x80)
}
/// Sign-extend a value of the given size to Int32.
@inline(__always) func sext(_ v: UInt32, _ size: UInt8) -> Int32 {
    size == 2 ? Int32(bitPattern: v) : (size == 1 ? Int32(Int16(truncatingIfNeeded: v)) : Int32(Int8(truncatingIfNeeded: v)))
}
@inline(__always) func parityEven(_ v: UInt32) -> Bool {
    (UInt8(truncatingIfNeeded: v).nonzeroBitCount & 1) == 0
}

extension CPU {
    // MARK: Recording an operation

    @inline(__always) func setFlagsAdd(_ a: UInt32, _ b: UInt32, _ r: UInt32, _ size: UInt8) {
        lfOp = .add; lfA = a; lfB = b; lfRes = r; lfSize = size
    }
    @inline(__always) func setFlagsSub(_ a: UInt32, _ b: UInt32, _ r: UInt32, _ size: UInt8) {
        lfOp = .sub; lfA = a; lfB = b; lfRes = r; lfSize = size
    }
    @inline(__always) func setFlagsLogic(_ r: UInt32, _ size: UInt8) {
        lfOp = .logic; lfRes = r; lfSize = size
    }
    @inline(__always) func setFlagsOp(_ op: LazyOp, _ a: UInt32, _ b: UInt32, _ r: UInt32, _ size: UInt8) {
        lfOp = op; lfA = a; lfB = b; lfRes = r; lfSize = size
    }
    /// CF/OF/AF given explicitly; ZF/SF/PF from `r`.
    @inline(__always) func setFlagsCFOF(_ r: UInt32, _ size: UInt8, cf: Bool, of: Bool, af: Bool = false) {
        lfOp = .cfof; lfRes = r; lfSize = size
        lfAux = (cf ? EFLAGS.cf : 0) | (of ? EFLAGS.of : 0) | (af ? EFLAGS.af : 0)
    }

    // MARK: Reading single flags

    @inline(__always) var cf: Bool {
        switch lfOp {
        case .none: return flagsBase & EFLAGS.cf != 0
        case .add: return lfRes < lfA
        case .adc:
            let m = maskFor(lfSize)
            let cin = (lfRes &- lfA &- lfB) & m
            return cin != 0 ? lfRes <= lfA : lfRes < lfA
        case .sub: return lfA < lfB
        case .sbb:
            let m = maskFor(lfSize)
            let cin = (lfA &- lfB &- lfRes) & m
            return cin != 0 ? lfA <= lfB : lfA < lfB
        case .logic: return false
        case .inc, .dec: return lfAux & EFLAGS.cf != 0
        case .cfof: return lfAux & EFLAGS.cf != 0
        }
    }

    @inline(__always) var zf: Bool {
        lfOp == .none ? flagsBase & EFLAGS.zf != 0 : lfRes == 0
    }

    @inline(__always) var sf: Bool {
        lfOp == .none ? flagsBase & EFLAGS.sf != 0 : lfRes & signFor(lfSize) != 0
    }

    var pf: Bool {
        lfOp == .none ? flagsBase & EFLAGS.pf != 0 : parityEven(lfRes)
    }

    var af: Bool {
        switch lfOp {
        case .none: return flagsBase & EFLAGS.af != 0
        case .add, .adc, .sub, .sbb, .inc, .dec: return (lfA ^ lfB ^ lfRes) & 0x10 != 0
        case .logic: return false
        case .cfof: return lfAux & EFLAGS.af != 0
        }
    }

    @inline(__always) var of: Bool {
        let s = signFor(lfSize)
        switch lfOp {
        case .none: return flagsBase & EFLAGS.of != 0
        case .add, .adc, .inc: return (lfA ^ lfRes) & (lfB ^ lfRes) & s != 0
        case .sub, .sbb, .dec: return (lfA ^ lfB) & (lfA ^ lfRes) & s != 0
        case .logic: return false
        case .cfof: return lfAux & EFLAGS.of != 0
        }
    }

    // MARK: Whole register

    func materializedFlags() -> UInt32 {
        if lfOp == .none { return flagsBase }
        var f = flagsBase & ~EFLAGS.arith
        if cf { f |= EFLAGS.cf }
        if pf { f |= EFLAGS.pf }
        if af { f |= EFLAGS.af }
        if zf { f |= EFLAGS.zf }
        if sf { f |= EFLAGS.sf }
        if of { f |= EFLAGS.of }
        return f
    }

    /// Make the arithmetic flags live in `flagsBase` (before changing single bits).
    @inline(__always) func materializeFlags() {
        if lfOp != .none {
            flagsBase = materializedFlags()
            lfOp = .none
        }
    }

    func setEFLAGS(_ v: UInt32) {
        let old = flagsBase
        flagsBase = (v | EFLAGS.fixed1) & (EFLAGS.writable | EFLAGS.fixed1)
        flagsBase &= ~(UInt32(1 << 3) | UInt32(1 << 5) | UInt32(1 << 15))
        lfOp = .none
        if (old ^ flagsBase) & EFLAGS.if != 0 && flagsBase & EFLAGS.if != 0 { deadline = 0 }
    }

    /// Set or clear one non-arithmetic-or-arithmetic bit.
    @inline(__always) func setFlag(_ bit: UInt32, _ on: Bool) {
        materializeFlags()
        if on { flagsBase |= bit } else { flagsBase &= ~bit }
    }

    @inline(__always) var interruptsEnabled: Bool { flagsBase & EFLAGS.if != 0 }
    @inline(__always) var directionDown: Bool { flagsBase & EFLAGS.df != 0 }
    @inline(__always) var iopl: Int { Int(flagsBase >> 12) & 3 }

    // MARK: Conditions (the cc field of Jcc/SETcc/CMOVcc)

    /// Evaluate condition code `cc` (0 = O ... 15 = NLE).
    @inline(__always) func condition(_ cc: UInt8) -> Bool {
        // Fast paths for CMP and TEST followed by a branch: the common case.
        if lfOp == .sub {
            let r: Bool
            switch cc >> 1 {
            case 1: r = lfA < lfB                                       // B
            case 2: r = lfA == lfB                                      // Z
            case 3: r = lfA <= lfB                                      // BE
            case 6: r = sext(lfA, lfSize) < sext(lfB, lfSize)           // L
            case 7: r = sext(lfA, lfSize) <= sext(lfB, lfSize)          // LE
            default: return conditionSlow(cc)
            }
            return r != (cc & 1 != 0)
        }
        if lfOp == .logic {
            let r: Bool
            switch cc >> 1 {
            case 0, 1: r = false                                        // O, B
            case 2, 3: r = lfRes == 0                                   // Z, BE
            case 4: r = lfRes & signFor(lfSize) != 0                    // S
            case 6: r = lfRes & signFor(lfSize) != 0                    // L = SF^OF = SF
            case 7: r = lfRes == 0 || lfRes & signFor(lfSize) != 0      // LE
            default: return conditionSlow(cc)
            }
            return r != (cc & 1 != 0)
        }
        return conditionSlow(cc)
    }

    func conditionSlow(_ cc: UInt8) -> Bool {
        let r: Bool
        switch cc >> 1 {
        case 0: r = of
        case 1: r = cf
        case 2: r = zf
        case 3: r = cf || zf
        case 4: r = sf
        case 5: r = pf
        case 6: r = sf != of
        default: r = zf || (sf != of)
        }
        return r != (cc & 1 != 0)
    }
}
