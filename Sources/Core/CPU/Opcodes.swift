// The decoded-operation set: what the decoder turns x86 bytes into and the
// executor switches on. One case per operation *and operand form*, so the
// executor never re-decodes.
//
// Naming: the letters after the mnemonic give destination then source —
// R register, M memory, I immediate. `_d` is 32-bit; `_x` is 8- or 16-bit with
// the width in `DecodedInstr.w` (0 = 8, 1 = 16). Forms without a suffix take the
// width from `w` (0, 1 or 2). `sub` selects within a group (ALU kind, condition
// code, shift kind, ...). Register operands are byte offsets into the register
// file, so AL..BH, AX.. and EAX.. are all a single load.

enum Op: UInt16 {
    case ud                 // invalid or unsupported opcode: raise #UD
    case nop

    // ALU (sub: 0 add, 1 or, 2 adc, 3 sbb, 4 and, 5 sub, 6 xor, 7 cmp)
    case aluRR_d, aluRI_d, aluRM_d, aluMR_d, aluMI_d
    case aluRR_x, aluRI_x, aluRM_x, aluMR_x, aluMI_x
    // TEST
    case testRR_d, testRI_d, testMR_d, testMI_d
    case testRR_x, testRI_x, testMR_x, testMI_x
    // MOV
    case movRR_d, movRI_d, movRM_d, movMR_d, movMI_d
    case movRR_x, movRI_x, movRM_x, movMR_x, movMI_x
    case lea                                  // w = 1 or 2
    case movzxRR, movzxRM, movsxRR, movsxRM   // sub = source width (0 = byte, 1 = word), w = dest width
    case xchgRR, xchgMR                       // w
    // INC/DEC/NOT/NEG (sub: 0 inc, 1 dec, 2 not, 3 neg)
    case unaryR_d, unaryM_d, unaryR_x, unaryM_x
    // Stack
    case pushR, pushI, pushM, popR, popM      // w = 1 or 2
    case pushSeg, popSeg                      // sub = SegReg
    case pusha, popa, pushf, popf
    case enter, leave
    // Shifts and rotates (sub: 0 rol, 1 ror, 2 rcl, 3 rcr, 4 shl, 5 shr, 6 sal, 7 sar;
    // count in imm, or CL when pfx has Prefix.countCL)
    case shiftR, shiftM
    case shldR, shldM, shrdR, shrdM           // w = 1 or 2
    // Multiply and divide (sub: 4 mul, 5 imul, 6 div, 7 idiv); one-operand forms
    case mulDivR, mulDivM
    case imulRR, imulRM, imulRRI, imulRMI     // w = 1 or 2
    case cbwCwde, cwdCdq                      // w = 1 or 2
    // Bits (sub: 0 bt, 1 bts, 2 btr, 3 btc)
    case btRR, btMR, btRI, btMI
    case bsfRR, bsfRM                         // sub: 0 bsf, 1 bsr
    case bswap
    case cmpxchgRR, cmpxchgMR, xaddRR, xaddMR, cmpxchg8b
    case setccR, setccM, cmovRR, cmovRM       // sub = condition code
    // Control transfer (imm = displacement relative to the next instruction)
    case jcc, jmp, call, jmpR, jmpM, callR, callM, ret, retImm
    case jmpFar, callFar, jmpFarM, callFarM, retf, retfImm, iret
    case loop                                  // sub: 0 loopnz, 1 loopz, 2 loop, 3 jecxz
    case int3, intN, into, hlt
    // Flags
    case cmc, clc, stc, cli, sti, cld, std, sahf, lahf
    // String instructions (w; pfx rep/repne; seg = source segment)
    case movs, stos, lods, cmps, scas, ins, outs
    // Port I/O (w)
    case inI, inDX, outI, outDX
    case xlat
    // System
    case movSregR, movSregM, movRSreg, movMSreg
    case lgdt, lidt, sgdt, sidt, lmswR, lmswM, smswR, smswM, invlpg
    case ltrR, ltrM, strR, strM, lldtR, lldtM, sldtR, sldtM
    case movToCR, movFromCR, movToDR, movFromDR
    case clts, wbinvd, rdtsc, cpuid, rdmsr, wrmsr
    case fpu                                   // x87 escape: #NM (no FPU)

    /// True if execution of this op can change EIP non-sequentially, the
    /// paging/segment state, or the interrupt flag: the decoder ends a block after it.
    var endsBlock: Bool {
        switch self {
        case .jcc, .jmp, .call, .jmpR, .jmpM, .callR, .callM, .ret, .retImm,
             .jmpFar, .callFar, .jmpFarM, .callFarM, .retf, .retfImm, .iret, .loop,
             .int3, .intN, .into, .hlt, .ud, .fpu,
             .popf, .sti, .cli,
             .movSregR, .movSregM, .popSeg, .lgdt, .lidt, .lmswR, .lmswM, .invlpg,
             .ltrR, .ltrM, .lldtR, .lldtM, .movToCR, .movToDR, .clts, .wrmsr:
            return true
        default:
            return false
        }
    }
}

/// Prefix and form bits in `DecodedInstr.pfx`.
enum Prefix {
    static let rep: UInt8 = 1       // F3
    static let repne: UInt8 = 2     // F2
    static let lock: UInt8 = 4      // F0
    static let opsize: UInt8 = 8    // 66
    static let countCL: UInt8 = 16  // shift count comes from CL
    static let segOverride: UInt8 = 32
}

/// One decoded instruction. Register fields are byte offsets into the register
/// file; `base`/`index` are register numbers with 8 meaning "none" (the zero slot).
struct DecodedInstr {
    var op: Op = .ud
    var len: UInt8 = 1
    var sub: UInt8 = 0
    var w: UInt8 = 2
    var reg: UInt8 = 0
    var rm: UInt8 = 0
    var base: UInt8 = 8
    var index: UInt8 = 8
    var scale: UInt8 = 0
    var seg: UInt8 = 3
    var pfx: UInt8 = 0
    var disp: UInt32 = 0
    var imm: UInt32 = 0
    var imm2: UInt32 = 0

    /// A REP/REPNE string instruction: it ends its block, so a block's
    /// instruction count is exact even when the REP runs many iterations.
    var isRepString: Bool {
        guard pfx & (Prefix.rep | Prefix.repne) != 0 else { return false }
        switch op {
        case .movs, .stos, .lods, .cmps, .scas, .ins, .outs: return true
        default: return false
        }
    }
}
