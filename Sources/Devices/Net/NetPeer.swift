// NetPeer: a tiny host on the guest's LAN, with QEMU user-networking
// addresses (10.0.2.2, 52:55:0a:00:02:02). It answers ARP requests for its
// address, ICMP echo requests (ping) and UDP datagrams to port 7 (echo), and
// has TCP endpoints (a sink, optionally a source; NetPeerTCP.swift) and
// optionally an HTTP load generator (NetPeerHTTPClient.swift). Every
// frame is validated — lengths, header fields, checksums — and anything
// malformed is dropped silently and counted. Sans-IO: frames in through
// `send(_:)` (it is the NIC's backend), answers out through `reply`.
//
// Frames it builds (Ethernet II, no FCS, no 802.1Q):
//
//   ARP reply      dst=asker | src=peer | 0806 | 1 0800 6 4 op=2 | peer MAC/IP | asker MAC/IP
//                  padded with zeros to 64 bytes, as QEMU's slirp sends it
//   ICMP echo reply  IPv4: version 4, IHL 5, TOS 0, ID 0, DF, TTL 255, proto 1,
//                  addresses swapped; ICMP type 0, same id/sequence/data
//                  (the header QEMU 7.2's slirp answers a ping to 10.0.2.2 with)
//   UDP echo       IPv4 as above with proto 17; ports and addresses swapped,
//                  payload unchanged, UDP checksum computed (0 sent as 0xFFFF)

/// What the peer has done, for reports and tests.
public struct NetPeerCounters: Equatable, Sendable, Codable {
    /// Frames the peer looked at.
    public var framesSeen: UInt64 = 0
    public var arpReplies: UInt64 = 0
    public var echoReplies: UInt64 = 0
    public var udpEchoes: UInt64 = 0
    /// Well-formed frames not for the peer or not a service it offers.
    public var ignored: UInt64 = 0
    /// Frames dropped as malformed (bad length, field or checksum).
    public var malformed: UInt64 = 0
    /// Why the most recent malformed frame was dropped.
    public var lastMalformed: String?

    public init() {}
}

/// The in-emulator LAN peer. See the file comment.
public final class NetPeer: NetBackend {
    public let mac: MACAddress
    public let ip: IPv4Address
    /// The UDP port answered with an echo.
    public static let echoPort: UInt16 = 7

    /// Receives every frame the peer sends back (wire it to the NIC's delivery
    /// queue; capture the NIC weakly or unowned).
    public var reply: (([UInt8]) -> Void)?

    public private(set) var counters = NetPeerCounters()

    /// The TCP endpoints' state (NetPeerTCP.swift).
    var tcp: PeerTCP
    /// The modeled time in cycles (the machine's clock; TCP timers run on it).
    public var clock: () -> UInt64 = { 0 }
    /// Called with the next TCP timer's cycle whenever one may have been armed
    /// (the machine ends its run slice there).
    public var onTimerScheduled: ((UInt64) -> Void)?
    /// With a link rate: receives every frame the peer sends with the cycle
    /// the wire is done with it (the machine adds its latency); without it,
    /// or when this is nil, frames go to `reply`.
    public var replyAt: (([UInt8], UInt64) -> Void)?
    /// The wire, when `PeerTCPOptions.linkBitsPerSecond` limits it (LinkModel.swift).
    public internal(set) var link: LinkModel?
    /// The modeled cycle of the frame being handled, when it is not `clock()`.
    var handlingAt: UInt64?

    public init(mac: MACAddress = .qemuHost, ip: IPv4Address = .qemuHost, tcp options: PeerTCPOptions = PeerTCPOptions(),
                cyclesPerSecond: UInt64 = 1_000_000_000, reply: (([UInt8]) -> Void)? = nil) {
        self.mac = mac
        self.ip = ip
        self.reply = reply
        tcp = PeerTCP(options: options, cyclesPerSecond: cyclesPerSecond)
        link = options.linkBitsPerSecond.map { LinkModel(bitsPerSecond: $0, cyclesPerSecond: cyclesPerSecond) }
    }

    /// The modeled time the peer acts at.
    var now: UInt64 { handlingAt ?? clock() }

    /// Why a frame was dropped.
    struct Malformed: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    // MARK: NetBackend

    public func send(_ frame: [UInt8]) {
        if link != nil {
            // On the wire first: the peer takes it in when the wire is done (advance(to:)).
            _ = link!.carryToPeer(frame, at: clock())
            timerMayHaveMoved()
            return
        }
        take(frame)
    }

