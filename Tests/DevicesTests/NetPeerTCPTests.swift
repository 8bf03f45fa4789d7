// Tests for the LAN peer's TCP (NetPeerTCP): the sink's handshake, in-order
// and out-of-order data, pattern checks, FIN and its retransmission timer; RST
// for closed ports; malformed segments dropped and counted; the source's ARP,
// SYN retries, window and MSS, go-back-N on timeout and on duplicate ACKs, the
// zero-window probe and resume, its FIN; snapshots; the `--net peer,` parser.
// Segments from the "guest" are built by hand here, not with the peer's encoder.

import Foundation
import Testing
@testable import Devices

/// The peer under test with a settable clock and every frame it sends.
final class TCPRig {
    let peer: NetPeer
    let out = NetFrameRecorder()
    var now: UInt64 = 0
    static let cps: UInt64 = 1_000_000_000
    static let ms: UInt64 = cps / 1000

    init(_ options: PeerTCPOptions = PeerTCPOptions()) {
        peer = NetPeer(tcp: options, cyclesPerSecond: Self.cps)
        peer.reply = { [out] in out.send($0) }
        peer.clock = { [unowned self] in self.now }
    }

    /// Sends one TCP segment from the guest (10.0.2.15) to the peer.
    func send(_ sport: UInt16 = 40000, _ dport: UInt16 = 5001, seq: UInt32, ack: UInt32 = 0, flags: UInt8,
              window: UInt16 = 8192, mss: UInt16? = nil, data: [UInt8] = []) {
        peer.send(Self.frame(sport, dport, seq: seq, ack: ack, flags: flags, window: window, mss: mss, data: data))
    }

    static func tcpBytes(_ sport: UInt16, _ dport: UInt16, seq: UInt32, ack: UInt32, flags: UInt8, window: UInt16,
                         mss: UInt16?, data: [UInt8]) -> [UInt8] {
        let options: [UInt8] = mss.map { [2, 4, UInt8($0 >> 8), UInt8($0 & 0xFF)] } ?? []
        var t: [UInt8] = [UInt8(sport >> 8), UInt8(sport & 0xFF), UInt8(dport >> 8), UInt8(dport & 0xFF),
                          UInt8(seq >> 24), UInt8((seq >> 16) & 0xFF), UInt8((seq >> 8) & 0xFF), UInt8(seq & 0xFF),
                          UInt8(ack >> 24), UInt8((ack >> 16) & 0xFF), UInt8((ack >> 8) & 0xFF), UInt8(ack & 0xFF),
                          UInt8((20 + options.count) / 4) << 4, flags, UInt8(window >> 8), UInt8(window & 0xFF), 0, 0, 0, 0]
        t += options + data
        let pseudo = NetBytes.pseudoHeaderSum(source: Frames.guestIP.value, destination: IPv4Address.qemuHost.value,
                                              proto: 6, length: t.count)
        NetBytes.put16(&t, 16, NetBytes.finish(NetBytes.onesComplementSum(t, 0..<t.count, initial: pseudo)))
        return t
    }

    static func frame(_ sport: UInt16, _ dport: UInt16, seq: UInt32, ack: UInt32 = 0, flags: UInt8, window: UInt16 = 8192,
                      mss: UInt16? = nil, data: [UInt8] = []) -> [UInt8] {
        wrap(tcpBytes(sport, dport, seq: seq, ack: ack, flags: flags, window: window, mss: mss, data: data))
    }

    static func wrap(_ tcp: [UInt8]) -> [UInt8] {
        Frames.ethernet(to: .qemuHost, type: 0x0800, Frames.ipv4(proto: 6, to: .qemuHost, tcp))
    }

    /// The TCP segments among the frames sent since the last call (checked: addresses, checksums).
    func take() -> [TCPSegment] {
        defer { out.removeAll() }
        return out.frames.compactMap { f in
            guard NetBytes.be16(f, 12) == 0x0800 else { return nil }
            #expect(Array(f[0..<6]) == Frames.guestMAC.bytes && Array(f[6..<12]) == MACAddress.qemuHost.bytes)
            #expect(NetBytes.internetChecksum(f, 14..<34) == 0)
            return try? TCPSegment.parse(Array(f[34...]), source: .qemuHost, destination: Frames.guestIP)
        }
    }

    /// Lets modeled time pass to `cycle`, firing the peer's timers.
    func advance(to cycle: UInt64) {
        now = cycle
        peer.advance(to: cycle)
    }

