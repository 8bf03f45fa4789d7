// Tests for the e1000 receive path: frames into the ring with DD/EOP and
// RXT0, FCS handling, buffer sizes, ring-full drops with RXO, the address
// filter, RXDMT0, and the deterministic delivery queue.

import Testing
@testable import Devices

@Suite struct E1000ReceiveTests {
    let frame = Frames.ethernet(to: Frames.guestMAC, from: .qemuHost, type: 0x0800, Array(0..<100))

    @Test func aFrameLandsInTheRingWithDDAndEOPAndRaisesRXT0() {
        let rig = NICRig()
        rig.setUpRX()
        rig.w(Reg.ims, Cause.rxt0)
        #expect(rig.nic.receive(frame))
        let d = rig.rxDescriptor(0)
        #expect(d.length == frame.count)       // SECRC set by setUpRX: no FCS
        #expect(d.status == 0x07)              // DD | EOP | IXSM, as under QEMU
        #expect(d.errors == 0)
        #expect(rig.rxBuffer(0, frame.count) == frame)
        #expect(rig.r(Reg.rdh) == 1)
        #expect(rig.irq.level)
        #expect(rig.r(Reg.icr) & Cause.rxt0 != 0)
        #expect(rig.r(Reg.gprc) == 1 && rig.r(Reg.tpr) == 1)
        #expect(rig.nic.counters.framesReceived == 1)
    }

    @Test func withoutSECRCTheLengthIncludesARealFCS() {
        let rig = NICRig()
        rig.setUpRX(rctl: 0x2 | 0x8000)
        rig.nic.receive(frame)
        #expect(rig.rxDescriptor(0).length == frame.count + 4)
        let fcs = NetBytes.ethernetFCS(frame)
        #expect(rig.rxBuffer(0, frame.count + 4) == frame + E1000.le32Bytes(fcs))
        // The classic check: CRC-32 of "123456789" is 0xCBF43926.
        #expect(NetBytes.ethernetFCS(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func shortFramesArePaddedTo60() {
        let rig = NICRig()
        rig.setUpRX()
        let short = Array(frame.prefix(42))
        rig.nic.receive(short)
        #expect(rig.rxDescriptor(0).length == 60)
        #expect(rig.rxBuffer(0, 60) == short + [UInt8](repeating: 0, count: 18))
    }

    @Test func framesLongerThanABufferSpanDescriptors() {
        let rig = NICRig()
        rig.setUpRX(rctl: 0x2 | 0x8000 | 0x0400_0000 | 3 << 16)   // BSIZE 256
        let long = Frames.ethernet(to: Frames.guestMAC, type: 0x0800, (0..<586).map { UInt8($0 & 0xFF) })
        #expect(rig.nic.receive(long))
        #expect(rig.rxDescriptor(0) == (256, 0x01, 0))
        #expect(rig.rxDescriptor(1) == (256, 0x01, 0))
        #expect(rig.rxDescriptor(2) == (88, 0x07, 0))
        #expect(rig.rxBuffer(0, 256) + rig.rxBuffer(1, 256) + rig.rxBuffer(2, 88) == long)
        #expect(rig.r(Reg.rdh) == 3)
    }