    /// A frame arriving at the peer (at `now`): answer it.
    func take(_ frame: [UInt8]) {
        counters.framesSeen &+= 1
        defer { timerMayHaveMoved() }
        do {
            if let answers = try answer(frame) {
                for a in answers { transmit(a) }
            } else {
                counters.ignored &+= 1
            }
        } catch let error as Malformed {
            counters.malformed &+= 1
            counters.lastMalformed = error.reason
        } catch {
            counters.malformed &+= 1
        }
    }

    /// The answers to `frame`, nil if it is not for a service of the peer; throws if it is malformed.
    private func answer(_ f: [UInt8]) throws -> [[UInt8]]? {
        guard f.count >= 14 else { throw Malformed("frame of \(f.count) bytes is shorter than an Ethernet header") }
        guard f.count <= 14 + 1500 else { throw Malformed("frame of \(f.count) bytes exceeds the 1500-byte MTU") }
        let dst = MACAddress(Array(f[0..<6]))
        let src = MACAddress(Array(f[6..<12]))
        guard !src.isMulticast else { throw Malformed("source address \(src) is a group address") }
        guard dst == mac || dst.isBroadcast else { return nil }
        switch NetBytes.be16(f, 12) {
        case 0x0806: return try answerARP(f, from: src).map { [$0] }
        case 0x0800:
            guard dst == mac else { return nil }  // the peer does not answer IP broadcasts
            return try answerIPv4(f, from: src)
        default: return nil
        }
    }

    // MARK: ARP

    private func answerARP(_ f: [UInt8], from src: MACAddress) throws -> [UInt8]? {
        guard f.count >= 42 else { throw Malformed("ARP frame of \(f.count) bytes is shorter than 42") }
        guard NetBytes.be16(f, 14) == 1, NetBytes.be16(f, 16) == 0x0800, f[18] == 6, f[19] == 4 else {
            throw Malformed("ARP header is not Ethernet/IPv4 (htype 1, ptype 0800, hlen 6, plen 4)")
        }
        let op = NetBytes.be16(f, 20)
        guard op == 1 || op == 2 else { throw Malformed("ARP opcode \(op)") }
        let senderMAC = Array(f[22..<28]), senderIP = Array(f[28..<32])
        tcp.learn(ip: IPv4Address(NetBytes.be32(f, 28)), mac: MACAddress(senderMAC))
        guard op == 1, IPv4Address(NetBytes.be32(f, 38)) == ip else { return nil }
        guard !MACAddress(senderMAC).isMulticast else { throw Malformed("ARP sender address is a group address") }
        var r = [UInt8](repeating: 0, count: 64)
        r.replaceSubrange(0..<6, with: src.bytes)
        r.replaceSubrange(6..<12, with: mac.bytes)
        r.replaceSubrange(12..<22, with: [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02])
        r.replaceSubrange(22..<28, with: mac.bytes)
        r.replaceSubrange(28..<32, with: ip.bytes)
        r.replaceSubrange(32..<38, with: senderMAC)
        r.replaceSubrange(38..<42, with: senderIP)
        counters.arpReplies &+= 1
        return r
    }

    // MARK: IPv4

    private func answerIPv4(_ f: [UInt8], from src: MACAddress) throws -> [[UInt8]]? {
        let ipStart = 14
        guard f.count >= ipStart + 20 else { throw Malformed("IPv4 packet shorter than 20 bytes") }
        guard f[ipStart] >> 4 == 4 else { throw Malformed("IP version \(f[ipStart] >> 4)") }
        let headerLength = Int(f[ipStart] & 0xF) * 4
        guard headerLength >= 20 else { throw Malformed("IPv4 header length \(headerLength)") }
        let totalLength = Int(NetBytes.be16(f, ipStart + 2))
        guard totalLength >= headerLength, ipStart + totalLength <= f.count else {
            throw Malformed("IPv4 total length \(totalLength) does not fit the \(f.count)-byte frame")
        }
        guard NetBytes.internetChecksum(f, ipStart..<(ipStart + headerLength)) == 0 else {
            throw Malformed("IPv4 header checksum is wrong")
        }
        let fragment = NetBytes.be16(f, ipStart + 6)
        guard fragment & 0x8000 == 0 else { throw Malformed("IPv4 reserved flag set") }
        let source = IPv4Address(NetBytes.be32(f, ipStart + 12))
        let destination = IPv4Address(NetBytes.be32(f, ipStart + 16))
        guard destination == ip else { return nil }
        guard source.value >> 24 != 0x7F, source.value >> 28 < 0xE, source.value != 0 else {
            throw Malformed("IPv4 source \(source) cannot be answered")
        }
        guard fragment & 0x3FFF == 0 else { return nil }  // fragments: not reassembled, ignored
        let payload = Array(f[(ipStart + headerLength)..<(ipStart + totalLength)])
        switch f[ipStart + 9] {
        case 1: return try answerICMP(payload, to: src, source: source).map { [$0] }
        case 6: return try answerTCP(payload, to: src, source: source)
        case 17: return try answerUDP(payload, to: src, source: source).map { [$0] }
        default: return nil
        }
    }

