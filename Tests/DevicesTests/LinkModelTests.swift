// Tests for LinkModel (the peer's cable at a modeled bit rate): the
// serialization arithmetic, queueing behind a busy wire per direction, and
// the peer with a link rate — guest frames taken in when the wire is done,
// answers handed out with the cycle their own serialization ends, snapshots
// carrying the wire clocks and the frames in flight.

import Foundation
import Testing
@testable import Devices

@Suite struct LinkModelTests {
    static let cps: UInt64 = 1_000_000_000

    @Test func serializationIsFrameBytesPlusOverheadTimesEightOverRate() {
        let link = LinkModel(bitsPerSecond: 100_000_000, cyclesPerSecond: Self.cps)
        // 1514 + 24 bytes = 12304 bits at 100 Mbit/s = 123.04 µs.
        #expect(link.serializationCycles(frameBytes: 1514) == 123_040)
        // Short frames are padded to 60 bytes: (60 + 24) × 8 = 672 bits = 6.72 µs.
        #expect(link.serializationCycles(frameBytes: 42) == 6_720)
        #expect(link.serializationCycles(frameBytes: 60) == 6_720)
        let gig = LinkModel(bitsPerSecond: 1_000_000_000, cyclesPerSecond: Self.cps)
        #expect(gig.serializationCycles(frameBytes: 1514) == 12_304)
        // Rounded up to whole cycles: 12304 bits at 3 Gbit/s = 4101.33 cycles.
        #expect(LinkModel(bitsPerSecond: 3_000_000_000, cyclesPerSecond: Self.cps).serializationCycles(frameBytes: 1514) == 4_102)
        // Other clock rates scale: 12304 bits at 1 Gbit/s on a 1.7 GHz CPU.
        #expect(LinkModel(bitsPerSecond: 1_000_000_000, cyclesPerSecond: 1_700_000_000).serializationCycles(frameBytes: 1514) == 20_917)
        // No overflow for absurd rates.
        #expect(LinkModel(bitsPerSecond: 1, cyclesPerSecond: .max).serializationCycles(frameBytes: 1514) == .max)
    }

    @Test func framesQueueBehindABusyWireEachDirectionOnItsOwn() {
        var link = LinkModel(bitsPerSecond: 100_000_000, cyclesPerSecond: Self.cps)
        // Three full frames at once: back to back.
        #expect(link.sendToPeer(frameBytes: 1514, at: 1_000) == 124_040)
        #expect(link.sendToPeer(frameBytes: 1514, at: 1_000) == 247_080)
        #expect(link.sendToPeer(frameBytes: 1514, at: 200_000) == 370_120)
        // The other direction is idle: its frame starts at once.
        #expect(link.sendToGuest(frameBytes: 60, at: 1_000) == 7_720)
        // An idle wire: a later frame starts when it is sent.
        #expect(link.sendToPeer(frameBytes: 60, at: 1_000_000) == 1_006_720)
        #expect(link.toPeerFreeAt == 1_006_720 && link.toGuestFreeAt == 7_720)
        // Sustained: 1000 full frames take exactly 1000 × 123.04 µs, i.e. the wire rate.
        var l2 = LinkModel(bitsPerSecond: 100_000_000, cyclesPerSecond: Self.cps)
        var done: UInt64 = 0
        for _ in 0..<1000 { done = l2.sendToGuest(frameBytes: 1514, at: 0) }
        #expect(done == 123_040_000)
    }

    @Test func framesInFlightArriveInOrderWhenTheWireIsDone() {
        var link = LinkModel(bitsPerSecond: 1_000_000_000, cyclesPerSecond: Self.cps)
        #expect(link.carryToPeer([UInt8](repeating: 1, count: 1514), at: 0) == 12_304)
        #expect(link.carryToPeer([UInt8](repeating: 2, count: 60), at: 0) == 12_976)
        #expect(link.nextArrivalCycle == 12_304)
        #expect(link.takeArrival(upTo: 12_303) == nil)
        #expect(link.takeArrival(upTo: 20_000)?.frame.first == 1)
        #expect(link.takeArrival(upTo: 20_000)?.frame.first == 2)
        #expect(link.takeArrival(upTo: 20_000) == nil && link.nextArrivalCycle == nil)
    }
}

