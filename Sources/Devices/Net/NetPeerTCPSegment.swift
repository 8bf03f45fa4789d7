// NetPeerTCPSegment: the TCP wire format for the LAN peer's TCP (NetPeerTCP):
// one validated segment parsed from an IPv4 payload, and the bytes of one the
// peer sends. Parsing checks everything a guest could get wrong — length, data
// offset, options, checksum, ports, flag combinations — and throws; nothing in
// here traps on wild input.
//
//   0               16              32
//   | source port   | dest port     |
//   | sequence number               |
//   | acknowledgment number         |
//   |off|rsv| flags | window        |     off: header words (5..15)
//   | checksum      | urgent ptr    |     flags: .. U A P R S F
//   | options (MSS: 2 4 mss16) ...  |
//   | data ...

/// TCP header flags.
enum TCPFlags {
    static let fin: UInt8 = 0x01
    static let syn: UInt8 = 0x02
    static let rst: UInt8 = 0x04
    static let psh: UInt8 = 0x08
    static let ack: UInt8 = 0x10
}

/// Why a TCP segment was dropped as malformed.
struct TCPMalformed: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One TCP segment, parsed or to be sent.
struct TCPSegment: Equatable, Sendable, Codable {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var seq: UInt32
    var ack: UInt32
    var flags: UInt8
    var window: UInt16
    /// The MSS option (sent on SYNs; parsed from any segment that has one).
    var mss: UInt16?
    var payload: [UInt8]

    init(sourcePort: UInt16, destinationPort: UInt16, seq: UInt32, ack: UInt32, flags: UInt8, window: UInt16,
         mss: UInt16? = nil, payload: [UInt8] = []) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.seq = seq
        self.ack = ack
        self.flags = flags
        self.window = window
        self.mss = mss
        self.payload = payload
    }

    func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// Sequence space the segment occupies: data plus one each for SYN and FIN.
    var sequenceLength: UInt32 {
        UInt32(truncatingIfNeeded: payload.count) &+ (has(TCPFlags.syn) ? 1 : 0) &+ (has(TCPFlags.fin) ? 1 : 0)
    }

    /// Parses and validates the TCP segment `p` (an IPv4 payload) sent from `source` to `destination`.
    static func parse(_ p: [UInt8], source: IPv4Address, destination: IPv4Address) throws(TCPMalformed) -> TCPSegment {
        guard p.count >= 20 else { throw TCPMalformed("TCP segment of \(p.count) bytes is shorter than its 20-byte header") }
        let headerLength = Int(p[12] >> 4) * 4
        guard headerLength >= 20, headerLength <= p.count else {
            throw TCPMalformed("TCP data offset \(headerLength) does not fit the \(p.count)-byte segment")
        }
        let pseudo = NetBytes.pseudoHeaderSum(source: source.value, destination: destination.value, proto: 6, length: p.count)
        guard NetBytes.finish(NetBytes.onesComplementSum(p, 0..<p.count, initial: pseudo)) == 0 else {
            throw TCPMalformed("TCP checksum is wrong")
        }
        let sourcePort = NetBytes.be16(p, 0), destinationPort = NetBytes.be16(p, 2)
        guard sourcePort != 0, destinationPort != 0 else { throw TCPMalformed("TCP port 0") }
        let flags = p[13] & 0x3F
        try checkFlags(flags)
        let mss = try parseOptions(Array(p[20..<headerLength]))
        return TCPSegment(sourcePort: sourcePort, destinationPort: destinationPort, seq: NetBytes.be32(p, 4),
                          ack: NetBytes.be32(p, 8), flags: flags, window: NetBytes.be16(p, 14), mss: mss,
                          payload: Array(p[headerLength...]))
    }

    /// Flag combinations no correct TCP sends.
    private static func checkFlags(_ f: UInt8) throws(TCPMalformed) {
        let syn = f & TCPFlags.syn != 0, fin = f & TCPFlags.fin != 0, rst = f & TCPFlags.rst != 0
        guard f & (TCPFlags.syn | TCPFlags.fin | TCPFlags.rst | TCPFlags.ack) != 0 else {
            throw TCPMalformed("TCP segment with none of SYN, FIN, RST, ACK")
        }
        guard !(syn && fin), !(syn && rst) else { throw TCPMalformed("TCP flags \(f): SYN with FIN or RST") }
        if !syn, f & TCPFlags.ack == 0, !rst { throw TCPMalformed("TCP flags \(f): FIN without ACK") }
    }

    /// Walks the option list; returns the MSS option's value if present.
    private static func parseOptions(_ o: [UInt8]) throws(TCPMalformed) -> UInt16? {
        var mss: UInt16?
        var i = 0
        while i < o.count {
            switch o[i] {
            case 0: return mss                        // end of list
            case 1: i += 1                            // no-op
            default:
                guard i + 1 < o.count else { throw TCPMalformed("TCP option \(o[i]) has no length byte") }
                let length = Int(o[i + 1])
                guard length >= 2, i + length <= o.count else {
                    throw TCPMalformed("TCP option \(o[i]) length \(length) does not fit the header")
                }
                if o[i] == 2 {
                    guard length == 4 else { throw TCPMalformed("TCP MSS option of length \(length)") }
                    mss = NetBytes.be16(o, i + 2)
                }
                i += length
            }
        }
        return mss
    }

    /// The segment's bytes from `source` to `destination`, checksum filled in.
    func encode(source: IPv4Address, destination: IPv4Address) -> [UInt8] {
        let headerLength = mss == nil ? 20 : 24
        var s = [UInt8](repeating: 0, count: headerLength)
        NetBytes.put16(&s, 0, sourcePort)
        NetBytes.put16(&s, 2, destinationPort)
        NetBytes.put32(&s, 4, seq)
        NetBytes.put32(&s, 8, ack)
        s[12] = UInt8(headerLength / 4) << 4
        s[13] = flags
        NetBytes.put16(&s, 14, window)
        if let mss {
            s[20] = 2
            s[21] = 4
            NetBytes.put16(&s, 22, mss)
        }
        s += payload
        let pseudo = NetBytes.pseudoHeaderSum(source: source.value, destination: destination.value, proto: 6, length: s.count)
        NetBytes.put16(&s, 16, NetBytes.finish(NetBytes.onesComplementSum(s, 0..<s.count, initial: pseudo)))
        return s
    }
}

/// Sequence-number comparison modulo 2^32 (RFC 793's "a < b").
@inline(__always) func seqBefore(_ a: UInt32, _ b: UInt32) -> Bool { Int32(bitPattern: a &- b) < 0 }

/// The stream's byte at offset `k`: (k * 7 + 3) & 255 (what netstream sends and checks).
@inline(__always) func streamPatternByte(_ k: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: k &* 7 &+ 3) }
