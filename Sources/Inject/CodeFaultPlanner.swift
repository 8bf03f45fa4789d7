// Choosing code faults: find the instructions a fault type applies to in the
// module's pristine text (decoded once) and draw one candidate and one bit from
// the trial's generator. The candidate rules (nooks-facts.md, fault table):
//
//   text         any byte, any bit
//   nop          any instruction, NOPped out
//   init         mov $imm, -x(%ebp) NOPped; at -O2 most locals live in registers,
//                so mov $imm, %reg and xor %reg, %reg are candidates as well
//   interface    mov +disp(%ebp), reg (disp > 0: an argument) NOPped
//   irq          popf NOPped (the restore after pushf; cli)
//   branch       a jcc NOPped, or a rep/repne prefix NOPped
//   invert       a jcc's condition bit flipped, or rep <-> repne
//   pointer      a bit of ModRM.rm, the SIB or the displacement of a memory operand
//                whose base is not ESP or EBP
//   destination  a bit of the field encoding the destination operand (ModRM.reg when
//                the direction is reg <- r/m, else r/m with its SIB and displacement)
//   source       a bit of the immediate, else of the field encoding the source operand

/// Plans code faults over one module's text.
public struct CodeFaultPlanner: Sendable {
    /// The decoded instructions of the text, in offset order.
    public let instructions: [InstructionLayout]
    /// The text's size in bytes.
    public let textSize: Int

    public init(instructions: [InstructionLayout], textSize: Int) {
        self.instructions = instructions
        self.textSize = textSize
    }

    /// The instructions `type` may be applied to.
    public func candidates(_ type: FaultType) -> [InstructionLayout] {
        switch type {
        case .text, .nop: return instructions.filter { !$0.isPadding }
        case .`init`: return instructions.filter { $0.isImmediateStoreToLocal || $0.isRegisterInitialisation }
        case .interface: return instructions.filter(\.isArgumentLoad)
        case .irq: return instructions.filter { $0.opcode == 0x9D }
        case .branch, .invert: return instructions.filter { $0.isConditionalJump || $0.repPrefixOffset != nil }
        case .pointer: return instructions.filter { !$0.pointerBits.isEmpty }
        case .destination: return instructions.filter { !$0.destinationBits.isEmpty }
        case .source: return instructions.filter { !$0.sourceBits.isEmpty }
        default: return []
        }
    }

    /// One fault of `type`, or nil if the text has no candidate for it.
    public func plan(_ type: FaultType, rng: inout InjectRNG) -> CodePatch? {
        if type == .text {
            guard textSize > 0 else { return nil }
            let off = rng.below(textSize), bit = rng.below(8)
            let owner = instructions.last { $0.offset <= off }?.offset ?? off
            return CodePatch(offset: off, kind: .xor([1 << UInt8(bit)]), instructionOffset: owner, note: "text bit \(bit)")
        }
        let list = candidates(type)
        guard !list.isEmpty else { return nil }
        let i = list[rng.below(list.count)]
        let name = "\(i.mnemonic) (\(i.bytes.map { String(format2: $0) }.joined(separator: " ")))"
        func nop(_ at: Int, _ n: Int, _ what: String) -> CodePatch {
            CodePatch(offset: i.offset + at, kind: .nop(length: n), instructionOffset: i.offset, note: "\(what) \(name)")
        }
        func flip(_ bits: [Int], _ what: String) -> CodePatch {
            let b = bits[rng.below(bits.count)]
            return CodePatch(offset: i.offset + b / 8, kind: .xor([1 << UInt8(b % 8)]), instructionOffset: i.offset,
                             note: "\(what) byte \(b / 8) bit \(b % 8) of \(name)")
        }
        switch type {
        case .nop, .`init`, .interface, .irq: return nop(0, i.length, "nop")
        case .branch:
            if i.isConditionalJump { return nop(0, i.length, "nop") }
            return nop(i.repPrefixOffset!, 1, "nop rep prefix of")
        case .invert:
            let at = i.conditionOffset ?? i.repPrefixOffset!
            return CodePatch(offset: i.offset + at, kind: .xor([1]), instructionOffset: i.offset, note: "invert \(name)")
        case .pointer: return flip(i.pointerBits, "pointer")
        case .destination: return flip(i.destinationBits, "destination")
        case .source: return flip(i.sourceBits, "source")
        default: return nil
        }
    }
}

