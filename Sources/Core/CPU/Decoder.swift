// The instruction decoder: x86 bytes -> DecodedInstr.
//
// Handles the prefixes (66, F0, F2, F3, segment overrides), one- and two-byte
// opcode maps and 32-bit ModRM/SIB addressing. Anything outside the supported
// set decodes to `.ud`, which raises #UD when executed: garbage never traps the
// host. 16-bit addressing (prefix 67) is not supported and raises #UD.
//
// Frequency notes (from clang -O2 kernel code): mov/lea/alu/test/jcc/push/pop/
// call/ret make up >90% of executed instructions; everything else is rare.

enum DecodeOutcome {
    case ok
    /// The instruction continues past the bytes available (page end).
    case needBytes
    /// More than 15 bytes: #GP(0).
    case tooLong
}

/// Byte offset of 8-bit register `r` (AL CL DL BL AH CH DH BH) in the register file.
@inline(__always) func reg8Offset(_ r: UInt8) -> UInt8 { r < 4 ? r << 2 : ((r - 4) << 2) + 1 }
/// Byte offset of register `r` for an operand of width `w` (0 = 8, 1 = 16, 2 = 32 bits).
@inline(__always) func regOffset(_ r: UInt8, _ w: UInt8) -> UInt8 { w == 0 ? reg8Offset(r) : r << 2 }

struct Decoder {
    let p: UnsafePointer<UInt8>
    let avail: Int
    var pos = 0
    var short = false

    init(_ p: UnsafePointer<UInt8>, _ avail: Int) {
        self.p = p
        self.avail = avail
    }

    @inline(__always) mutating func u8() -> UInt8 {
        if pos >= avail { short = true; return 0 }
        let v = p[pos]; pos += 1; return v
    }
    @inline(__always) mutating func u16() -> UInt32 { UInt32(u8()) | UInt32(u8()) << 8 }
    @inline(__always) mutating func u32() -> UInt32 { u16() | u16() << 16 }
    @inline(__always) mutating func s8() -> UInt32 { UInt32(bitPattern: Int32(Int8(bitPattern: u8()))) }
    /// Immediate of operand width w (1 byte, 2 bytes, 4 bytes).
    @inline(__always) mutating func imm(_ w: UInt8) -> UInt32 { w == 0 ? UInt32(u8()) : (w == 1 ? u16() : u32()) }

    /// Decode one instruction into `d`.
    static func decode(_ p: UnsafePointer<UInt8>, _ avail: Int, _ d: inout DecodedInstr) -> DecodeOutcome {
        var dec = Decoder(p, avail)
        d = DecodedInstr()
        dec.run(&d)
        if dec.short { return dec.pos > 15 ? .tooLong : .needBytes }
        if dec.pos > 15 { return .tooLong }
        d.len = UInt8(dec.pos)
        if d.pfx & Prefix.lock != 0 && !Decoder.lockable(d) { d.op = .ud }
        return .ok
    }

    /// LOCK is allowed only on read-modify-write forms with a memory destination
    /// (SDM: otherwise #UD). CMP and BT only read, so they are not lockable.
    static func lockable(_ d: DecodedInstr) -> Bool {
        switch d.op {
        case .aluMR_d, .aluMI_d, .aluMR_x, .aluMI_x: return d.sub != 7
        case .btMR, .btMI: return d.sub != 0
        case .unaryM_d, .unaryM_x, .cmpxchgMR, .xaddMR, .xchgMR, .cmpxchg8b: return true
        default: return false
        }
    }

    // MARK: ModRM

