// Instruction: one disassembled i386 instruction as plain Swift values (no capstone state),
// with its direct branch target and symbol annotations when known.

/// One disassembled instruction.
public struct Instruction: Sendable, Equatable {
    /// What kind of control transfer the instruction is, if any.
    public enum Flow: Sendable, Equatable {
        /// Not a control transfer (or an interrupt).
        case none
        /// A jump (direct or indirect, conditional or not).
        case jump
        /// A call.
        case call
        /// A return (ret, iret, lret).
        case ret
    }

    /// Address of the first byte.
    public var address: UInt32
    /// The instruction's bytes (one byte for `(bad)`).
    public var bytes: [UInt8]
    /// The mnemonic, e.g. `push`, `call`, or `(bad)` for bytes that do not decode.
    public var mnemonic: String
    /// The operands as capstone prints them (AT&T or Intel), possibly empty.
    public var operands: String
    /// The target of a direct jmp/call/jcc/loop, if this is one.
    public var branchTarget: UInt32?
    /// Symbol annotations such as `<kmain+0x10>` for the branch target or absolute addresses, if a symbolizer is set.
    public var annotation: String?
    /// The control-transfer kind.
    public var flow: Flow
    /// Whether the jump is conditional (jcc, loop, jecxz).
    public var isConditional: Bool

    /// Number of bytes.
    public var length: Int { bytes.count }
    /// Whether the bytes did not decode.
    public var isInvalid: Bool { mnemonic == Instruction.invalidMnemonic }
    /// The mnemonic shown for bytes that do not decode.
    public static let invalidMnemonic = "(bad)"

    /// `mnemonic operands <annotation>`, as a listing shows it.
    public var text: String {
        var line = operands.isEmpty ? mnemonic : "\(mnemonic) \(operands)"
        if let annotation { line += " " + annotation }
        return line
    }
}
