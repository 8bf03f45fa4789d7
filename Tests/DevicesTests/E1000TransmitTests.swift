// Tests for the e1000 transmit ring: descriptors processed into the backend on
// a TDT write, DD write-back, TXDW/TXQE, multi-buffer frames, padding,
// checksum offload through context/data descriptors, TSO refused, loopback.

import Testing
@testable import Devices

@Suite struct E1000TransmitTests {
    @Test func tdtWriteSendsTheFrameWritesBackDDAndRaisesTXDW() {
        let rig = NICRig()
        rig.setUpTX()
        rig.w(Reg.ims, Cause.txdw)
        let arp = Frames.arpRequest(for: .qemuHost)
        rig.transmit(arp)
        #expect(rig.wire.frames == [arp + [UInt8](repeating: 0, count: 18)])  // PSP pads to 60
        #expect(rig.ram.bytes[NICRig.txRing + 12] & 1 == 1)                    // DD
        #expect(rig.r(Reg.tdh) == 1)
        #expect(rig.irq.level)
        #expect(rig.r(Reg.icr) == Cause.txdw | Cause.txqe)                     // as QEMU: 0x3
        #expect(!rig.irq.level)
    }

    @Test func withoutRSThereIsNoWriteBackAndNoTXDW() {
        let rig = NICRig()
        rig.setUpTX()
        rig.transmit(Frames.ping(), rs: false)
        #expect(rig.wire.frames.count == 1)
        #expect(rig.ram.bytes[NICRig.txRing + 12] == 0)
        #expect(rig.r(Reg.icr) == Cause.txqe)
    }

    @Test func framesSpanningDescriptorsAreGathered() {
        let rig = NICRig()
        rig.setUpTX()
        let ping = Frames.ping(data: Array(repeating: 0x5A, count: 200))
        rig.transmit(ping, pieces: 3)
        #expect(rig.wire.frames == [ping])
        #expect(rig.r(Reg.tdh) == 3)
        for i in 0..<3 { #expect(rig.ram.bytes[NICRig.txRing + i * 16 + 12] & 1 == 1) }
        // A frame whose EOP descriptor is not yet handed over waits for it.
        rig.transmit(ping, pieces: 2, advance: false)
        rig.w(Reg.tdt, 4)                       // only the first half
        #expect(rig.wire.frames.count == 1)
        rig.w(Reg.tdt, 5)
        #expect(rig.wire.frames == [ping, ping])
    }

    @Test func nothingIsSentWhileTCTLENIsClearButTheRingIsKept() {
        let rig = NICRig()
        rig.setUpTX()
        rig.w(Reg.tctl, 0)
        rig.transmit(Frames.ping())
        #expect(rig.wire.frames.isEmpty && rig.r(Reg.tdh) == 0)
        rig.w(Reg.tctl, 0x2)                    // enabling processes what is pending
        #expect(rig.wire.frames.count == 1 && rig.r(Reg.tdh) == 1)
        #expect(rig.wire.frames[0].count == 74)  // no PSP: no padding needed anyway
    }

    @Test func ringWrapsAround() {
        let rig = NICRig()
        rig.setUpTX(count: 8)
        for i in 0..<20 {
            rig.transmit(Frames.ping(sequence: UInt16(i)))
            #expect(rig.r(Reg.tdh) == UInt32((i + 1) % 8))
        }
        #expect(rig.wire.frames.count == 20)
        #expect(rig.wire.frames.map { NetBytes.be16($0, 40) } == (0..<20).map { UInt16($0) })
    }

    @Test func shortFramesWithoutPSPAreSentAsIs() {
        let rig = NICRig()
        rig.setUpTX(psp: false)
        let arp = Frames.arpRequest(for: .qemuHost)
        rig.transmit(arp)
        #expect(rig.wire.frames == [arp])
    }

    /// Writes a context descriptor then a data descriptor at the ring's tail.
    func offload(_ rig: NICRig, frame: [UInt8], popts: UInt8, tse: Bool = false) {
        let c = NICRig.txRing + Int(rig.r(Reg.tdt)) * 16
        // IPCSS 14, IPCSO 24, IPCSE 33; TUCSS 34, TUCSO 40 (UDP checksum), TUCSE 0 (to the end).
        rig.ram.put(c, [14, 24, 33, 0, 34, 40, 0, 0])
        rig.ram.put32(c + 8, 1 << 29 | (tse ? 1 << 26 : 0) | 1 << 27)  // DEXT, RS
        rig.ram.put32(c + 12, 0)
        let d = c + 16
        let buffer = NICRig.txBuffers + 0x8000
        rig.ram.put(buffer, frame)
        rig.ram.put64(d, UInt64(buffer))
        rig.ram.put32(d + 8, UInt32(frame.count) | 1 << 20 | 1 << 29 | 1 << 27 | 1 << 24 | (tse ? 1 << 26 : 0))
        rig.ram.put32(d + 12, UInt32(popts) << 8)
        rig.w(Reg.tdt, rig.r(Reg.tdt) + 2)
    }

    @Test func contextAndDataDescriptorsInsertChecksums() {
        let rig = NICRig()
        rig.setUpTX()
        let good = Frames.udpFrame([1, 2, 3, 4, 5])
        var frame = good
        // The driver zeroes the IP checksum and seeds the UDP one with the pseudo-header sum.
        frame[24] = 0; frame[25] = 0
        let pseudo = NetBytes.pseudoHeaderSum(source: Frames.guestIP.value, destination: IPv4Address.qemuHost.value,
                                              proto: 17, length: 13)
        var folded = pseudo
        while folded >> 16 != 0 { folded = (folded & 0xFFFF) + (folded >> 16) }
        NetBytes.put16(&frame, 40, UInt16(folded))
        offload(rig, frame: frame, popts: 0x3)
        #expect(rig.wire.frames == [good + [UInt8](repeating: 0, count: 60 - good.count)])  // PSP pads
        #expect(rig.r(Reg.tdh) == 2)
        #expect(rig.nic.counters.txUnsupportedDescriptors == 0)
    }

    @Test func segmentationOffloadIsRefusedAndCounted() {
        let rig = NICRig()
        rig.setUpTX()
        offload(rig, frame: Frames.udpFrame([9, 9]), popts: 0x3, tse: true)
        #expect(rig.wire.frames.isEmpty)
        #expect(rig.nic.counters.txDropped == 1)
        #expect(rig.nic.counters.txUnsupportedDescriptors == 1)
        #expect(rig.r(Reg.tdh) == 2)   // the descriptors are still consumed
    }

    @Test func phyLoopbackReturnsFramesToTheReceiver() {
        let rig = NICRig()
        rig.setUpTX()
        rig.setUpRX()
        rig.w(Reg.mdic, 1 << 26 | 1 << 21 | 0 << 16 | 0x5140)   // BMCR loopback
        let frame = Frames.ethernet(to: Frames.guestMAC, type: 0x88B5, Array(repeating: 7, count: 50))
        rig.transmit(frame)
        #expect(rig.wire.frames.isEmpty)
        #expect(rig.rxDescriptor(0).status & 0x3 == 0x3)
        #expect(rig.rxBuffer(0, 64) == frame)
    }

    @Test func tapSeesTransmittedFrames() {
        let rig = NICRig()
        var seen: [(Int, NetDirection)] = []
        rig.nic.tap = { seen.append(($0.count, $1)) }
        rig.setUpTX()
        rig.transmit(Frames.arpRequest(for: .qemuHost))
        #expect(seen.count == 1 && seen[0].0 == 60 && seen[0].1 == .fromGuest)
    }
}
