// NetPackets: the small pieces of Ethernet/IPv4 arithmetic the NIC model and
// the in-emulator peer share — MAC and IPv4 address values, big-endian field
// access on byte arrays, the Internet checksum (RFC 1071) and the Ethernet
// FCS (CRC-32, IEEE 802.3). No parsing policy lives here.

/// A 48-bit Ethernet address.
public struct MACAddress: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var bytes: [UInt8]

    /// `bytes` must hold 6 bytes; shorter arrays are zero-padded, longer cut.
    public init(_ bytes: [UInt8]) {
        self.bytes = Array((bytes + [0, 0, 0, 0, 0, 0]).prefix(6))
    }

    public static let broadcast = MACAddress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    /// QEMU's default NIC address.
    public static let qemuDefault = MACAddress([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
    /// QEMU user networking's host/gateway (10.0.2.2).
    public static let qemuHost = MACAddress([0x52, 0x55, 0x0A, 0x00, 0x02, 0x02])

    public var isBroadcast: Bool { bytes == MACAddress.broadcast.bytes }
    /// Group bit: multicast or broadcast.
    public var isMulticast: Bool { bytes[0] & 1 != 0 }

    public var description: String {
        bytes.map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined(separator: ":")
    }
}

/// An IPv4 address as a host-order 32-bit value (10.0.2.2 = 0x0A000202).
public struct IPv4Address: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    /// QEMU user networking: host/gateway 10.0.2.2, guest 10.0.2.15.
    public static let qemuHost = IPv4Address(10, 0, 2, 2)
    public static let qemuGuest = IPv4Address(10, 0, 2, 15)

    public var bytes: [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
    public var description: String { bytes.map(String.init).joined(separator: ".") }
}

/// Big-endian field access and checksums over byte arrays. Reads past the end
/// return 0 (callers check lengths first; this only keeps wild input total).
public enum NetBytes {
    @inline(__always)
    public static func be16(_ b: [UInt8], _ o: Int) -> UInt16 {
        guard o >= 0, o + 1 < b.count else { return 0 }
        return UInt16(b[o]) << 8 | UInt16(b[o + 1])
    }

    @inline(__always)
    public static func be32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(be16(b, o)) << 16 | UInt32(be16(b, o + 2))
    }

    @inline(__always)
    public static func put16(_ b: inout [UInt8], _ o: Int, _ v: UInt16) {
        guard o >= 0, o + 1 < b.count else { return }
        b[o] = UInt8(truncatingIfNeeded: v >> 8)
        b[o + 1] = UInt8(truncatingIfNeeded: v)
    }

    @inline(__always)
    public static func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) {
        put16(&b, o, UInt16(truncatingIfNeeded: v >> 16))
        put16(&b, o + 2, UInt16(truncatingIfNeeded: v))
    }

    /// The one's-complement sum of `b[range]` as big-endian 16-bit words (an
    /// odd last byte is padded with zero), not yet folded or complemented.
    /// Out-of-range parts of `range` are ignored.
    public static func onesComplementSum(_ b: [UInt8], _ range: Range<Int>, initial: UInt32 = 0) -> UInt32 {
        let lo = max(0, range.lowerBound), hi = min(b.count, range.upperBound)
        var sum = UInt64(initial)
        var i = lo
        while i + 1 < hi {
            sum &+= UInt64(b[i]) << 8 | UInt64(b[i + 1])
            i += 2
        }
        if i < hi { sum &+= UInt64(b[i]) << 8 }
        while sum >> 32 != 0 { sum = (sum & 0xFFFF_FFFF) &+ (sum >> 32) }
        return UInt32(truncatingIfNeeded: sum)
    }

    /// Folds a sum to 16 bits and complements it: the Internet checksum.
    public static func finish(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return ~UInt16(truncatingIfNeeded: s)
    }

    /// The Internet checksum of `b[range]` (RFC 1071). A region that already
    /// holds a correct checksum sums to 0.
    public static func internetChecksum(_ b: [UInt8], _ range: Range<Int>) -> UInt16 {
        finish(onesComplementSum(b, range))
    }

    /// The IPv4 pseudo-header sum for a TCP/UDP checksum.
    public static func pseudoHeaderSum(source: UInt32, destination: UInt32, proto: UInt8, length: Int) -> UInt32 {
        var s: UInt32 = 0
        s &+= source >> 16
        s &+= source & 0xFFFF
        s &+= destination >> 16
        s &+= destination & 0xFFFF
        s &+= UInt32(proto)
        s &+= UInt32(truncatingIfNeeded: length) & 0xFFFF
        return s
    }

    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as the Ethernet
    /// FCS: the value whose little-endian bytes follow the frame on the wire.
    public static func ethernetFCS(_ b: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in b {
            crc = (crc >> 8) ^ crcTable[Int((crc ^ UInt32(byte)) & 0xFF)]
        }
        return ~crc
    }

    /// The byte-at-a-time table for ``ethernetFCS(_:)`` (immutable, so not global mutable state).
    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        return c
    }
}
