// Tests for the 8259A pair: initialisation, priority, EOI, masking, cascade,
// spurious vectors, edge/level triggering, auto-EOI, poll, rotation, snapshots.

import Testing
@testable import Devices

@Suite struct PIC8259Tests {
    /// A pair initialised like Linux does: vectors 0x20 / 0x28, nothing masked.
    func makePIC(_ intr: LineRecorder = LineRecorder(), autoEOI: Bool = false) -> PIC8259Pair {
        let pic = PIC8259Pair(intr: { intr($0) })
        let icw4: UInt8 = autoEOI ? 0x03 : 0x01
        pic.outb(0x20, 0x11); pic.outb(0x21, 0x20); pic.outb(0x21, 0x04); pic.outb(0x21, icw4)
        pic.outb(0xA0, 0x11); pic.outb(0xA1, 0x28); pic.outb(0xA1, 0x02); pic.outb(0xA1, icw4)
        pic.outb(0x21, 0x00); pic.outb(0xA1, 0x00)
        return pic
    }

    func pulse(_ pic: PIC8259Pair, _ line: Int) {
        pic.setIRQ(line, level: true)
        pic.setIRQ(line, level: false)
    }

    func isr(_ pic: PIC8259Pair, master: Bool = true) -> UInt8 {
        let port: UInt16 = master ? 0x20 : 0xA0
        pic.outb(port, 0x0B)
        defer { pic.outb(port, 0x0A) }
        return pic.inb(port)
    }

    @Test func initSequenceThenDeliverAndEOI() {
        let intr = LineRecorder()
        let pic = makePIC(intr)
        #expect(!pic.intrAsserted)
        pulse(pic, 1)
        #expect(pic.intrAsserted && intr.levels == [true])
        #expect(pic.acknowledge() == 0x21)
        #expect(!pic.intrAsserted && intr.levels == [true, false])
        #expect(isr(pic) == 0x02)
        pic.outb(0x20, 0x20)  // non-specific EOI
        #expect(isr(pic) == 0x00)
    }

    @Test func fixedPriorityIRQ0Highest() {
        let pic = makePIC()
        pulse(pic, 3)
        pulse(pic, 1)
        #expect(pic.acknowledge() == 0x21)
        #expect(!pic.intrAsserted)   // IRQ3 waits behind IRQ1 in service
        pulse(pic, 0)
        #expect(pic.intrAsserted)    // IRQ0 outranks IRQ1 in service: nests
        #expect(pic.acknowledge() == 0x20)
        #expect(isr(pic) == 0x03)
        pic.outb(0x20, 0x20)         // EOI clears the highest in service: IRQ0
        #expect(isr(pic) == 0x02 && !pic.intrAsserted)
        pic.outb(0x20, 0x20)
        #expect(pic.intrAsserted)
        #expect(pic.acknowledge() == 0x23)
    }

    @Test func specificEOI() {
        let pic = makePIC()
        pulse(pic, 4)
        _ = pic.acknowledge()
        pulse(pic, 2 + 1)
        _ = pic.acknowledge()  // IRQ3 nests over IRQ4
        pic.outb(0x20, 0x60 | 4)  // specific EOI for IRQ4
        #expect(isr(pic) == 0x08)
    }

    @Test func maskingHoldsRequestsUntilUnmasked() {
        let pic = makePIC()
        pic.outb(0x21, 0x02)
        pulse(pic, 1)
        #expect(!pic.intrAsserted)
        #expect(pic.inb(0x21) == 0x02)
        pic.outb(0x20, 0x0A)
        #expect(pic.inb(0x20) == 0x02)  // IRR holds it
        pic.outb(0x21, 0x00)
        #expect(pic.intrAsserted)
        #expect(pic.acknowledge() == 0x21)
    }

