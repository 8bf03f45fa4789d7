// Tests that a guest programming the e1000 with wild values — rings outside
// RAM, absurd lengths, heads and tails out of range, buffers past the end of
// RAM, DMA with bus mastering off, random register storms — never traps or
// hangs the host: every refusal is counted and described.

import Testing
@testable import Devices

@Suite struct E1000WildDMATests {
    @Test func transmitRingOutsideRAMIsRefusedAndReported() {
        let rig = NICRig(ramSize: 1 << 16)
        rig.setUpTX()
        rig.w(Reg.tdbal, 0xFFFF_0000)
        rig.w(Reg.tdt, 3)
        #expect(rig.wire.frames.isEmpty)
        #expect(rig.nic.counters.dmaErrors == 1)
        #expect(rig.nic.counters.lastDMAError?.contains("transmit descriptor 0 at 0xffff0000") == true)
        #expect(rig.nic.counters.lastDMAError?.contains("outside guest RAM") == true)
        #expect(rig.r(Reg.tdh) == 0)                         // the engine stops where it failed
        #expect(rig.nic.configSpace.status & 0x2000 != 0)   // received master abort
        rig.w(Reg.tdbah, 1)                                  // above 4 GiB
        rig.w(Reg.tdbal, 0)
        rig.w(Reg.tdt, 4)
        #expect(rig.nic.counters.dmaErrors == 2)
    }

    @Test func transmitBufferOutsideRAMDropsTheFrameButCompletesTheDescriptor() {
        let rig = NICRig(ramSize: 1 << 17)
        rig.setUpTX()
        rig.w(Reg.ims, Cause.txdw)
        let d = NICRig.txRing
        rig.ram.put64(d, 0xDEAD_BEEF_0000)
        rig.ram.put32(d + 8, 100 | 0x0B << 24)               // EOP | IFCS | RS
        rig.w(Reg.tdt, 1)
        #expect(rig.wire.frames.isEmpty)
        #expect(rig.nic.counters.txDropped == 1)
        #expect(rig.nic.counters.dmaErrors == 1)
        #expect(rig.ram.bytes[d + 12] & 1 == 1)               // DD: the guest is not left waiting
        #expect(rig.irq.level)
        // A buffer that starts in RAM and runs past its end is refused as well.
        rig.ram.put64(d + 16, UInt64(rig.ram.bytes.count - 10))
        rig.ram.put32(d + 24, 100 | 0x0B << 24)
        rig.w(Reg.tdt, 2)
        #expect(rig.wire.frames.isEmpty && rig.nic.counters.dmaErrors == 2)
    }

    @Test func hugeTransmitRingWithTailOutOfRangeIsBoundedToOneLap() {
        let rig = NICRig(ramSize: 1 << 21)
        rig.w(Reg.tdbal, 0)
        rig.w(Reg.tdlen, 0xFFFF_FFFF)                         // masked to 0xFFF80: 65528 descriptors
        #expect(rig.r(Reg.tdlen) == 0xF_FF80)
        rig.w(Reg.tctl, 0x2)
        rig.w(Reg.tdh, 5)
        rig.w(Reg.tdt, 0xFFFF)                                // beyond the ring: TDH never meets it
        #expect(rig.nic.counters.ringErrors == 1)
        #expect(rig.r(Reg.tdh) == 5)                          // exactly one lap
        // Zeroed RAM holds legacy descriptors with no EOP: nothing is sent.
        #expect(rig.wire.frames.isEmpty)
    }

    @Test func transmitHeadOutsideTheRingOrZeroLengthIsRefused() {
        let rig = NICRig()
        rig.setUpTX(count: 8)
        rig.w(Reg.tdh, 100)
        rig.w(Reg.tdt, 1)
        #expect(rig.nic.counters.ringErrors == 1)
        rig.w(Reg.tdlen, 0)
        rig.w(Reg.tdt, 2)
        #expect(rig.nic.counters.ringErrors == 2)
        #expect(rig.nic.counters.lastRingError?.contains("TDLEN 0") == true)
        #expect(rig.wire.frames.isEmpty)
    }

