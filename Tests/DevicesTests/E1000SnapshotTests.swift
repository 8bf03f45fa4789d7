// Snapshot tests for the NIC, the PCI bus and the peer: JSON round trips, a
// restored NIC continuing exactly like the original, and repair of forged
// snapshots.

import Foundation
import Testing
@testable import Devices

@Suite struct E1000SnapshotTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> Bool {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value)) == value
    }

    /// A NIC in the middle of things: rings set up, a partial TX frame, stats, frames pending.
    func busyRig() -> NICRig {
        let rig = NICRig()
        rig.setUpTX()
        rig.setUpRX()
        rig.w(Reg.ims, 0xFF)
        rig.transmit(Frames.ping())
        rig.transmit(Frames.ping(data: Array(repeating: 1, count: 100)), pieces: 2, advance: false)
        rig.w(Reg.tdt, 2)   // first half of a two-descriptor frame
        rig.nic.receive(Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [1, 2, 3]))
        rig.nic.queueForDelivery(Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [4]), atCycle: 500)
        return rig
    }

    @Test func snapshotsRoundTripThroughJSON() throws {
        let rig = busyRig()
        #expect(try roundTrip(rig.nic.snapshot()))
        let bus = PCIBus()
        bus.programLikeFirmware()
        #expect(try roundTrip(bus.snapshot()))
        let peer = NetPeer()
        peer.send(Frames.arpRequest(for: .qemuHost))
        peer.send([1, 2])
        #expect(try roundTrip(peer.snapshot()))
    }

    @Test func snapshotJSONIsByteForByteDeterministic() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let a = try encoder.encode(busyRig().nic.snapshot())
        let b = try encoder.encode(busyRig().nic.snapshot())
        #expect(a == b)
    }

    @Test func aRestoredNICContinuesLikeTheOriginal() {
        let a = busyRig()
        let b = NICRig()
        var irqCalls = 0
        let nic = E1000(dmaRead: { b.ram.read($0, $1) }, dmaWrite: { b.ram.write($0, $1) }, irq: { _ in irqCalls += 1 })
        let wire = NetFrameRecorder()
        nic.backend = wire
        b.ram.bytes = a.ram.bytes
        nic.restore(a.nic.snapshot())
        #expect(irqCalls == 0)
        #expect(nic.snapshot() == a.nic.snapshot())
        #expect(nic.configSpace.mappings == a.nic.configSpace.mappings)
        // Finish the partial frame and deliver the pending one on both.
        for (n, w) in [(a.nic, a.wire), (nic, wire)] {
            n.mmioWrite(offset: Reg.tdt, size: 4, value: 3)
            n.deliverPending(upToCycle: 1000)
            #expect(w.frames.last == Frames.ping(data: Array(repeating: 1, count: 100)))
        }
        #expect(nic.snapshot() == a.nic.snapshot())
        #expect(a.ram.bytes == b.ram.bytes)
    }

    @Test func forgedSnapshotsAreRepaired() {
        let rig = busyRig()
        var s = rig.nic.snapshot()
        s.regs.mta = []
        s.regs.ra = [1]
        s.regs.stats = Array(repeating: 7, count: 1000)
        s.regs.plain = [1, 2, 3]
        s.regs.rdlen = 0xFFFF_FFFF
        s.eeprom.words = [1, 2, 3]
        s.phy.regs = []
        s.tx.frame = Array(repeating: 0, count: 200_000)
        s.pending = [E1000PendingFrame(dueCycle: 9, frame: [1]), E1000PendingFrame(dueCycle: 3, frame: [2])]
        let nic = E1000(dmaRead: { _, _ in nil }, dmaWrite: { _, _ in false }, irq: { _ in })
        nic.restore(s)
        let r = nic.snapshot()
        #expect(r.regs.mta.count == 128 && r.regs.ra.count == 32 && r.regs.stats.count == 64)
        #expect(r.regs.plain.count == E1000Reg.plainOffsets.count)
        #expect(nic.mmioRead(offset: 0x5820, size: 4) == 0x0022_2300)   // read-only MANC from the device
        #expect(r.regs.rdlen == 0xF_FF80)
        #expect(r.eeprom.words.count == 64 && r.phy.regs.count == 32)
        #expect(r.tx.frame.count == E1000TXState.maxFrame)
        #expect(r.pending.map(\.dueCycle) == [3, 9])
        // Every register stays readable.
        for off in stride(from: UInt32(0), to: 0x6000, by: 4) { _ = nic.mmioRead(offset: off, size: 4) }
    }
}