    @Test func aFullRingDropsTheFrameCountsItAndRaisesRXO() {
        let rig = NICRig()
        rig.setUpRX(count: 8)                    // rings come in multiples of 8 descriptors (128 bytes)
        rig.w(Reg.rdt, 3)                        // three descriptors for the NIC
        rig.w(Reg.ims, Cause.rxo)
        for _ in 0..<3 { #expect(rig.nic.receive(frame)) }
        #expect(rig.r(Reg.rdh) == 3)
        #expect(!rig.irq.level)
        #expect(!rig.nic.receive(frame))
        #expect(rig.irq.level)
        #expect(rig.r(Reg.icr) & Cause.rxo != 0)
        #expect(rig.r(Reg.mpc) == 1)
        #expect(rig.nic.counters.rxDroppedNoDescriptors == 1)
        // The driver returns descriptors by moving RDT: reception resumes.
        rig.w(Reg.rdt, 5)
        #expect(rig.nic.receive(frame))
        #expect(rig.r(Reg.rdh) == 4)
        // A frame that needs more buffers than are free is dropped whole.
        rig.w(Reg.rctl, 0x2 | 0x8000 | 0x0400_0000 | 3 << 16)  // BSIZE 256
        #expect(!rig.nic.receive(Frames.ethernet(to: Frames.guestMAC, type: 0x0800, Array(repeating: 1, count: 400))))
        #expect(rig.r(Reg.rdh) == 4)
        #expect(rig.nic.counters.rxDroppedNoDescriptors == 2)
    }

    @Test func rxdmt0WhenFreeDescriptorsReachTheThreshold() {
        let rig = NICRig()
        rig.setUpRX(count: 8)                    // RDMTS 00: half the ring
        rig.nic.receive(frame)
        #expect(rig.r(Reg.icr) & Cause.rxdmt0 == 0)   // 6 free of 8
        for _ in 0..<3 { rig.nic.receive(frame) }
        #expect(rig.r(Reg.icr) & Cause.rxdmt0 != 0)   // 3 free ≤ 4
    }

    @Test func receiverOffOrBusMasteringOffDropsFrames() {
        let rig = NICRig()
        rig.setUpRX()
        rig.w(Reg.rctl, 0x8000)                  // EN clear
        #expect(!rig.nic.receive(frame))
        rig.w(Reg.rctl, 0x2 | 0x8000)
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0103)   // no bus master
        #expect(!rig.nic.receive(frame))
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0107)
        rig.nic.setLink(up: false)
        #expect(!rig.nic.receive(frame))
        #expect(rig.nic.counters.rxDroppedDisabled == 3)
        rig.nic.setLink(up: true)
        #expect(rig.nic.receive(frame))
    }

    @Test func addressFilter() {
        let rig = NICRig()
        rig.setUpRX(count: 16, rctl: 0x2)        // no BAM, no promiscuity
        let other = MACAddress([0x52, 0x54, 0, 0, 0, 1])
        let multicast = MACAddress([0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB])
        func rx(_ dst: MACAddress) -> Bool { rig.nic.receive(Frames.ethernet(to: dst, from: .qemuHost, type: 0x0800, [1])) }
        #expect(rx(Frames.guestMAC))
        #expect(!rx(other))
        #expect(!rx(.broadcast))
        #expect(!rx(multicast))
        rig.w(Reg.rctl, 0x2 | 0x8000)            // BAM
        #expect(rx(.broadcast))
        // MTA: MO 00 hashes address bits 47:36 → (0xFB00 >> 4) & 0xFFF = 0xFB0.
        rig.w(Reg.mta + (0xFB0 >> 5) * 4, 1 << (0xFB0 & 31))
        #expect(rx(multicast))
        rig.w(Reg.rctl, 0x2 | 0x8)               // UPE
        #expect(rx(other))
        rig.w(Reg.rctl, 0x2 | 0x10)              // MPE
        #expect(rx(MACAddress([0x33, 0x33, 0, 0, 0, 1])))
        // A second receive address, valid only with AV.
        rig.w(Reg.rctl, 0x2)
        rig.w(Reg.ral0 + 8, 0x0000_5452)
        rig.w(Reg.rah0 + 8, 0x0000_0100)
        #expect(!rx(other))
        rig.w(Reg.rah0 + 8, 0x8000_0100)
        #expect(rx(other))
        #expect(rig.nic.counters.rxDroppedFiltered == 4)
    }

    @Test func oversizedFramesNeedLPE() {
        let rig = NICRig()
        rig.setUpRX()
        let jumbo = Frames.ethernet(to: Frames.guestMAC, type: 0x0800, Array(repeating: 0, count: 1600))
        #expect(!rig.nic.receive(jumbo))
        #expect(rig.nic.counters.rxDroppedOversize == 1)
        #expect(!rig.nic.receive(Array(repeating: 0, count: 100_000)))
    }

    @Test func nullBufferDescriptorsAreSkipped() {
        let rig = NICRig()
        rig.setUpRX()
        rig.ram.put64(NICRig.rxRing, 0)          // descriptor 0 has no buffer
        #expect(rig.nic.receive(frame))
        #expect(rig.rxDescriptor(0).status == 0x01)
        #expect(rig.rxDescriptor(1).status == 0x07)
        #expect(rig.rxBuffer(1, frame.count) == frame)
    }

    @Test func queuedFramesArriveInCycleOrderWhenDelivered() {
        let rig = NICRig()
        rig.setUpRX(count: 16)
        var scheduled: [UInt64] = []
        rig.nic.onDeliveryScheduled = { scheduled.append($0) }
        func tagged(_ t: UInt8) -> [UInt8] { Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [t]) }
        rig.nic.queueForDelivery(tagged(1), atCycle: 300)
        rig.nic.queueForDelivery(tagged(2), atCycle: 100)
        rig.nic.queueForDelivery(tagged(3), atCycle: 300)
        rig.nic.queueForDelivery(tagged(4), atCycle: 200)
        #expect(scheduled == [300, 100, 300, 200])
        #expect(rig.nic.nextDeliveryCycle == 100)
        #expect(rig.nic.deliverPending(upToCycle: 99) == 0)
        #expect(rig.r(Reg.rdh) == 0)
        #expect(rig.nic.deliverPending(upToCycle: 250) == 2)
        #expect(rig.nic.nextDeliveryCycle == 300)
        #expect(rig.nic.deliverPending(upToCycle: .max) == 2)
        #expect(rig.nic.nextDeliveryCycle == nil)
        #expect((0..<4).map { rig.rxBuffer($0, 15)[14] } == [2, 4, 1, 3])
    }

    @Test func theDeliveryQueueIsBounded() {
        let rig = NICRig()
        for i in 0..<(E1000.pendingLimit + 10) {
            rig.nic.queueForDelivery([UInt8(i & 0xFF)], atCycle: UInt64(i))
        }
        #expect(rig.nic.pendingFrameCount == E1000.pendingLimit)
        #expect(rig.nic.counters.rxDroppedQueueFull == 10)
        #expect(rig.nic.deliverPending(upToCycle: .max) == E1000.pendingLimit)  // RX off: all dropped
        #expect(rig.nic.counters.rxDroppedDisabled == UInt64(E1000.pendingLimit))
    }
}