    /// Parse ModRM (+SIB, displacement). Returns (isMemory, regField, rmField).
    /// For memory operands fills base/index/scale/disp and the default segment.
    @inline(__always) mutating func modrm(_ d: inout DecodedInstr) -> (Bool, UInt8, UInt8) {
        let m = u8()
        let mod = m >> 6, reg = (m >> 3) & 7, rm = m & 7
        if mod == 3 { return (false, reg, rm) }
        var base: UInt8 = rm
        var index: UInt8 = 8
        var scale: UInt8 = 0
        if rm == 4 {
            let sib = u8()
            scale = sib >> 6
            index = (sib >> 3) & 7
            if index == 4 { index = 8 }
            base = sib & 7
            if base == 5 && mod == 0 { base = 8; d.disp = u32() }
        } else if rm == 5 && mod == 0 {
            base = 8
            d.disp = u32()
        }
        if mod == 1 { d.disp = s8() } else if mod == 2 { d.disp = u32() }
        d.base = base; d.index = index; d.scale = scale
        if d.pfx & Prefix.segOverride == 0 { d.seg = (base == 4 || base == 5) ? 2 : 3 }
        return (true, reg, rm)
    }

    // MARK: Main decode

    mutating func run(_ d: inout DecodedInstr) {
        var opsize = false
        var b: UInt8
        // Prefixes
        prefixes: while true {
            b = u8()
            if short { return }
            switch b {
            case 0x66: opsize = true; d.pfx |= Prefix.opsize
            case 0xF0: d.pfx |= Prefix.lock
            case 0xF2: d.pfx |= Prefix.repne
            case 0xF3: d.pfx |= Prefix.rep
            case 0x26, 0x2E, 0x36, 0x3E: d.seg = (b >> 3) & 3; d.pfx |= Prefix.segOverride
            case 0x64: d.seg = 4; d.pfx |= Prefix.segOverride
            case 0x65: d.seg = 5; d.pfx |= Prefix.segOverride
            case 0x67: d.op = .ud; return
            default: break prefixes
            }
            if pos > 14 { pos = 16; short = true; return }
        }
        let v: UInt8 = opsize ? 1 : 2     // width of a "v" operand
        if b == 0x0F { twoByte(&d, v); return }
        oneByte(b, &d, v)
    }

    /// Fill an E,G form: width w, destination chosen by `toReg`.
    @inline(__always) mutating func formEG(_ d: inout DecodedInstr, _ w: UInt8,
                                           rr: Op, rm: Op, mr: Op) {
        let (mem, reg, r) = modrm(&d)
        d.w = w
        d.reg = regOffset(reg, w)
        if mem { d.op = mr } else { d.op = rr; d.rm = d.reg; d.reg = regOffset(r, w) }
        _ = rm
    }

    /// Fill a G,E form (destination is the ModRM.reg register).
    @inline(__always) mutating func formGE(_ d: inout DecodedInstr, _ w: UInt8, rr: Op, rm: Op) {
        let (mem, reg, r) = modrm(&d)
        d.w = w
        d.reg = regOffset(reg, w)
        if mem { d.op = rm } else { d.op = rr; d.rm = regOffset(r, w) }
    }

    /// Fill an E,imm form (destination r/m). Returns the ModRM reg field.
    @inline(__always) mutating func formEI(_ d: inout DecodedInstr, _ w: UInt8, ri: Op, mi: Op,
                                           immW: UInt8?, signExt8: Bool) -> UInt8 {
        let (mem, reg, r) = modrm(&d)
        d.w = w
        if mem { d.op = mi } else { d.op = ri; d.reg = regOffset(r, w) }
        if signExt8 { d.imm = s8() & maskFor(w) } else if let iw = immW { d.imm = imm(iw) }
        return reg
    }

