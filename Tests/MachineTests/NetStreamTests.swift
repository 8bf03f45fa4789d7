// The paper's network stream benchmarks on the emulator, against the LAN peer's
// TCP instead of a host socket: workload=netstream mode=tcpsend (the guest sends
// 1 MiB of the pattern to the peer's sink on 5001) and mode=tcprecv (the peer's
// source sends the guest 1 MiB to its port 5001), with the e1000 driver native
// and isolated (nooks=e1000). Each run must PASS on both ends, and two runs
// must be identical (serial output, instruction and cycle counts); a machine
// snapshot taken mid-transfer must replay the rest exactly.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

@Suite("netstream against the peer's TCP", .serialized)
struct NetStreamTests {
    static let bytes: UInt64 = 1 << 20

    /// A machine booting the kernel with e1000.ko and `append`, the peer configured with `tcp`.
    func machine(_ append: String, tcp: PeerTCPOptions) throws -> Machine {
        let kernel = try TestImages.path("kernel.elf")
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append,
                                            initrd: TestImages.dir + "/build/modules/e1000.ko", memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.peerTCP = tcp
        let m = Machine(config: cfg)
        try m.load(plan)
        return m
    }

    struct Outcome: Equatable {
        var exit: MachineExit
        var serial: String
        var instructions: UInt64
        var cycles: UInt64
        var counters: PeerTCPCounters?
    }

    func run(_ append: String, tcp: PeerTCPOptions) throws -> Outcome {
        let m = try machine(append, tcp: tcp)
        let exit = m.run(maxInstructions: 400_000_000)
        return Outcome(exit: exit, serial: m.serialText, instructions: m.cpu.instructions, cycles: m.cpu.cycles,
                       counters: m.peer?.tcpCounters)
    }

    /// The summary line of a run, for the failure messages.
    func summary(_ o: Outcome) -> String {
        o.serial.split(separator: "\n").filter { $0.hasPrefix("workload: netstream") || $0.hasPrefix("stats: tcp") }
            .joined(separator: "\n") + "\n\(String(describing: o.counters))\n" + String(o.serial.suffix(800))
    }

    @Test("tcpsend: the guest streams 1 MiB to the peer's sink, checked byte by byte; deterministic",
          arguments: ["none", "e1000"])
    func send(nooks: String) throws {
        let append = "selftest=0 nooks=\(nooks) workload=netstream mode=tcpsend bytes=\(Self.bytes) port=5001"
        let a = try run(append, tcp: PeerTCPOptions())
        #expect(a.exit == .powerOff, "\(summary(a))")
        #expect(a.serial.contains("workload: netstream tcpsend bytes=\(Self.bytes) "), "\(summary(a))")
        #expect(a.serial.contains(" PASS\n") && a.serial.contains("workload: PASS"))
        let c = a.counters ?? PeerTCPCounters()
        #expect(c.sinkBytes == Self.bytes && c.patternErrors == 0, "\(c)")
        #expect(c.connectionsAccepted == 1 && c.sinkClosed && c.malformed == 0 && c.resetsSent == 0)
        if nooks == "e1000" { #expect(a.serial.contains("isolated=1")) }
        let b = try run(append, tcp: PeerTCPOptions())
        #expect(a == b, "two runs differ: \(a.instructions) vs \(b.instructions) instructions")
    }

    @Test("tcprecv: the peer's source streams 1 MiB to the guest, which checks it; deterministic",
          arguments: ["none", "e1000"])
    func receive(nooks: String) throws {
        let append = "selftest=0 nooks=\(nooks) workload=netstream mode=tcprecv bytes=\(Self.bytes) port=5001"
        let tcp = PeerTCPOptions(source: PeerTCPSource(guestPort: 5001, bytes: Self.bytes))
        let a = try run(append, tcp: tcp)
        #expect(a.exit == .powerOff, "\(summary(a))")
        #expect(a.serial.contains("workload: netstream tcprecv bytes=\(Self.bytes) "), "\(summary(a))")
        #expect(a.serial.contains(" PASS\n") && a.serial.contains("workload: PASS"))
        let c = a.counters ?? PeerTCPCounters()
        #expect(c.connectionsMade == 1 && c.sourceBytesAcked == Self.bytes && c.sourceDone, "\(c)")
        #expect(c.sinkBytes == 0 && c.malformed == 0)
        if nooks == "e1000" { #expect(a.serial.contains("isolated=1")) }
        let b = try run(append, tcp: tcp)
        #expect(a == b, "two runs differ: \(a.instructions) vs \(b.instructions) instructions")
    }

    @Test("a machine snapshot taken mid-transfer (peer TCP state included) replays the rest exactly")
    func snapshotMidTransfer() throws {
        let append = "selftest=0 workload=netstream mode=tcprecv bytes=262144 port=5001"
        let tcp = PeerTCPOptions(source: PeerTCPSource(guestPort: 5001, bytes: 262_144))
        let m = try machine(append, tcp: tcp)
        // Run until the peer has some, not all, of its data acknowledged.
        var slices = 0
        while (m.peer?.tcpCounters.sourceBytesAcked ?? 0) < 50_000, slices < 2000 {
            #expect(m.run(maxInstructions: 20_000) == .instructionLimit)
            slices += 1
        }
        let acked = m.peer?.tcpCounters.sourceBytesAcked ?? 0
        #expect(acked >= 50_000 && acked < 262_144, "acked \(acked)")
        let snap = m.snapshot()
        let first = m.run(maxInstructions: 400_000_000)
        let end = (m.serialText, m.cpu.instructions, m.peer?.tcpCounters)
        #expect(first == .powerOff && m.serialText.contains("workload: PASS"), "\(m.serialText.suffix(800))")
        m.restore(snap)
        #expect(m.peer?.tcpCounters.sourceBytesAcked == acked)
        let second = m.run(maxInstructions: 400_000_000)
        #expect(second == first)
        #expect(m.serialText == end.0 && m.cpu.instructions == end.1 && m.peer?.tcpCounters == end.2)
    }
}