    @Test func cascadeFromSlave() {
        let pic = makePIC()
        pulse(pic, 12)
        #expect(pic.intrAsserted)
        #expect(pic.acknowledge() == 0x2C)
        #expect(isr(pic) == 0x04)
        #expect(isr(pic, master: false) == 0x10)
        pulse(pic, 9)
        #expect(!pic.intrAsserted)  // master IR2 still in service
        pic.outb(0xA0, 0x20)
        pic.outb(0x20, 0x20)
        #expect(pic.intrAsserted)
        #expect(pic.acknowledge() == 0x29)
    }

    @Test func masterLineOutranksSlaveBelowIRQ2() {
        let pic = makePIC()
        pulse(pic, 8)
        pulse(pic, 1)
        pulse(pic, 3)
        #expect(pic.acknowledge() == 0x21)
        pic.outb(0x20, 0x20)
        #expect(pic.acknowledge() == 0x28)  // cascade (IR2) beats IR3
        pic.outb(0xA0, 0x20); pic.outb(0x20, 0x20)
        #expect(pic.acknowledge() == 0x23)
    }

    @Test func slaveMaskedLineDoesNotReachMaster() {
        let pic = makePIC()
        pic.outb(0xA1, 0x01)
        pulse(pic, 8)
        #expect(!pic.intrAsserted)
        pic.outb(0x21, 0x04)  // master masks cascade
        pic.outb(0xA1, 0x00)
        #expect(!pic.intrAsserted)
        pic.outb(0x21, 0x00)
        #expect(pic.acknowledge() == 0x28)
    }

    @Test func spuriousIRQ7WhenNothingPending() {
        let pic = makePIC()
        #expect(pic.acknowledge() == 0x27)
        #expect(isr(pic) == 0)  // a spurious vector sets nothing in service
        // A level line that drops before INTA also gives IRQ 7.
        pic.outb(0x4D0, 0x20)  // IRQ5 level-triggered
        pic.setIRQ(5, level: true)
        #expect(pic.intrAsserted)
        pic.setIRQ(5, level: false)
        #expect(!pic.intrAsserted)
        #expect(pic.acknowledge() == 0x27)
    }

    @Test func edgeLatchesOncePerRisingEdge() {
        let pic = makePIC()
        pic.setIRQ(4, level: true)
        pic.setIRQ(4, level: true)  // still high: no new edge
        #expect(pic.acknowledge() == 0x24)
        pic.outb(0x20, 0x20)
        #expect(!pic.intrAsserted)  // held high, but already consumed
        pic.setIRQ(4, level: false)
        pic.setIRQ(4, level: true)
        #expect(pic.intrAsserted)
    }

    @Test func levelTriggeredRequestsAgainAfterEOIWhileHigh() {
        let pic = makePIC()
        pic.outb(0x4D1, 0xFF)
        #expect(pic.inb(0x4D1) == 0xDE)  // IRQ 8 and 13 cannot be level
        pic.outb(0x4D0, 0xFF)
        #expect(pic.inb(0x4D0) == 0xF8)
        pic.setIRQ(11, level: true)
        #expect(pic.acknowledge() == 0x2B)
        pic.outb(0xA0, 0x20); pic.outb(0x20, 0x20)
        #expect(pic.intrAsserted)  // still high
        #expect(pic.acknowledge() == 0x2B)
        pic.setIRQ(11, level: false)
        pic.outb(0xA0, 0x20); pic.outb(0x20, 0x20)
        #expect(!pic.intrAsserted)
    }

    @Test func autoEOILeavesNothingInService() {
        let pic = makePIC(autoEOI: true)
        pulse(pic, 6)
        #expect(pic.acknowledge() == 0x26)
        #expect(isr(pic) == 0)
        pulse(pic, 7)
        #expect(pic.acknowledge() == 0x27)
    }

    @Test func pollCommand() {
        let pic = makePIC()
        pulse(pic, 5)
        pic.outb(0x20, 0x0C)  // OCW3 poll
        #expect(pic.inb(0x20) == 0x85)
        #expect(isr(pic) == 0x20)
        pic.outb(0x20, 0x0C)
        #expect(pic.inb(0x20) == 0x00)
    }