    /// The pattern bytes at stream offsets `range`.
    static func pattern(_ range: Range<UInt64>) -> [UInt8] { range.map { streamPatternByte($0) } }
}

let A = TCPFlags.ack, S = TCPFlags.syn, F = TCPFlags.fin, R = TCPFlags.rst, P = TCPFlags.psh

@Suite struct NetPeerTCPSinkTests {
    /// Handshake on the sink: returns the peer's ISS.
    func connect(_ rig: TCPRig, seq: UInt32 = 1000) -> UInt32 {
        rig.send(seq: seq, flags: S, mss: 1460)
        let synAck = rig.take()
        #expect(synAck.count == 1)
        let iss = synAck.first?.seq ?? 0
        rig.send(seq: seq + 1, ack: iss &+ 1, flags: A)
        #expect(rig.take().isEmpty)
        return iss
    }

    @Test func handshakeAnswersSYNWithSYNACK() {
        let rig = TCPRig()
        rig.send(seq: 1000, flags: S, window: 16384, mss: 1460)
        let r = rig.take()
        #expect(r.count == 1)
        let s = r[0]
        #expect(s.flags == S | A && s.ack == 1001 && s.mss == 1460 && s.window == 65535)
        #expect(s.sourcePort == 5001 && s.destinationPort == 40000)
        #expect(rig.peer.tcpCounters.connectionsAccepted == 0)
        rig.send(seq: 1001, ack: s.seq &+ 1, flags: A)
        #expect(rig.take().isEmpty)
        #expect(rig.peer.tcpCounters.connectionsAccepted == 1)
        #expect(rig.peer.counters.ignored == 0 && rig.peer.counters.malformed == 0)
    }

    @Test func inOrderDataIsAckedEverySegmentAndChecked() {
        let rig = TCPRig()
        let iss = connect(rig)
        rig.send(seq: 1001, ack: iss &+ 1, flags: A | P, data: TCPRig.pattern(0..<1460))
        rig.send(seq: 2461, ack: iss &+ 1, flags: A | P, data: TCPRig.pattern(1460..<2000))
        let acks = rig.take()
        #expect(acks.map(\.ack) == [2461, 3001])
        #expect(acks.allSatisfy { $0.flags == A && $0.payload.isEmpty && $0.seq == iss &+ 1 })
        var bad = TCPRig.pattern(2000..<2100)
        bad[7] ^= 0x40
        bad[99] ^= 1
        rig.send(seq: 3001, ack: iss &+ 1, flags: A, data: bad)
        #expect(rig.take().map(\.ack) == [3101])
        #expect(rig.peer.tcpCounters.sinkBytes == 2100 && rig.peer.tcpCounters.patternErrors == 2)
    }

    @Test func outOfOrderDataIsDroppedAndReAcked() {
        let rig = TCPRig()
        let iss = connect(rig)
        rig.send(seq: 1001, ack: iss &+ 1, flags: A, data: TCPRig.pattern(0..<1000))
        rig.send(seq: 3001, ack: iss &+ 1, flags: A, data: TCPRig.pattern(2000..<3000))   // a hole at 1000..<2000
        rig.send(seq: 4001, ack: iss &+ 1, flags: A, data: TCPRig.pattern(3000..<4000))
        #expect(rig.take().map(\.ack) == [2001, 2001, 2001])   // duplicate ACKs for the guest's fast retransmit
        #expect(rig.peer.tcpCounters.sinkBytes == 1000)
        // Go-back-N from the hole: an overlapping retransmission is taken from rcvNxt on.
        rig.send(seq: 1501, ack: iss &+ 1, flags: A, data: TCPRig.pattern(500..<1500))
        rig.send(seq: 1001, ack: iss &+ 1, flags: A, data: TCPRig.pattern(0..<500))   // old duplicate
        #expect(rig.take().map(\.ack) == [2501, 2501])
        #expect(rig.peer.tcpCounters.sinkBytes == 1500 && rig.peer.tcpCounters.patternErrors == 0)
    }

    @Test func finIsAnsweredWithFINACKAndTheConnectionEnds() {
        let rig = TCPRig()
        let iss = connect(rig)
        rig.send(seq: 1001, ack: iss &+ 1, flags: A | F, data: TCPRig.pattern(0..<10))
        let r = rig.take()
        #expect(r.count == 1 && r[0].flags == F | A && r[0].ack == 1012 && r[0].seq == iss &+ 1)
        #expect(rig.peer.tcpCounters.sinkClosed && rig.peer.tcpCounters.sinkBytes == 10)
        rig.send(seq: 1012, ack: iss &+ 2, flags: A)
        #expect(rig.take().isEmpty)
        #expect(rig.peer.tcp.connections.isEmpty && rig.peer.nextTimerCycle == nil)
        // The same ports again: a closed port now, so RST.
        rig.send(seq: 1012, ack: iss &+ 2, flags: A)
        #expect(rig.take().map(\.flags) == [R])
    }