    private func answerICMP(_ p: [UInt8], to dst: MACAddress, source: IPv4Address) throws -> [UInt8]? {
        guard p.count >= 8 else { throw Malformed("ICMP message shorter than 8 bytes") }
        guard NetBytes.internetChecksum(p, 0..<p.count) == 0 else { throw Malformed("ICMP checksum is wrong") }
        guard p[0] == 8, p[1] == 0 else { return nil }  // only echo requests are answered
        var icmp = p
        icmp[0] = 0
        icmp[2] = 0
        icmp[3] = 0
        NetBytes.put16(&icmp, 2, NetBytes.internetChecksum(icmp, 0..<icmp.count))
        counters.echoReplies &+= 1
        return ipv4Frame(to: dst, destination: source, proto: 1, payload: icmp)
    }

    private func answerUDP(_ p: [UInt8], to dst: MACAddress, source: IPv4Address) throws -> [UInt8]? {
        guard p.count >= 8 else { throw Malformed("UDP datagram shorter than 8 bytes") }
        let length = Int(NetBytes.be16(p, 4))
        guard length >= 8, length <= p.count else {
            throw Malformed("UDP length \(length) does not fit the \(p.count)-byte IP payload")
        }
        let datagram = Array(p[0..<length])
        if NetBytes.be16(datagram, 6) != 0 {
            let pseudo = NetBytes.pseudoHeaderSum(source: source.value, destination: ip.value, proto: 17, length: length)
            guard NetBytes.finish(NetBytes.onesComplementSum(datagram, 0..<length, initial: pseudo)) == 0 else {
                throw Malformed("UDP checksum is wrong")
            }
        }
        let sourcePort = NetBytes.be16(datagram, 0), destinationPort = NetBytes.be16(datagram, 2)
        guard sourcePort != 0 else { throw Malformed("UDP source port 0 cannot be answered") }
        guard destinationPort == Self.echoPort else { return nil }
        var udp = datagram
        NetBytes.put16(&udp, 0, destinationPort)
        NetBytes.put16(&udp, 2, sourcePort)
        NetBytes.put16(&udp, 6, 0)
        let pseudo = NetBytes.pseudoHeaderSum(source: ip.value, destination: source.value, proto: 17, length: length)
        let sum = NetBytes.finish(NetBytes.onesComplementSum(udp, 0..<length, initial: pseudo))
        NetBytes.put16(&udp, 6, sum == 0 ? 0xFFFF : sum)
        counters.udpEchoes &+= 1
        return ipv4Frame(to: dst, destination: source, proto: 17, payload: udp)
    }

    /// An Ethernet frame carrying an IPv4 packet from the peer.
    func ipv4Frame(to dst: MACAddress, destination: IPv4Address, proto: UInt8, payload: [UInt8]) -> [UInt8] {
        var header: [UInt8] = [0x45, 0x00, 0, 0, 0x00, 0x00, 0x40, 0x00, 255, proto, 0, 0]
        NetBytes.put16(&header, 2, UInt16(truncatingIfNeeded: 20 + payload.count))
        header += ip.bytes + destination.bytes
        NetBytes.put16(&header, 10, NetBytes.internetChecksum(header, 0..<20))
        return dst.bytes + mac.bytes + [0x08, 0x00] + header + payload
    }

    // MARK: Snapshot

    /// The counters and the whole TCP state (connections, timers, counters).
    public struct Snapshot: Equatable, Sendable, Codable {
        public var counters: NetPeerCounters
        public var tcp: PeerTCP
        /// The wire clocks and the guest's frames still on the wire (nil: no link rate).
        public var link: LinkModel?
    }

    public func snapshot() -> Snapshot { Snapshot(counters: counters, tcp: tcp, link: link) }
    public func restore(_ snapshot: Snapshot) {
        counters = snapshot.counters
        tcp = snapshot.tcp
        link = snapshot.link
    }
}

extension NetPeer: SnapshotCapable {}
