// Hex helpers for the GDB remote protocol: numbers and byte strings travel as
// ASCII hex digits. Parsing never traps: overflow and bad digits give nil.

/// ASCII hex encoding and decoding used throughout the protocol.
enum Hex {
    /// The lowercase digits gdb expects in replies.
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one ASCII hex digit (either case), or nil.
    @inline(__always)
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Parses a non-empty big-endian hex number (as gdb writes addresses and
    /// lengths); nil if empty, not hex, or larger than `limit`.
    static func number<S: Collection>(_ text: S, limit: UInt64 = UInt64(UInt32.max)) -> UInt64?
    where S.Element == UInt8 {
        if text.isEmpty { return nil }
        var result: UInt64 = 0
        for byte in text {
            guard let digit = value(of: byte) else { return nil }
            // result * 16 + digit > limit  ⇔  result > (limit - digit) / 16
            guard UInt64(digit) <= limit, result <= (limit - UInt64(digit)) / 16 else { return nil }
            result = result * 16 + UInt64(digit)
        }
        return result
    }

    /// Parses a hex number that must fit in 32 bits (an i386 address or value).
    static func uint32<S: Collection>(_ text: S) -> UInt32? where S.Element == UInt8 {
        number(text).map { UInt32($0) }
    }

    /// Parses a hex number into an `Int` no larger than `limit`.
    static func int<S: Collection>(_ text: S, limit: Int) -> Int? where S.Element == UInt8 {
        number(text, limit: UInt64(limit)).map { Int($0) }
    }

    /// Decodes pairs of hex digits into bytes; nil on odd length or a bad digit.
    static func decode<S: Collection>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for byte in text {
            guard let digit = value(of: byte) else { return nil }
            if let h = high {
                out.append(h << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return out
    }

    /// Encodes bytes as lowercase hex, two digits each.
    static func encode<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return out
    }

    /// Encodes one byte as two lowercase hex digits.
    static func byte(_ value: UInt8) -> [UInt8] {
        [digits[Int(value >> 4)], digits[Int(value & 0xF)]]
    }

    /// Encodes a 32-bit value in target (little-endian) byte order, as register
    /// contents travel in `g`, `p` and stop replies.
    static func littleEndian(_ value: UInt32) -> [UInt8] {
        encode([UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)])
    }

    /// Encodes a number big-endian with no leading zeros (addresses in replies).
    static func number(_ value: UInt32) -> [UInt8] {
        if value == 0 { return [UInt8(ascii: "0")] }
        var out: [UInt8] = []
        var v = value
        while v != 0 {
            out.append(digits[Int(v & 0xF)])
            v >>= 4
        }
        return out.reversed()
    }
}