    @Test func lostSYNACKAndFINAreRetransmittedOnTheTimerWithBackoff() {
        let rig = TCPRig()
        rig.send(seq: 1000, flags: S, mss: 1460)
        let synAck = rig.take()[0]
        #expect(rig.peer.nextTimerCycle == 200 * TCPRig.ms)
        rig.advance(to: 199 * TCPRig.ms)
        #expect(rig.take().isEmpty)
        rig.advance(to: 200 * TCPRig.ms)
        #expect(rig.take() == [synAck])
        #expect(rig.peer.nextTimerCycle == 600 * TCPRig.ms)   // doubled
        #expect(rig.peer.tcpCounters.retransmits == 1)
        // The guest's own SYN retransmission is answered at once too.
        rig.send(seq: 1000, flags: S, mss: 1460)
        #expect(rig.take() == [synAck])
        rig.send(seq: 1001, ack: synAck.seq &+ 1, flags: A | F)
        let fin = rig.take()
        #expect(fin.count == 1 && fin[0].flags == F | A)
        rig.advance(to: rig.now + 200 * TCPRig.ms)
        #expect(rig.take() == fin)
        #expect(rig.peer.tcpCounters.retransmits == 3)
    }

    @Test func tooManyTimeoutsAbortWithRST() {
        let rig = TCPRig()
        rig.send(seq: 1000, flags: S)
        _ = rig.take()
        var fired = 0
        while let t = rig.peer.nextTimerCycle, fired < 100 {
            rig.advance(to: t)
            fired += 1
        }
        let last = rig.take().last
        #expect(fired == 13 && last?.flags == R)
        #expect(rig.peer.tcp.connections.isEmpty && rig.peer.tcpCounters.resetsSent == 1)
    }
}

@Suite struct NetPeerTCPResetAndMalformedTests {
    @Test func closedPortsAnswerRSTLikeARealHost() {
        let rig = TCPRig()
        rig.send(40000, 80, seq: 500, flags: S)
        rig.send(40000, 80, seq: 500, ack: 777, flags: A, data: [1, 2, 3])
        rig.send(40000, 80, seq: 500, flags: R)
        rig.send(40000, 80, seq: 500, ack: 1, flags: R | A)
        let r = rig.take()
        #expect(r.count == 2)
        #expect(r[0].flags == R | A && r[0].seq == 0 && r[0].ack == 501 && r[0].sourcePort == 80)
        #expect(r[1].flags == R && r[1].seq == 777)
        #expect(rig.peer.tcpCounters.resetsSent == 2 && rig.peer.counters.ignored == 0)
        // With the sink off, its port is closed too.
        let off = TCPRig(PeerTCPOptions(sinkPort: nil))
        off.send(seq: 9, flags: S)
        #expect(off.take().map(\.flags) == [R | A])
        // Other traffic is answered as before.
        off.peer.send(Frames.ping())
        #expect(off.out.frames.count == 1 && off.peer.counters.echoReplies == 1)
    }