    mutating func oneByte(_ b: UInt8, _ d: inout DecodedInstr, _ v: UInt8) {
        switch b {
        // ALU: 00-3F, low 3 bits 0-5
        case 0x00...0x3F where b & 7 < 6:
            d.sub = b >> 3
            let w: UInt8 = b & 1 == 0 ? 0 : v
            let x = w != 2
            switch b & 7 {
            case 0, 1: formEG(&d, w, rr: x ? .aluRR_x : .aluRR_d, rm: .ud, mr: x ? .aluMR_x : .aluMR_d)
            case 2, 3: formGE(&d, w, rr: x ? .aluRR_x : .aluRR_d, rm: x ? .aluRM_x : .aluRM_d)
            default:
                d.w = w; d.reg = 0; d.op = x ? .aluRI_x : .aluRI_d; d.imm = imm(w)
            }
        case 0x06, 0x0E, 0x16, 0x1E: d.op = .pushSeg; d.sub = b >> 3; d.w = v
        case 0x07, 0x17, 0x1F: d.op = .popSeg; d.sub = b >> 3; d.w = v
        case 0x40...0x47: d.op = v == 2 ? .unaryR_d : .unaryR_x; d.sub = 0; d.w = v; d.reg = (b & 7) << 2
        case 0x48...0x4F: d.op = v == 2 ? .unaryR_d : .unaryR_x; d.sub = 1; d.w = v; d.reg = (b & 7) << 2
        case 0x50...0x57: d.op = .pushR; d.w = v; d.reg = (b & 7) << 2
        case 0x58...0x5F: d.op = .popR; d.w = v; d.reg = (b & 7) << 2
        case 0x60: d.op = v == 2 ? .pusha : .ud
        case 0x61: d.op = v == 2 ? .popa : .ud
        case 0x68: d.op = .pushI; d.w = v; d.imm = imm(v)
        case 0x6A: d.op = .pushI; d.w = v; d.imm = s8() & maskFor(v)
        case 0x69, 0x6B:
            formGE(&d, v, rr: .imulRRI, rm: .imulRMI)
            d.imm = b == 0x6B ? s8() : imm(v)
        case 0x6C: d.op = .ins; d.w = 0
        case 0x6D: d.op = .ins; d.w = v
        case 0x6E: d.op = .outs; d.w = 0
        case 0x6F: d.op = .outs; d.w = v
        case 0x70...0x7F: d.op = .jcc; d.sub = b & 15; d.imm = s8()
        case 0x80, 0x82, 0x81, 0x83:
            let w: UInt8 = b & 1 == 0 ? 0 : v
            let x = w != 2
            d.sub = formEI(&d, w, ri: x ? .aluRI_x : .aluRI_d, mi: x ? .aluMI_x : .aluMI_d,
                           immW: b == 0x81 ? w : 0, signExt8: b == 0x83)
        case 0x84, 0x85:
            let w: UInt8 = b == 0x84 ? 0 : v
            let x = w != 2
            formEG(&d, w, rr: x ? .testRR_x : .testRR_d, rm: .ud, mr: x ? .testMR_x : .testMR_d)
        case 0x86, 0x87: formEG(&d, b == 0x86 ? 0 : v, rr: .xchgRR, rm: .ud, mr: .xchgMR)
        case 0x88, 0x89:
            let w: UInt8 = b == 0x88 ? 0 : v
            let x = w != 2
            formEG(&d, w, rr: x ? .movRR_x : .movRR_d, rm: .ud, mr: x ? .movMR_x : .movMR_d)
        case 0x8A, 0x8B:
            let w: UInt8 = b == 0x8A ? 0 : v
            let x = w != 2
            formGE(&d, w, rr: x ? .movRR_x : .movRR_d, rm: x ? .movRM_x : .movRM_d)
        case 0x8C:
            let (mem, reg, r) = modrm(&d)
            d.sub = reg; d.w = mem ? 1 : v
            if reg > 5 { d.op = .ud } else if mem { d.op = .movMSreg } else { d.op = .movRSreg; d.reg = r << 2 }
        case 0x8D:
            let (mem, reg, _) = modrm(&d)
            d.op = mem ? .lea : .ud; d.w = v; d.reg = reg << 2
        case 0x8E:
            let (mem, reg, r) = modrm(&d)
            d.sub = reg; d.w = 1
            if reg > 5 || reg == 1 { d.op = .ud } else if mem { d.op = .movSregM } else { d.op = .movSregR; d.rm = r << 2 }
        case 0x8F:
            let (mem, reg, r) = modrm(&d)
            d.w = v
            if reg != 0 { d.op = .ud } else if mem { d.op = .popM } else { d.op = .popR; d.reg = r << 2 }
        case 0x90: d.op = .nop
        case 0x91...0x97: d.op = .xchgRR; d.w = v; d.reg = 0; d.rm = (b & 7) << 2
        case 0x98: d.op = .cbwCwde; d.w = v
        case 0x99: d.op = .cwdCdq; d.w = v
        case 0x9A: d.op = v == 2 ? .callFar : .ud; d.imm = u32(); d.imm2 = u16()
        case 0x9B: d.op = .nop
        case 0x9C: d.op = v == 2 ? .pushf : .ud
        case 0x9D: d.op = v == 2 ? .popf : .ud
        case 0x9E: d.op = .sahf
        case 0x9F: d.op = .lahf
        case 0xA0, 0xA1:
            d.w = b == 0xA0 ? 0 : v; d.op = d.w == 2 ? .movRM_d : .movRM_x
            d.reg = 0; d.base = 8; d.index = 8; d.disp = u32()
        case 0xA2, 0xA3:
            d.w = b == 0xA2 ? 0 : v; d.op = d.w == 2 ? .movMR_d : .movMR_x
            d.reg = 0; d.base = 8; d.index = 8; d.disp = u32()
        case 0xA4, 0xA5: d.op = .movs; d.w = b == 0xA4 ? 0 : v
        case 0xA6, 0xA7: d.op = .cmps; d.w = b == 0xA6 ? 0 : v
        case 0xA8, 0xA9:
            d.w = b == 0xA8 ? 0 : v; d.op = d.w == 2 ? .testRI_d : .testRI_x; d.reg = 0; d.imm = imm(d.w)
        case 0xAA, 0xAB: d.op = .stos; d.w = b == 0xAA ? 0 : v
        case 0xAC, 0xAD: d.op = .lods; d.w = b == 0xAC ? 0 : v
        case 0xAE, 0xAF: d.op = .scas; d.w = b == 0xAE ? 0 : v
        case 0xB0...0xB7: d.op = .movRI_x; d.w = 0; d.reg = reg8Offset(b & 7); d.imm = UInt32(u8())
        case 0xB8...0xBF: d.w = v; d.op = v == 2 ? .movRI_d : .movRI_x; d.reg = (b & 7) << 2; d.imm = imm(v)
        case 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3:
            let w: UInt8 = b & 1 == 0 ? 0 : v
            let (mem, reg, r) = modrm(&d)
            d.w = w; d.sub = reg
            if mem { d.op = .shiftM } else { d.op = .shiftR; d.reg = regOffset(r, w) }
            switch b {
            case 0xC0, 0xC1: d.imm = UInt32(u8())
            case 0xD0, 0xD1: d.imm = 1
            default: d.pfx |= Prefix.countCL
            }
        case 0xC2: d.op = .retImm; d.imm = u16()
        case 0xC3: d.op = .ret
        case 0xC6, 0xC7:
            let w: UInt8 = b == 0xC6 ? 0 : v
            let x = w != 2
            let reg = formEI(&d, w, ri: x ? .movRI_x : .movRI_d, mi: x ? .movMI_x : .movMI_d, immW: w, signExt8: false)
            if reg != 0 { d.op = .ud }
        case 0xC8: d.op = v == 2 ? .enter : .ud; d.imm = u16(); d.imm2 = UInt32(u8())
        case 0xC9: d.op = v == 2 ? .leave : .ud
        case 0xCA: d.op = .retfImm; d.imm = u16()
        case 0xCB: d.op = .retf
        case 0xCC: d.op = .int3
        case 0xCD: d.op = .intN; d.imm = UInt32(u8())
        case 0xCE: d.op = .into
        case 0xCF: d.op = v == 2 ? .iret : .ud
        case 0xD7: d.op = .xlat; d.base = 3; d.index = 8
        case 0xD8...0xDF: _ = modrm(&d); d.op = .fpu
        case 0xE0...0xE3: d.op = .loop; d.sub = b & 3; d.imm = s8()
        case 0xE4, 0xE5: d.op = .inI; d.w = b == 0xE4 ? 0 : v; d.imm = UInt32(u8())
        case 0xE6, 0xE7: d.op = .outI; d.w = b == 0xE6 ? 0 : v; d.imm = UInt32(u8())
        case 0xE8: d.op = v == 2 ? .call : .ud; d.imm = u32()
        case 0xE9: d.op = v == 2 ? .jmp : .ud; d.imm = u32()
        case 0xEA: d.op = v == 2 ? .jmpFar : .ud; d.imm = u32(); d.imm2 = u16()
        case 0xEB: d.op = .jmp; d.imm = s8()
        case 0xEC, 0xED: d.op = .inDX; d.w = b == 0xEC ? 0 : v
        case 0xEE, 0xEF: d.op = .outDX; d.w = b == 0xEE ? 0 : v
        case 0xF4: d.op = .hlt
        case 0xF5: d.op = .cmc
        case 0xF6, 0xF7:
            let w: UInt8 = b == 0xF6 ? 0 : v
            let x = w != 2
            let (mem, reg, r) = modrm(&d)
            d.w = w; d.sub = reg
            if !mem { d.reg = regOffset(r, w) }
            switch reg {
            case 0, 1: d.op = mem ? (x ? .testMI_x : .testMI_d) : (x ? .testRI_x : .testRI_d); d.imm = imm(w)
            case 2, 3: d.op = mem ? (x ? .unaryM_x : .unaryM_d) : (x ? .unaryR_x : .unaryR_d); d.sub = reg
            default: d.op = mem ? .mulDivM : .mulDivR
            }
        case 0xF8: d.op = .clc
        case 0xF9: d.op = .stc
        case 0xFA: d.op = .cli
        case 0xFB: d.op = .sti
        case 0xFC: d.op = .cld
        case 0xFD: d.op = .std
        case 0xFE:
            let (mem, reg, r) = modrm(&d)
            d.w = 0; d.sub = reg
            if reg > 1 { d.op = .ud } else if mem { d.op = .unaryM_x } else { d.op = .unaryR_x; d.reg = reg8Offset(r) }
        case 0xFF:
            let (mem, reg, r) = modrm(&d)
            d.w = v; d.sub = reg
            if !mem { d.reg = r << 2 }
            switch reg {
            case 0, 1: d.op = mem ? (v == 2 ? .unaryM_d : .unaryM_x) : (v == 2 ? .unaryR_d : .unaryR_x)
            case 2: d.op = v != 2 ? .ud : (mem ? .callM : .callR)
            case 3: d.op = mem && v == 2 ? .callFarM : .ud
            case 4: d.op = v != 2 ? .ud : (mem ? .jmpM : .jmpR)
            case 5: d.op = mem && v == 2 ? .jmpFarM : .ud
            case 6: d.op = mem ? .pushM : .pushR
            default: d.op = .ud
            }
        default:
            d.op = .ud
        }
    }