@Suite struct NetPeerLinkTests {
    /// The peer at 100 Mbit/s with every frame it sends and its wire-done cycle.
    final class Rig {
        let rig = TCPRig(PeerTCPOptions(linkBitsPerSecond: 100_000_000))
        var sent: [(frame: [UInt8], done: UInt64)] = []
        init() { rig.peer.replyAt = { [unowned self] f, c in self.sent.append((f, c)) } }
    }

    @Test func theSinkAnswersAfterTheGuestFrameLeavesTheWire() {
        let r = Rig(), rig = r.rig
        rig.send(seq: 1000, flags: S, mss: 1460)       // 58 bytes: 6.72 µs on the wire
        #expect(r.sent.isEmpty && rig.peer.counters.framesSeen == 0)
        #expect(rig.peer.nextTimerCycle == 6_720)
        rig.advance(to: 6_719)
        #expect(r.sent.isEmpty)
        rig.advance(to: 6_720)
        #expect(r.sent.count == 1)
        // The SYN-ACK (58 bytes) leaves at 6720 and is done 6.72 µs later.
        #expect(r.sent.first?.done == 13_440)
        let synAck = try? TCPSegment.parse(Array(r.sent[0].frame[34...]), source: .qemuHost, destination: Frames.guestIP)
        #expect(synAck?.flags == S | A && synAck?.ack == 1001)
        // Two full data segments sent at once: the second arrives a frame time after the first.
        let iss = synAck?.seq ?? 0
        rig.advance(to: 20_000)
        rig.send(seq: 1001, ack: iss &+ 1, flags: A, data: TCPRig.pattern(0..<1460))
        rig.send(seq: 2461, ack: iss &+ 1, flags: A, data: TCPRig.pattern(1460..<2920))
        #expect(rig.peer.nextTimerCycle == 20_000 + 123_040)
        rig.advance(to: 20_000 + 2 * 123_040)
        #expect(r.sent.count == 3)
        #expect(r.sent[1].done == 20_000 + 123_040 + 6_720)
        #expect(r.sent[2].done == 20_000 + 2 * 123_040 + 6_720)
        #expect(rig.peer.tcpCounters.sinkBytes == 2920)
        #expect(rig.out.frames.isEmpty)   // with replyAt, nothing goes to reply
    }

    @Test func theSourceIsPacedByTheWire() {
        let rig = TCPRig(PeerTCPOptions(sinkPort: nil, source: PeerTCPSource(guestPort: 5001, bytes: 1 << 20),
                                        linkBitsPerSecond: 100_000_000))
        var sent: [UInt64] = []
        rig.peer.replyAt = { _, c in sent.append(c) }
        rig.advance(to: 0)                              // ARP request for the guest
        #expect(sent == [7_040])                          // 64 bytes: (64 + 24) × 8 bits at 100 Mbit/s
        // Frames the peer sends together are serialized one after another.
        var link = rig.peer.link!
        let a = link.sendToGuest(frameBytes: 1514, at: 0), b = link.sendToGuest(frameBytes: 1514, at: 0)
        #expect(b - a == 123_040)
    }

    @Test func snapshotsCarryTheWireClocksAndFramesInFlight() throws {
        let r = Rig(), rig = r.rig
        rig.send(seq: 1000, flags: S, mss: 1460)
        let snap = rig.peer.snapshot()
        #expect(snap.link?.toPeerInFlight.count == 1 && snap.link?.toPeerFreeAt == 6_720)
        let data = try JSONEncoder().encode(snap)
        let back = try JSONDecoder().decode(NetPeer.Snapshot.self, from: data)
        #expect(back == snap)
        let other = Rig()
        other.rig.peer.restore(back)
        other.rig.advance(to: 6_720)
        #expect(other.sent.map(\.done) == [13_440])
        // A snapshot without a link (older machines) decodes with none.
        let plain = NetPeer()
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plain.snapshot())) as! [String: Any]
        json["link"] = nil
        let old = try JSONDecoder().decode(NetPeer.Snapshot.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.link == nil)
    }

    @Test func withoutALinkRateFramesGoStraightToReplyAsBefore() {
        let rig = TCPRig()
        var timed = 0
        rig.peer.replyAt = { _, _ in timed += 1 }
        rig.send(seq: 1000, flags: S, mss: 1460)
        #expect(rig.out.frames.count == 1 && timed == 0 && rig.peer.link == nil)
    }
}
