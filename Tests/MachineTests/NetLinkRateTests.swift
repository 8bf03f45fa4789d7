// netstream tcpsend over a rate-limited cable (`PeerTCPOptions.linkBitsPerSecond`,
// LinkModel): the transfer between the guest's start and end markers cannot be
// faster than the wire, must still PASS byte by byte, and two runs must be
// identical (serialization is modeled time, like everything else).

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

@Suite("netstream over a rate-limited link", .serialized)
struct NetLinkRateTests {
    static let bytes: UInt64 = 256 << 10
    static let rate: UInt64 = 100_000_000

    struct Outcome: Equatable {
        var exit: MachineExit
        var serial: String
        var cycles: UInt64
        var startCycle: UInt64?
        var endCycle: UInt64?
        /// When the wire was done with the peer's ACK of the stream's last byte.
        var lastAckCycle: UInt64?
        var counters: PeerTCPCounters?
    }

    func run(nooks: String) throws -> Outcome {
        let append = "selftest=0 nooks=\(nooks) workload=netstream mode=tcpsend bytes=\(Self.bytes) port=5001"
        let plan = try MultibootLoader.plan(kernelPath: try TestImages.path("kernel.elf"), cmdline: append,
                                            initrd: TestImages.dir + "/build/modules/e1000.ko", memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.peerTCP = PeerTCPOptions(linkBitsPerSecond: Self.rate)
        let m = Machine(config: cfg)
        try m.load(plan)
        var line = [UInt8](), start: UInt64?, end: UInt64?
        m.serialSink = { [unowned m] b in
            guard b == 10 else { line.append(b); return }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("workload: netstream start ") { start = m.cpu.cycles }
            if text.hasPrefix("workload: netstream end ") { end = m.cpu.cycles }
            line.removeAll()
        }
        let peer = try #require(m.peer)
        let deliver = try #require(peer.replyAt)
        var lastAck: UInt64?
        peer.replyAt = { [unowned peer] frame, done in
            if lastAck == nil, peer.tcpCounters.sinkBytes >= Self.bytes { lastAck = done }
            deliver(frame, done)
        }
        let exit = m.run(maxInstructions: 400_000_000)
        return Outcome(exit: exit, serial: m.serialText, cycles: m.cpu.cycles, startCycle: start, endCycle: end,
                       lastAckCycle: lastAck, counters: m.peer?.tcpCounters)
    }

    @Test("tcpsend of 256 KiB at 100 Mbit/s takes at least the wire time, passes, and is deterministic",
          arguments: ["none", "e1000"])
    func sendAt100M(nooks: String) throws {
        let a = try run(nooks: nooks)
        #expect(a.exit == .powerOff, "\(a.serial.suffix(800))")
        #expect(a.serial.contains("workload: PASS"), "\(a.serial.suffix(800))")
        let c = a.counters ?? PeerTCPCounters()
        #expect(c.sinkBytes == Self.bytes && c.patternErrors == 0 && c.sinkClosed, "\(c)")
        // The payload alone is 2 097 152 bits: ≥ 20.97 ms at 100 Mbit/s (at 1 GHz);
        // with headers and Ethernet overhead (1460 of 1538 bytes per frame) ≥ 22.08 ms.
        let cps = MachineConfig().costs.cyclesPerSecond
        let payloadWire = Self.bytes * 8 * cps / Self.rate
        let framedWire = (Self.bytes + 1459) / 1460 * 1538 * 8 * cps / Self.rate
        let start = try #require(a.startCycle), end = try #require(a.endCycle)
        let acked = try #require(a.lastAckCycle)
        #expect(end > start && acked > end)
        #expect(acked - start >= framedWire && framedWire > payloadWire, "\(acked - start) cycles < \(framedWire)")
        // ... and not much more: the wire, not the CPU, bounds it.
        #expect(Double(acked - start) < Double(framedWire) * 1.2, "\(acked - start) cycles vs \(framedWire) on the wire")
        let b = try run(nooks: nooks)
        #expect(a == b, "two runs differ: \(a.cycles) vs \(b.cycles) cycles")
    }
}
