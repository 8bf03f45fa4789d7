// Long TCP streams with the e1000 isolated (nooks=e1000): 8 MiB each way
// against the LAN peer's TCP sink and source.
//
// Regression test for a race in the deferred-call queues (nooks/xpc.c): the
// isolated driver's netif_rx only queues the skb, and the kernel runs the
// queued calls after the driver call returns. A timer or e1000 interrupt
// taken while that queue was being drained, between reading its head and
// writing head+1, made a driver call into the e1000 whose return drained the
// same queue again: the nested drain handed up the entry the interrupted one
// had already taken, and the interrupted one then ran it a second time,
// after the network stack had freed the skb. The netif_rx wrapper rightly
// failed its check ("netif_rx of an skb it does not hold") and Nooks
// restarted the e1000 mid-stream. Short streams rarely took an interrupt in
// that window; a 4 MiB send always did.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

@Suite("long TCP streams with the e1000 isolated", .serialized)
struct LongStreamTests {
    static let bytes: UInt64 = 8 << 20

    func run(_ append: String, tcp: PeerTCPOptions) throws -> (exit: MachineExit, serial: String, counters: PeerTCPCounters) {
        let m = try NetStreamTests().machine(append, tcp: tcp)
        let exit = m.run(maxInstructions: 2_000_000_000)
        return (exit, m.serialText, m.peer?.tcpCounters ?? PeerTCPCounters())
    }

    /// The isolation checks: the driver never failed, was never restarted.
    func expectNoFault(_ serial: String) {
        let tail = String(serial.suffix(1500))
        #expect(serial.contains("isolated=1"))
        #expect(!serial.contains("nooks: fault"), "\(tail)")
        #expect(!serial.contains("does not hold"), "\(tail)")
        #expect(!serial.contains("nooks: recovered"), "\(tail)")
        #expect(serial.contains("faults=0 restarts=0"), "\(tail)")
    }

    @Test("tcpsend: 8 MiB from the guest to the peer's sink, no wrapper check fails")
    func send() throws {
        let append = "selftest=0 nooks=e1000 workload=netstream mode=tcpsend bytes=\(Self.bytes) port=5001"
        let r = try run(append, tcp: PeerTCPOptions())
        #expect(r.exit == .powerOff, "\(r.serial.suffix(1500))")
        #expect(r.serial.contains("workload: netstream tcpsend bytes=\(Self.bytes) "), "\(r.serial.suffix(1500))")
        #expect(r.serial.contains(" PASS\n") && r.serial.contains("workload: PASS"))
        expectNoFault(r.serial)
        let c = r.counters
        #expect(c.sinkBytes == Self.bytes && c.patternErrors == 0, "\(c)")
        #expect(c.connectionsAccepted == 1 && c.sinkClosed && c.malformed == 0 && c.resetsSent == 0, "\(c)")
    }

    @Test("tcprecv: 8 MiB from the peer's source to the guest, no wrapper check fails")
    func receive() throws {
        let append = "selftest=0 nooks=e1000 workload=netstream mode=tcprecv bytes=\(Self.bytes) port=5001"
        let r = try run(append, tcp: PeerTCPOptions(source: PeerTCPSource(guestPort: 5001, bytes: Self.bytes)))
        #expect(r.exit == .powerOff, "\(r.serial.suffix(1500))")
        #expect(r.serial.contains("workload: netstream tcprecv bytes=\(Self.bytes) "), "\(r.serial.suffix(1500))")
        #expect(r.serial.contains(" PASS\n") && r.serial.contains("workload: PASS"))
        expectNoFault(r.serial)
        let c = r.counters
        #expect(c.connectionsMade == 1 && c.sourceBytesAcked == Self.bytes && c.sourceDone, "\(c)")
        #expect(c.sinkBytes == 0 && c.malformed == 0, "\(c)")
    }
}