    @Test func receiveRingOutsideRAMOrOutOfRangeDropsFrames() {
        let rig = NICRig(ramSize: 1 << 20)
        rig.setUpRX()
        let frame = Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [1, 2, 3])
        rig.w(Reg.rdbal, 0xF000_0000)
        #expect(!rig.nic.receive(frame))
        #expect(rig.nic.counters.dmaErrors == 1)
        #expect(rig.nic.counters.lastDMAError?.contains("receive descriptor 0") == true)
        rig.w(Reg.rdbal, UInt32(NICRig.rxRing))
        rig.w(Reg.rdlen, 0xFFFF_FFFF)
        rig.w(Reg.rdt, 0xFFFF)                                // RDT outside the (huge) ring
        rig.w(Reg.rdlen, 8 * 16)
        #expect(!rig.nic.receive(frame))
        #expect(rig.nic.counters.ringErrors == 1)
        rig.w(Reg.rdlen, 0)
        #expect(!rig.nic.receive(frame))
        #expect(rig.nic.counters.ringErrors == 2)
    }

    @Test func receiveBufferOutsideRAMConsumesTheDescriptorWithRXE() {
        let rig = NICRig()
        rig.setUpRX()
        rig.ram.put64(NICRig.rxRing, 0x1_0000_0000)
        let frame = Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [1, 2, 3])
        #expect(!rig.nic.receive(frame))
        #expect(rig.rxDescriptor(0).status == 0x07)
        #expect(rig.rxDescriptor(0).errors == 0x80)           // RXE
        #expect(rig.r(Reg.rdh) == 1)
        #expect(rig.nic.receive(frame))                       // the next buffer is fine
    }

    @Test func addressRangesWrappingPast2To64NeverReachTheClosures() {
        let ram = FakeRAM()
        // Closures that would trap on overflow, as a naive machine bridge might.
        let nic = E1000(dmaRead: { a, n in a + UInt64(n) <= UInt64(ram.bytes.count) ? ram.read(a, n) : nil },
                        dmaWrite: { a, b in a + UInt64(b.count) <= UInt64(ram.bytes.count) ? ram.write(a, b) : false },
                        irq: { _ in })
        nic.programLikeFirmware()
        nic.configSpace.write(offset: 4, size: 2, value: 0x0107)
        let d = NICRig.txRing
        ram.put64(d, 0xFFFF_FFFF_FFFF_FFF0)
        ram.put32(d + 8, 100 | 0x0B << 24)
        nic.mmioWrite(offset: Reg.tdbal, size: 4, value: UInt32(d))
        nic.mmioWrite(offset: Reg.tdlen, size: 4, value: 128)
        nic.mmioWrite(offset: Reg.tctl, size: 4, value: 0x2)
        nic.mmioWrite(offset: Reg.tdt, size: 4, value: 1)
        #expect(nic.counters.dmaErrors == 1 && nic.counters.txDropped == 1)
        // Receive buffer there too.
        ram.put64(NICRig.rxRing, 0xFFFF_FFFF_FFFF_FFFF)
        nic.mmioWrite(offset: Reg.rdbal, size: 4, value: UInt32(NICRig.rxRing))
        nic.mmioWrite(offset: Reg.rdlen, size: 4, value: 128)
        nic.mmioWrite(offset: Reg.rdt, size: 4, value: 1)
        nic.mmioWrite(offset: Reg.rctl, size: 4, value: 0x2)
        #expect(!nic.receive(Frames.ethernet(to: Frames.guestMAC, type: 0x0800, [1])))
        #expect(nic.counters.dmaErrors == 2)
    }

    @Test func dmaWithBusMasteringOffIsRefused() {
        let rig = NICRig()
        rig.setUpTX()
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0103)
        rig.transmit(Frames.ping())
        #expect(rig.wire.frames.isEmpty)
        #expect(rig.nic.counters.lastDMAError?.contains("bus mastering is disabled") == true)
    }

    @Test func randomRegisterStormsNeverTrapAndStayBounded() {
        for seed in UInt64(1)...4 {
            var rng = SplitMix64(seed: seed)
            let ram = FakeRAM(size: 1 << 16)
            // RAM full of random bytes: random descriptors, random buffers.
            for i in 0..<ram.bytes.count { ram.bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
            let nic = E1000(dmaRead: { ram.read($0, $1) }, dmaWrite: { ram.write($0, $1) }, irq: { _ in })
            let sink = NetFrameRecorder()
            nic.backend = sink
            nic.programLikeFirmware()
            nic.configSpace.write(offset: 4, size: 2, value: 0x0107)
            let hot: [UInt32] = [0x0, 0x10, 0x14, 0x20, 0xC0, 0xC8, 0xD0, 0xD8, 0x100, 0x400,
                                 0x2800, 0x2804, 0x2808, 0x2810, 0x2818, 0x3800, 0x3804, 0x3808, 0x3810, 0x3818]
            for _ in 0..<5_000 {
                let r = rng.next()
                let offset = r & 1 == 0 ? hot[Int(r >> 8) % hot.count] : UInt32(truncatingIfNeeded: r >> 16)
                let value = UInt32(truncatingIfNeeded: rng.next())
                // Keep TDLEN/RDLEN small most of the time so the run stays short.
                let v = (offset == 0x3808 || offset == 0x2808) && r & 6 != 0 ? value & 0x7F80 : value
                switch (r >> 40) % 4 {
                case 0: _ = nic.mmioRead(offset: offset, size: Int(r >> 50) % 6)
                case 1: nic.mmioWrite(offset: offset, size: Int(r >> 50) % 6, value: v)
                case 2:
                    let n = Int(rng.next() % 2000)
                    nic.receive((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
                default: nic.mmioWrite(offset: offset & ~3, size: 4, value: v)
                }
            }
            #expect(nic.counters.framesSent == UInt64(sink.frames.count))
        }
    }
}