    @Test func rotateOnNonSpecificEOIMakesServicedLineLowest() {
        let pic = makePIC()
        pulse(pic, 1)
        #expect(pic.acknowledge() == 0x21)
        pic.outb(0x20, 0xA0)  // rotate on non-specific EOI: IRQ1 lowest, IRQ2 highest
        pulse(pic, 1)
        pulse(pic, 4)
        #expect(pic.acknowledge() == 0x24)
        pic.outb(0x20, 0xC7)  // set priority: IRQ7 lowest again
        pic.outb(0x20, 0x20)
        #expect(pic.acknowledge() == 0x21)
    }

    @Test func specialMaskModeLetsLowerPrioritiesIn() {
        let pic = makePIC()
        pulse(pic, 1)
        _ = pic.acknowledge()
        pulse(pic, 5)
        #expect(!pic.intrAsserted)
        pic.outb(0x21, 0x02)  // mask the line in service
        pic.outb(0x20, 0x68)  // OCW3: set special mask mode
        #expect(pic.intrAsserted)
        #expect(pic.acknowledge() == 0x25)
    }

    @Test func icw1ResetsMaskAndInService() {
        let pic = makePIC()
        pic.outb(0x21, 0xFF)
        pulse(pic, 3)
        pic.outb(0x21, 0x00)
        _ = pic.acknowledge()
        pic.outb(0x20, 0x11)
        #expect(pic.inb(0x21) == 0x00)
        pic.outb(0x21, 0x40); pic.outb(0x21, 0x04); pic.outb(0x21, 0x01)
        #expect(isr(pic) == 0)
        pulse(pic, 0)
        #expect(pic.acknowledge() == 0x40)
    }

    @Test func programLikeBIOS() {
        let pic = PIC8259Pair(intr: { _ in })
        pic.programLikeBIOS()
        #expect(pic.inb(0x21) == 0xFB && pic.inb(0xA1) == 0xFF)
        pic.outb(0x21, 0xFA)
        pulse(pic, 0)
        #expect(pic.acknowledge() == 0x08)
        pic.outb(0xA1, 0x00)
        pulse(pic, 14)
        pic.outb(0x20, 0x20)
        #expect(pic.acknowledge() == 0x76)
    }

    @Test func cascadeLineAndWildLinesAreIgnored() {
        let pic = makePIC()
        pic.setIRQ(2, level: true)
        pic.setIRQ(-1, level: true)
        pic.setIRQ(16, level: true)
        pic.setIRQ(Int.max, level: true)
        #expect(!pic.intrAsserted)
    }

    @Test func wideAccessSplitsIntoBytes() {
        let pic = makePIC()
        pic.outb(0x21, 0x5A)
        pic.outb(0x20, 0x0A)
        #expect(pic.read(port: 0x20, size: 2) == 0x5A00)  // IRR 0, IMR 0x5A
        pic.write(port: 0x4D0, size: 2, value: 0x0C20)
        #expect(pic.inb(0x4D0) == 0x20 && pic.inb(0x4D1) == 0x0C)
    }

    @Test func snapshotRestoreReplaysIdentically() {
        let intr = LineRecorder()
        let pic = makePIC(intr)
        pulse(pic, 3)
        pulse(pic, 10)
        let saved = pic.snapshot()
        func run() -> [UInt8] {
            var vectors: [UInt8] = []
            for _ in 0..<3 {
                vectors.append(pic.acknowledge())
                pic.outb(0xA0, 0x20)
                pic.outb(0x20, 0x20)
            }
            return vectors
        }
        let first = run()
        #expect(first == [0x2A, 0x23, 0x27])
        pic.restore(saved)
        #expect(pic.snapshot() == saved)
        #expect(run() == first)
    }
}