    @Test func malformedSegmentsAreDroppedAndCounted() {
        let rig = TCPRig()
        let good = TCPRig.tcpBytes(40000, 5001, seq: 1, ack: 0, flags: S, window: 100, mss: 1460, data: [])
        var cases: [([UInt8], String)] = []
        var badSum = good; badSum[16] ^= 0xFF
        cases.append((badSum, "checksum"))
        cases.append((Array(good.prefix(19)), "shorter than its 20-byte header"))
        var badOffset = good; badOffset[12] = 0xF0
        cases.append((badOffset, "data offset"))
        var lowOffset = good; lowOffset[12] = 0x40
        cases.append((lowOffset, "data offset"))
        cases.append((TCPRig.tcpBytes(40000, 5001, seq: 1, ack: 0, flags: S | F, window: 1, mss: nil, data: []), "SYN with FIN"))
        cases.append((TCPRig.tcpBytes(40000, 5001, seq: 1, ack: 0, flags: P, window: 1, mss: nil, data: [1]), "none of"))
        cases.append((TCPRig.tcpBytes(40000, 5001, seq: 1, ack: 0, flags: F, window: 1, mss: nil, data: []), "FIN without ACK"))
        cases.append((TCPRig.tcpBytes(0, 5001, seq: 1, ack: 0, flags: S, window: 1, mss: nil, data: []), "port 0"))
        var badOption = TCPRig.tcpBytes(40000, 5001, seq: 1, ack: 0, flags: S, window: 1, mss: 1460, data: [])
        badOption[21] = 9   // MSS option length past the header
        NetBytes.put16(&badOption, 16, 0)
        let pseudo = NetBytes.pseudoHeaderSum(source: Frames.guestIP.value, destination: IPv4Address.qemuHost.value,
                                              proto: 6, length: badOption.count)
        NetBytes.put16(&badOption, 16, NetBytes.finish(NetBytes.onesComplementSum(badOption, 0..<badOption.count, initial: pseudo)))
        cases.append((badOption, "option"))
        for (i, (tcp, reason)) in cases.enumerated() {
            rig.peer.send(TCPRig.wrap(tcp))
            #expect(rig.peer.tcpCounters.malformed == UInt64(i + 1), "case \(i): \(reason)")
            #expect(rig.peer.counters.malformed == UInt64(i + 1))
            #expect(rig.peer.counters.lastMalformed?.contains(reason) == true,
                    "case \(i): expected \(reason), got \(rig.peer.counters.lastMalformed ?? "nil")")
        }
        #expect(rig.out.frames.isEmpty && rig.peer.tcp.connections.isEmpty)
        rig.peer.send(TCPRig.wrap(good))
        #expect(rig.take().map(\.flags) == [S | A])
    }

    @Test func randomSegmentsNeverTrap() {
        let rig = TCPRig(PeerTCPOptions(source: PeerTCPSource(guestPort: 5001, bytes: 100_000)))
        var rng = SplitMix64(seed: 2024)
        for i in 0..<3000 {
            let flags = UInt8(truncatingIfNeeded: rng.next()) & 0x3F
            let data = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let sport: UInt16 = rng.next() & 1 == 0 ? 5001 : UInt16(truncatingIfNeeded: rng.next())
            let dport: UInt16 = rng.next() & 1 == 0 ? 5001 : (rng.next() & 1 == 0 ? 32769 : UInt16(truncatingIfNeeded: rng.next()))
            rig.send(sport, dport, seq: UInt32(truncatingIfNeeded: rng.next()), ack: UInt32(truncatingIfNeeded: rng.next()),
                     flags: flags, window: UInt16(truncatingIfNeeded: rng.next()),
                     mss: rng.next() & 1 == 0 ? UInt16(truncatingIfNeeded: rng.next()) : nil, data: data)
            if i % 50 == 0 { rig.advance(to: rig.now + UInt64(rng.next() % (300 * TCPRig.ms))) }
        }
        #expect(rig.peer.counters.framesSeen == 3000)
    }
}

@Suite struct NetPeerTCPSourceTests {
    static let guestISS: UInt32 = 0xFFFF_FF00   // wraps during the transfer

    /// A source of `bytes` to guest port 5001 starting at 1 ms, connected with
    /// the guest's window and MSS; returns the rig and the peer's ISS.
    func connected(bytes: UInt64, window: UInt16, mss: UInt16 = 1000) -> (TCPRig, UInt32) {
        #expect(Self.sourcePort == 32768)
        let rig = TCPRig(PeerTCPOptions(source: PeerTCPSource(guestPort: 5001, bytes: bytes, startDelayCycles: TCPRig.ms)))
        rig.peer.send(Frames.arpRequest(for: .qemuHost))   // the guest introduces itself
        rig.out.removeAll()
        rig.advance(to: TCPRig.ms)
        let syn = rig.take()
        #expect(syn.count == 1 && syn[0].flags == S && syn[0].mss == 1460 && syn[0].destinationPort == 5001)
        let iss = syn.first?.seq ?? 0
        rig.send(5001, syn.first?.sourcePort ?? 0, seq: Self.guestISS, ack: iss &+ 1, flags: S | A, window: window, mss: mss)
        #expect(rig.peer.tcpCounters.connectionsMade == 1)
        return (rig, iss)
    }

    /// The first source connection's port (32768 + connections created before it).
    static let sourcePort: UInt16 = 32768

    func ack(_ rig: TCPRig, _ ack: UInt32, window: UInt16, port: UInt16 = sourcePort) {
        rig.send(5001, port, seq: Self.guestISS &+ 1, ack: ack, flags: A, window: window)
    }

