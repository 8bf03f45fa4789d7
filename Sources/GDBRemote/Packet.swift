// PacketEncoder: frames a reply payload for the wire as $<escaped payload>#<checksum>.
// Escaping every # $ } * keeps framing intact for binary replies (qXfer) and
// never changes text replies, which do not contain those bytes.

/// Builds packets to send to gdb.
public enum PacketEncoder {
    /// Bytes that must be escaped inside a payload: `#` `$` `}` and `*` (which
    /// gdb would otherwise read as run-length encoding).
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "#") || byte == UInt8(ascii: "$")
            || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "*")
    }

    /// Frames `payload` as `$payload#cs`, escaping `#$}*` as `}` + (byte ^ 0x20).
    /// The checksum is the sum of the escaped bytes, mod 256, in lowercase hex.
    public static func encode<S: Sequence>(_ payload: S) -> [UInt8] where S.Element == UInt8 {
        var out: [UInt8] = [UInt8(ascii: "$")]
        out.reserveCapacity(payload.underestimatedCount + 4)
        var sum: UInt8 = 0
        for byte in payload {
            if needsEscape(byte) {
                out.append(UInt8(ascii: "}"))
                out.append(byte ^ 0x20)
                sum &+= UInt8(ascii: "}") &+ (byte ^ 0x20)
            } else {
                out.append(byte)
                sum &+= byte
            }
        }
        out.append(UInt8(ascii: "#"))
        out.append(contentsOf: Hex.byte(sum))
        return out
    }

    /// Frames an ASCII payload such as `OK` or `E01`.
    public static func encode(_ text: String) -> [UInt8] {
        encode(Array(text.utf8))
    }

    /// The modulo-256 sum of `bytes`, as the packet checksum is computed.
    public static func checksum<S: Sequence>(_ bytes: S) -> UInt8 where S.Element == UInt8 {
        bytes.reduce(0, &+)
    }
}