    mutating func twoByte(_ d: inout DecodedInstr, _ v: UInt8) {
        let b = u8()
        switch b {
        case 0x00:
            let (mem, reg, r) = modrm(&d)
            d.w = 1
            if !mem { d.rm = r << 2; d.reg = r << 2 }
            switch reg {
            case 0: d.op = mem ? .sldtM : .sldtR; d.w = mem ? 1 : v
            case 1: d.op = mem ? .strM : .strR; d.w = mem ? 1 : v
            case 2: d.op = mem ? .lldtM : .lldtR
            case 3: d.op = mem ? .ltrM : .ltrR
            default: d.op = .ud
            }
        case 0x01:
            let (mem, reg, r) = modrm(&d)
            if !mem { d.rm = r << 2; d.reg = r << 2 }
            switch reg {
            case 0: d.op = mem ? .sgdt : .ud
            case 1: d.op = mem ? .sidt : .ud
            case 2: d.op = mem ? .lgdt : .ud
            case 3: d.op = mem ? .lidt : .ud
            case 4: d.op = mem ? .smswM : .smswR; d.w = mem ? 1 : v
            case 6: d.op = mem ? .lmswM : .lmswR; d.w = 1
            case 7: d.op = mem ? .invlpg : .ud
            default: d.op = .ud
            }
        case 0x06: d.op = .clts
        case 0x08, 0x09: d.op = .wbinvd
        case 0x0B: d.op = .ud
        case 0x0D, 0x18...0x1F: _ = modrm(&d); d.op = .nop
        case 0x20, 0x21, 0x22, 0x23:
            let m = u8()
            d.sub = (m >> 3) & 7
            d.reg = (m & 7) << 2
            d.op = [Op.movFromCR, .movFromDR, .movToCR, .movToDR][Int(b & 3)]
        case 0x30: d.op = .wrmsr
        case 0x31: d.op = .rdtsc
        case 0x32: d.op = .rdmsr
        case 0x40...0x4F: d.sub = b & 15; formGE(&d, v, rr: .cmovRR, rm: .cmovRM)
        case 0x80...0x8F: d.op = v == 2 ? .jcc : .ud; d.sub = b & 15; d.imm = u32()
        case 0x90...0x9F:
            let (mem, _, r) = modrm(&d)
            d.sub = b & 15; d.w = 0
            if mem { d.op = .setccM } else { d.op = .setccR; d.reg = reg8Offset(r) }
        case 0xA0: d.op = .pushSeg; d.sub = 4; d.w = v
        case 0xA1: d.op = .popSeg; d.sub = 4; d.w = v
        case 0xA8: d.op = .pushSeg; d.sub = 5; d.w = v
        case 0xA9: d.op = .popSeg; d.sub = 5; d.w = v
        case 0xA2: d.op = .cpuid
        case 0xA3, 0xAB, 0xB3, 0xBB:
            d.sub = [0xA3: 0, 0xAB: 1, 0xB3: 2, 0xBB: 3][b] ?? 0
            formEG(&d, v, rr: .btRR, rm: .ud, mr: .btMR)
        case 0xA4, 0xA5, 0xAC, 0xAD:
            let shl = b < 0xA8
            formEG(&d, v, rr: shl ? .shldR : .shrdR, rm: .ud, mr: shl ? .shldM : .shrdM)
            if b & 1 == 0 { d.imm = UInt32(u8()) } else { d.pfx |= Prefix.countCL }
        case 0xAF: formGE(&d, v, rr: .imulRR, rm: .imulRM)
        case 0xB0, 0xB1: formEG(&d, b == 0xB0 ? 0 : v, rr: .cmpxchgRR, rm: .ud, mr: .cmpxchgMR)
        case 0xB6, 0xB7, 0xBE, 0xBF:
            let srcW: UInt8 = b & 1
            let (mem, reg, r) = modrm(&d)
            d.w = v; d.sub = srcW; d.reg = reg << 2
            let zx = b < 0xB8
            if mem { d.op = zx ? .movzxRM : .movsxRM } else { d.op = zx ? .movzxRR : .movsxRR; d.rm = regOffset(r, srcW) }
        case 0xBA:
            let (mem, reg, r) = modrm(&d)
            d.w = v
            if reg < 4 { d.op = .ud } else { d.sub = reg - 4; d.op = mem ? .btMI : .btRI; if !mem { d.reg = r << 2 } }
            d.imm = UInt32(u8())
        case 0xBC, 0xBD:
            // F3 0F BC (TZCNT) / F3 0F BD (LZCNT) run as BSF/BSR, as on a CPU without BMI1/ABM.
            d.sub = b & 1
            formGE(&d, v, rr: .bsfRR, rm: .bsfRM)
        case 0xC0, 0xC1: formEG(&d, b == 0xC0 ? 0 : v, rr: .xaddRR, rm: .ud, mr: .xaddMR)
        case 0xC7:
            let (mem, reg, _) = modrm(&d)
            d.op = mem && reg == 1 ? .cmpxchg8b : .ud
        case 0xC8...0xCF: d.op = .bswap; d.reg = (b & 7) << 2; d.w = v
        default: d.op = .ud
        }
    }
}