    @Test func asksARPThenRetriesTheSYNEvery100msWhileRefused() {
        let rig = TCPRig(PeerTCPOptions(source: PeerTCPSource(guestPort: 7000, bytes: 10, startDelayCycles: 5 * TCPRig.ms)))
        #expect(rig.peer.nextTimerCycle == 5 * TCPRig.ms)
        rig.advance(to: 5 * TCPRig.ms)
        #expect(rig.out.frames.count == 1)
        let arp = rig.out.frames[0]
        #expect(Array(arp[0..<6]) == MACAddress.broadcast.bytes && NetBytes.be16(arp, 20) == 1)
        #expect(NetBytes.be32(arp, 38) == Frames.guestIP.value)
        rig.out.removeAll()
        // The guest's ARP reply teaches the peer its MAC (and is not answered).
        rig.peer.send(Frames.ethernet(to: .qemuHost, type: 0x0806, [0, 1, 8, 0, 6, 4, 0, 2] + Frames.guestMAC.bytes
                      + Frames.guestIP.bytes + MACAddress.qemuHost.bytes + IPv4Address.qemuHost.bytes))
        #expect(rig.out.frames.isEmpty)
        rig.advance(to: 105 * TCPRig.ms)
        let syn = rig.take()
        #expect(syn.count == 1 && syn[0].flags == S && syn[0].destinationPort == 7000)
        rig.send(7000, syn[0].sourcePort, seq: 0, ack: syn[0].seq &+ 1, flags: R | A, window: 0)   // not listening yet
        #expect(rig.take().isEmpty)
        rig.advance(to: 204 * TCPRig.ms)
        #expect(rig.take().isEmpty)
        rig.advance(to: 205 * TCPRig.ms)
        #expect(rig.take() == syn)
        #expect(rig.peer.tcpCounters.retransmits == 1 && rig.peer.tcpCounters.connectionsMade == 0)
    }

    @Test func sendsThePatternWithinWindowMSSAndCongestionWindow() {
        let (rig, iss) = connected(bytes: 10_000, window: 8000)
        // Initial cwnd 2920: two full 1000-byte segments (no small third one while they fly).
        let first = rig.take()
        #expect(first.map(\.payload.count) == [1000, 1000])
        #expect(first[0].seq == iss &+ 1 && first[0].ack == Self.guestISS &+ 1 && first[0].payload == TCPRig.pattern(0..<1000))
        #expect(first[1].payload == TCPRig.pattern(1000..<2000))
        ack(rig, iss &+ 2001, window: 8000)
        // Slow start: cwnd 3920 -> three segments.
        let second = rig.take()
        #expect(second.map(\.payload.count) == [1000, 1000, 1000])
        #expect(rig.peer.tcpCounters.sourceBytesAcked == 2000)
    }

    @Test func retransmitsFromTheFirstUnackedByteOnTimeoutAndOnThreeDuplicateACKs() {
        let (rig, iss) = connected(bytes: 100_000, window: 60000)
        var sent = rig.take()
        ack(rig, iss &+ 2001, window: 60000)
        sent = rig.take()
        ack(rig, iss &+ 5001, window: 60000)
        sent = rig.take()   // cwnd 4920+: four segments 5001.. 9001
        #expect(sent.count >= 4)
        // Three duplicate ACKs for 5001: go back to it.
        ack(rig, iss &+ 5001, window: 60000)
        ack(rig, iss &+ 5001, window: 60000)
        #expect(rig.take().isEmpty)
        ack(rig, iss &+ 5001, window: 60000)
        let again = rig.take()
        #expect(again.first?.seq == iss &+ 5001 && again.first?.payload == TCPRig.pattern(5000..<6000))
        #expect(rig.peer.tcpCounters.retransmits == UInt64(again.count))
        // Nothing acknowledged for an RTO (200 ms): go back again, one segment (cwnd = 1 MSS).
        let before = rig.peer.tcpCounters.retransmits
        rig.advance(to: rig.now + 200 * TCPRig.ms)
        let timedOut = rig.take()
        #expect(timedOut.count == 1 && timedOut[0].seq == iss &+ 5001)
        #expect(rig.peer.tcpCounters.retransmits == before + 1)
    }

