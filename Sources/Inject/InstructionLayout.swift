// Where each part of an i386 instruction sits: prefixes, opcode, ModRM, SIB,
// displacement and immediate. Capstone finds the lengths and the ModRM,
// displacement and immediate offsets (cs_x86_encoding); the prefix scan and
// the ModRM/SIB field decoding are done here from the bytes themselves.

import CCapstone

/// The byte layout of one decoded instruction (offsets relative to its first byte).
public struct InstructionLayout: Sendable, Equatable {
    /// Offset of the instruction's first byte in the decoded buffer.
    public var offset: Int
    /// The instruction's bytes.
    public var bytes: [UInt8]
    /// Capstone's mnemonic (`mov`, `jne`, `popfd`, ...).
    public var mnemonic: String
    /// Number of prefix bytes (the opcode starts here).
    public var prefixCount: Int
    /// Offset of the ModRM byte, if any.
    public var modrmOffset: Int?
    /// Offset of the SIB byte, if any.
    public var sibOffset: Int?
    /// Offset and size of the displacement (size 0: none).
    public var dispOffset: Int
    public var dispSize: Int
    /// Offset and size of the immediate (size 0: none).
    public var immOffset: Int
    public var immSize: Int

    public var length: Int { bytes.count }
    /// The first opcode byte.
    public var opcode: UInt8 { bytes[prefixCount] }
    /// The second opcode byte of a 0F xx opcode, else nil.
    public var opcode2: UInt8? { opcode == 0x0F && prefixCount + 1 < length ? bytes[prefixCount + 1] : nil }
    /// The ModRM byte.
    public var modrm: UInt8? { modrmOffset.map { bytes[$0] } }
    /// ModRM.mod (3: register operand).
    public var mod: UInt8? { modrm.map { $0 >> 6 } }
    /// True when the ModRM r/m operand is in memory.
    public var hasMemoryOperand: Bool { mod.map { $0 != 3 } ?? false }

    /// The base register number (0 eax ... 4 esp, 5 ebp, ...) of the memory operand,
    /// or nil for none or an absolute address.
    public var memoryBase: UInt8? {
        guard let modrm, let mod, mod != 3 else { return nil }
        let rm = modrm & 7
        if rm == 4, let s = sibOffset {
            let base = bytes[s] & 7
            return base == 5 && mod == 0 ? nil : base
        }
        return rm == 5 && mod == 0 ? nil : rm
    }

    /// The signed displacement (0 when there is none).
    public var displacement: Int32 {
        switch dispSize {
        case 1: return Int32(Int8(bitPattern: bytes[dispOffset]))
        case 4: return Int32(bitPattern: UInt32(bytes[dispOffset]) | UInt32(bytes[dispOffset + 1]) << 8
                             | UInt32(bytes[dispOffset + 2]) << 16 | UInt32(bytes[dispOffset + 3]) << 24)
        default: return 0
        }
    }

    /// True for jcc (short 7x or near 0F 8x).
    public var isConditionalJump: Bool {
        (0x70...0x7F).contains(opcode) || (opcode2.map { (0x80...0x8F).contains($0) } ?? false)
    }

    /// Offset of the byte holding a jcc's condition (its low bit inverts it).
    public var conditionOffset: Int? {
        guard isConditionalJump else { return nil }
        return opcode == 0x0F ? prefixCount + 1 : prefixCount
    }

    /// Offset of a rep (F3) or repne (F2) prefix, if any.
    public var repPrefixOffset: Int? {
        bytes.prefix(prefixCount).firstIndex { $0 == 0xF2 || $0 == 0xF3 }
    }

    static let prefixBytes: Set<UInt8> = [0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x66, 0x67]
}

/// Decodes instruction layouts with its own capstone handle. Not thread-safe: one per thread.
public final class LayoutDecoder {
    private var handle: csh = 0
    private let insn: UnsafeMutablePointer<cs_insn>

    /// Opens capstone (32-bit x86, detail on); nil if capstone cannot be opened.
    public init?() {
        var h: csh = 0
        guard cs_open(CS_ARCH_X86, CS_MODE_32, &h) == CS_ERR_OK else { return nil }
        guard cs_option(h, CS_OPT_DETAIL, Int(CS_OPT_ON.rawValue)) == CS_ERR_OK, let buffer = cs_malloc(h) else {
            cs_close(&h)
            return nil
        }
        handle = h
        insn = buffer
    }

    deinit {
        cs_free(insn, 1)
        cs_close(&handle)
    }

    /// Layouts of the instructions in `bytes[range]`, decoded linearly; undecodable bytes are skipped.
    public func decode(_ bytes: [UInt8], range: Range<Int>? = nil) -> [InstructionLayout] {
        let r = range ?? 0..<bytes.count
        var out: [InstructionLayout] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var position = r.lowerBound
            while position < r.upperBound {
                var code: UnsafePointer<UInt8>? = base + position
                var size = r.upperBound - position
                var pc = UInt64(position)
                guard cs_disasm_iter(handle, &code, &size, &pc, insn) else { position += 1; continue }
                let raw = insn.pointee
                let n = Int(raw.size)
                out.append(layout(raw, Array(buffer[position..<position + n]), at: position))
                position += n
            }
        }
        return out
    }

    private func layout(_ raw: cs_insn, _ bytes: [UInt8], at offset: Int) -> InstructionLayout {
        var prefixes = 0
        while prefixes < bytes.count - 1, InstructionLayout.prefixBytes.contains(bytes[prefixes]) { prefixes += 1 }
        let mnemonic = withUnsafeBytes(of: raw.mnemonic) { p in
            String(decoding: p.prefix { $0 != 0 }, as: UTF8.self)
        }
        var l = InstructionLayout(offset: offset, bytes: bytes, mnemonic: mnemonic, prefixCount: prefixes,
                                  modrmOffset: nil, sibOffset: nil, dispOffset: 0, dispSize: 0, immOffset: 0, immSize: 0)
        guard let detail = raw.detail else { return l }
        let e = detail.pointee.x86.encoding
        if e.modrm_offset != 0, Int(e.modrm_offset) < bytes.count {
            let m = Int(e.modrm_offset)
            l.modrmOffset = m
            let modrm = bytes[m]
            if modrm >> 6 != 3, modrm & 7 == 4, m + 1 < bytes.count { l.sibOffset = m + 1 }
        }
        if e.disp_offset != 0, e.disp_size > 0, Int(e.disp_offset) + Int(e.disp_size) <= bytes.count {
            l.dispOffset = Int(e.disp_offset); l.dispSize = Int(e.disp_size)
        }
        if e.imm_offset != 0, e.imm_size > 0, Int(e.imm_offset) + Int(e.imm_size) <= bytes.count {
            l.immOffset = Int(e.imm_offset); l.immSize = Int(e.imm_size)
        }
        return l
    }
}
