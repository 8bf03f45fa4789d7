// A code fault as an edit of the module's text, relative to the text region's
// start: XOR masks (bit flips, branch inversion, rep<->repne) or NOP fills.
// Edits are mode-independent: the native and the isolated boot place the same
// text at their own addresses, with different relocated call targets, and an
// XOR or a fill means the same change in both.

/// One edit of the module's text.
public struct CodePatch: Sendable, Equatable, Codable {
    /// What the edit does to the bytes at `offset`.
    public enum Kind: Sendable, Equatable, Codable {
        /// XOR these bytes into the text.
        case xor([UInt8])
        /// Overwrite `length` bytes with NOP (0x90).
        case nop(length: Int)
    }
    /// Offset from the start of the module's text region.
    public var offset: Int
    public var kind: Kind
    /// The instruction's offset and a short description (for reports and the debugger).
    public var instructionOffset: Int
    public var note: String

    public init(offset: Int, kind: Kind, instructionOffset: Int, note: String) {
        self.offset = offset; self.kind = kind; self.instructionOffset = instructionOffset; self.note = note
    }

    /// Number of bytes the edit touches.
    public var length: Int {
        switch kind {
        case .xor(let m): return m.count
        case .nop(let n): return n
        }
    }

    /// The edited bytes, given the original bytes at `offset` (`length` of them).
    public func apply(to original: [UInt8]) -> [UInt8] {
        switch kind {
        case .xor(let m): return zip(original, m).map { $0 ^ $1 }
        case .nop(let n): return [UInt8](repeating: 0x90, count: n)
        }
    }

    /// Applies the edit to a whole text image in place (no-op if out of range).
    public func apply(toText text: inout [UInt8]) {
        guard offset >= 0, offset + length <= text.count else { return }
        let edited = apply(to: Array(text[offset..<offset + length]))
        text.replaceSubrange(offset..<offset + length, with: edited)
    }

    /// A compact description: `+0x1a2 xor 04` or `+0x1a2 nop 2`.
    public var summary: String {
        let where_ = "+0x" + String(offset, radix: 16)
        switch kind {
        case .xor(let m): return "\(where_) xor \(m.map { String(format2: $0) }.joined())"
        case .nop(let n): return "\(where_) nop \(n)"
        }
    }
}

extension String {
    /// Two lowercase hex digits.
    init(format2 b: UInt8) {
        let s = String(b, radix: 16)
        self.init(s.count == 1 ? "0" + s : s)
    }
}
