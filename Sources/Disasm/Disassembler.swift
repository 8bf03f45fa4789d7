// Disassembler: capstone 4 in 32-bit x86 mode behind a small Swift API. Owns one capstone
// handle (closed in deinit), decodes with detail on to find direct branch targets and
// absolute memory operands, and turns undecodable bytes into one-byte `(bad)` entries.

import CCapstone

/// Why a disassembler could not be created.
public enum DisassemblerError: Error, CustomStringConvertible, Sendable {
    /// capstone refused; the message is capstone's.
    case capstone(String)

    /// One line.
    public var description: String {
        switch self {
        case .capstone(let message): return "capstone: \(message)"
        }
    }
}

/// An i386 disassembler. Not thread-safe: use one per thread.
public final class Disassembler {
    /// Assembly syntax.
    public enum Syntax: Sendable {
        /// AT&T (`mov %esp, %ebp`), as objdump and gdb print by default.
        case att
        /// Intel (`mov ebp, esp`).
        case intel
    }

    /// Names addresses: given an address, returns e.g. `kmain` or `kmain+0x10`, or nil.
    /// When set, branch targets and absolute memory operands (also `table(,%eax,4)`) are
    /// annotated `<name>`, and immediates only when they name a symbol exactly (no `+`).
    public var symbolizer: ((UInt32) -> String?)?

    /// The syntax chosen at creation.
    public let syntax: Syntax
    private var handle: csh = 0
    private let insn: UnsafeMutablePointer<cs_insn>

    /// Opens capstone for 32-bit x86 with the given syntax and instruction detail on.
    /// - Throws: `DisassemblerError.capstone` if capstone cannot be opened or configured.
    public init(syntax: Syntax = .att) throws(DisassemblerError) {
        self.syntax = syntax
        var h: csh = 0
        let opened = cs_open(CS_ARCH_X86, CS_MODE_32, &h)
        guard opened == CS_ERR_OK else { throw .capstone(String(cString: cs_strerror(opened))) }
        let syntaxValue = syntax == .att ? CS_OPT_SYNTAX_ATT : CS_OPT_SYNTAX_INTEL
        for (option, value) in [(CS_OPT_SYNTAX, Int(syntaxValue.rawValue)), (CS_OPT_DETAIL, Int(CS_OPT_ON.rawValue))] {
            let result = cs_option(h, option, value)
            guard result == CS_ERR_OK else {
                cs_close(&h)
                throw .capstone(String(cString: cs_strerror(result)))
            }
        }
        guard let buffer = cs_malloc(h) else {
            cs_close(&h)
            throw .capstone("cs_malloc failed")
        }
        handle = h
        insn = buffer
    }

    deinit {
        cs_free(insn, 1)
        cs_close(&handle)
    }

    /// Decodes up to `maxCount` instructions from `bytes`, the first at `address`.
    /// Bytes that do not decode (including an instruction cut off by the end of `bytes`)
    /// become one-byte `(bad)` instructions; decoding then resumes at the next byte.
    public func disassemble(_ bytes: [UInt8], address: UInt32, maxCount: Int = .max) -> [Instruction] {
        var result: [Instruction] = []
        guard maxCount > 0, !bytes.isEmpty else { return result }
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var position = 0
            while position < buffer.count && result.count < maxCount {
                var code: UnsafePointer<UInt8>? = base + position
                var size = buffer.count - position
                var pc = UInt64(address &+ UInt32(truncatingIfNeeded: position))
                if cs_disasm_iter(handle, &code, &size, &pc, insn) {
                    let decoded = makeInstruction(insn.pointee)
                    result.append(decoded)
                    position += decoded.length
                } else {
                    result.append(Instruction(
                        address: address &+ UInt32(truncatingIfNeeded: position), bytes: [buffer[position]],
                        mnemonic: Instruction.invalidMnemonic, operands: "", branchTarget: nil,
                        annotation: nil, flow: .none, isConditional: false))
                    position += 1
                }
            }
        }
        return result
    }

    private func makeInstruction(_ raw: cs_insn) -> Instruction {
        let length = Int(raw.size)
        let bytes = withUnsafeBytes(of: raw.bytes) { Array($0.prefix(length)) }
        var instruction = Instruction(
            address: UInt32(truncatingIfNeeded: raw.address), bytes: bytes,
            mnemonic: Disassembler.string(fromCChars: raw.mnemonic),
            operands: Disassembler.string(fromCChars: raw.op_str),
            branchTarget: nil, annotation: nil, flow: .none, isConditional: false)
        if inGroup(CS_GRP_CALL) {
            instruction.flow = .call
        } else if inGroup(CS_GRP_JUMP) {
            instruction.flow = .jump
            instruction.isConditional = raw.id != X86_INS_JMP.rawValue && raw.id != X86_INS_LJMP.rawValue
        } else if inGroup(CS_GRP_RET) || inGroup(CS_GRP_IRET) {
            instruction.flow = .ret
        }
        guard let detail = raw.detail else { return instruction }
        let x86 = detail.pointee.x86
        let count = min(Int(x86.op_count), 8)
        var annotations: [String] = []
        withUnsafeBytes(of: x86.operands) { raw in
            let operands = raw.bindMemory(to: cs_x86_op.self)
            for i in 0..<count {
                let op = operands[i]
                if op.type == X86_OP_IMM {
                    let value = UInt32(truncatingIfNeeded: op.imm)
                    if instruction.flow == .jump || instruction.flow == .call {
                        if count == 1 {
                            instruction.branchTarget = value
                            if let name = symbolizer?(value) { annotations.append("<\(name)>") }
                        }
                    } else if let name = symbolizer?(value), !name.contains("+") {
                        annotations.append("<\(name)>")
                    }
                } else if op.type == X86_OP_MEM, op.mem.base == X86_REG_INVALID {
                    // An absolute address, or the base of a table indexed by a register.
                    let value = UInt32(truncatingIfNeeded: op.mem.disp)
                    if let name = symbolizer?(value) { annotations.append("<\(name)>") }
                }
            }
        }
        if !annotations.isEmpty { instruction.annotation = annotations.joined(separator: " ") }
        return instruction
    }

    private func inGroup(_ group: cs_group_type) -> Bool {
        cs_insn_group(handle, insn, UInt32(group.rawValue))
    }

    /// A Swift String from a fixed-size, NUL-terminated C char array imported as a tuple.
    static func string<T>(fromCChars tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            let end = raw.firstIndex(of: 0) ?? raw.count
            return String(decoding: raw[..<end], as: UTF8.self)
        }
    }
}