extension InstructionLayout {
    /// int3 and nop fill between functions.
    var isPadding: Bool { bytes.allSatisfy { $0 == 0xCC } || mnemonic == "nop" }

    /// mov $imm, disp(%ebp) with disp < 0 (C6 /0, C7 /0).
    var isImmediateStoreToLocal: Bool {
        guard opcode == 0xC6 || opcode == 0xC7, let modrm, (modrm >> 3) & 7 == 0 else { return false }
        return memoryBase == 5 && displacement < 0
    }

    /// mov $imm, %reg (B8+r) or xor %reg, %reg (31/33 with reg == r/m).
    var isRegisterInitialisation: Bool {
        if prefixCount == 0, (0xB8...0xBF).contains(opcode) { return true }
        guard opcode == 0x31 || opcode == 0x33, let modrm, modrm >> 6 == 3 else { return false }
        return (modrm >> 3) & 7 == modrm & 7
    }

    /// mov disp(%ebp), reg with disp > 0 (8A/8B): loading an argument.
    var isArgumentLoad: Bool {
        guard opcode == 0x8B || opcode == 0x8A else { return false }
        return memoryBase == 5 && displacement > 0
    }

    /// Bit indices (byte*8+bit) of ModRM.rm, the SIB and the displacement of a non-stack memory operand.
    var pointerBits: [Int] {
        guard hasMemoryOperand, memoryBase != 4, memoryBase != 5 else { return [] }
        return rmOperandBits
    }

    /// Bits of the r/m operand: ModRM bits 0-2, and for memory the SIB and the displacement.
    var rmOperandBits: [Int] {
        guard let m = modrmOffset else { return [] }
        var bits = [m * 8, m * 8 + 1, m * 8 + 2]
        if hasMemoryOperand {
            if let s = sibOffset { bits += (0..<8).map { s * 8 + $0 } }
            if dispSize > 0 { bits += (0..<(8 * dispSize)).map { dispOffset * 8 + $0 } }
        }
        return bits
    }

    /// Bits of ModRM.reg (3-5).
    var regFieldBits: [Int] {
        guard let m = modrmOffset else { return [] }
        return [m * 8 + 3, m * 8 + 4, m * 8 + 5]
    }

    /// Bits of the immediate.
    var immediateBits: [Int] { immSize > 0 ? (0..<(8 * immSize)).map { immOffset * 8 + $0 } : [] }

    /// True when ModRM.reg names a register operand (not an opcode extension).
    var regFieldIsOperand: Bool {
        guard modrmOffset != nil else { return false }
        if let o2 = opcode2 {
            return [0xA3, 0xAB, 0xB3, 0xBB, 0xB0, 0xB1, 0xC0, 0xC1, 0xA4, 0xA5, 0xAC, 0xAD, 0xAF,
                    0xB6, 0xB7, 0xBE, 0xBF].contains(o2) || (0x40...0x4F).contains(o2)
        }
        return (opcode < 0x40 && opcode & 7 < 4) || (0x84...0x8B).contains(opcode) || opcode == 0x8D
            || opcode == 0x69 || opcode == 0x6B
    }

    /// True when ModRM.reg is the destination (reg <- r/m).
    var regFieldIsDestination: Bool {
        guard regFieldIsOperand else { return false }
        if let o2 = opcode2 {
            return [0xAF, 0xB6, 0xB7, 0xBE, 0xBF].contains(o2) || (0x40...0x4F).contains(o2)
        }
        if opcode == 0x8D || opcode == 0x69 || opcode == 0x6B { return true }
        if opcode == 0x84 || opcode == 0x85 { return false }
        return opcode & 2 != 0
    }

    /// Bits encoding the destination operand.
    var destinationBits: [Int] {
        guard modrmOffset != nil, !isConditionalJump else { return [] }
        return regFieldIsDestination ? regFieldBits : rmOperandBits
    }

    /// Bits encoding the source operand: the immediate, else the other ModRM field.
    var sourceBits: [Int] {
        if immSize > 0, !isConditionalJump, opcode != 0xE8, opcode != 0xE9, opcode != 0xEB { return immediateBits }
        guard modrmOffset != nil, regFieldIsOperand else { return [] }
        return regFieldIsDestination ? rmOperandBits : regFieldBits
    }
}