    @Test func zeroWindowIsProbedAndTheStreamResumesOnAWindowUpdate() {
        let (rig, iss) = connected(bytes: 3000, window: 2000)
        #expect(rig.take().map(\.payload.count) == [1000, 1000])
        ack(rig, iss &+ 2001, window: 0)   // the guest's buffer is full
        #expect(rig.take().isEmpty)
        #expect(rig.peer.nextTimerCycle == rig.now + 200 * TCPRig.ms)
        rig.advance(to: rig.now + 200 * TCPRig.ms)
        let probe = rig.take()
        #expect(probe.count == 1 && probe[0].seq == iss &+ 2001 && probe[0].payload == TCPRig.pattern(2000..<2001))
        ack(rig, iss &+ 2001, window: 0)   // still closed: the probe byte was not taken
        #expect(rig.take().isEmpty)
        ack(rig, iss &+ 2001, window: 4000)   // the reader drained the buffer: window update
        let rest = rig.take()
        #expect(rest.count == 1 && rest[0].seq == iss &+ 2001 && rest[0].payload == TCPRig.pattern(2000..<3000))
        #expect(rig.peer.tcpCounters.retransmits == 1)   // the probe's byte, sent again
        // The FIN only after the last byte is acknowledged.
        #expect(!rest[0].has(F))
        ack(rig, iss &+ 3001, window: 4000)
        let fin = rig.take()
        #expect(fin.count == 1 && fin[0].flags == F | A && fin[0].seq == iss &+ 3001)
        #expect(rig.peer.tcpCounters.sourceBytesAcked == 3000 && !rig.peer.tcpCounters.sourceDone)
        ack(rig, iss &+ 3002, window: 4000)
        #expect(rig.peer.tcpCounters.sourceDone)
        // The guest closes too: ACK, TIME_WAIT, then gone.
        rig.send(5001, Self.sourcePort, seq: Self.guestISS &+ 1, ack: iss &+ 3002, flags: F | A, window: 4000)
        #expect(rig.take().map(\.ack) == [Self.guestISS &+ 2])
        rig.advance(to: rig.now + 500 * TCPRig.ms)
        #expect(rig.peer.tcp.connections.isEmpty)
    }

    @Test func snapshotRestoreContinuesTheTransferExactly() throws {
        let (rig, iss) = connected(bytes: 50_000, window: 30000)
        _ = rig.take()
        ack(rig, iss &+ 2001, window: 30000)
        _ = rig.take()
        let snap = try JSONDecoder().decode(NetPeer.Snapshot.self, from: JSONEncoder().encode(rig.peer.snapshot()))
        let then = rig.now
        ack(rig, iss &+ 4001, window: 30000)
        rig.advance(to: then + 300 * TCPRig.ms)
        let original = rig.take()
        #expect(original.count > 3 && rig.peer.tcpCounters.retransmits > 0)   // new data, then a timeout
        rig.peer.restore(snap)
        rig.now = then
        ack(rig, iss &+ 4001, window: 30000)
        rig.advance(to: then + 300 * TCPRig.ms)
        #expect(rig.take() == original, "the restored peer sends the same segments")
    }
}

@Suite struct PeerTCPOptionTests {
    @Test func parsesSinkAndSource() throws {
        #expect(try PeerTCPOptions.parse("") == PeerTCPOptions())
        #expect(try PeerTCPOptions.parse(",tcp-sink=off").sinkPort == nil)
        let o = try PeerTCPOptions.parse(",tcp-sink=9,tcp-source=5001:1M")
        #expect(o == PeerTCPOptions(sinkPort: 9, source: PeerTCPSource(guestPort: 5001, bytes: 1 << 20)))
        #expect(try PeerTCPOptions.parse(",tcp-source=80:256k").source?.bytes == 262_144)
        #expect(try PeerTCPOptions.parse(",tcp-source=80:12345").source?.bytes == 12345)
    }

    @Test func rejectsBadValues() {
        for bad in ["0", "65536", "x", "", "-1", "off2"] {
            #expect(throws: PeerTCPOptionError.badPort(bad)) { try PeerTCPOptions.parse(",tcp-sink=" + bad) }
        }
        for bad in ["5001", "5001:", ":100", "0:100", "5001:0", "5001:1X", "5001:99999999999999999999", "5001:1:2",
                    "5001:20000000000G", "70000:1"] {
            #expect(throws: PeerTCPOptionError.badSource(bad)) { try PeerTCPOptions.parse(",tcp-source=" + bad) }
        }
        #expect(throws: PeerTCPOptionError.unknownOption("tcp=1")) { try PeerTCPOptions.parse(",tcp=1") }
    }
}
