// Tests for the 16550 UART: transmit, THRE interrupt latch, OUT2 gating, loopback,
// FIFO and backlog, trigger levels, interrupt priority, DLAB, modem status, snapshots.

import Testing
@testable import Devices

@Suite struct UART16550Tests {
    final class Harness {
        var sent: [UInt8] = []
        let irq = LineRecorder()
        var uart: UART16550!
        init(base: UInt16 = 0x3F8) {
            uart = UART16550(base: base, output: { [unowned self] in self.sent.append($0) },
                             irq: { [unowned self] in self.irq($0) })
        }
        func out(_ offset: UInt16, _ value: UInt8) { uart.outb(uart.base + offset, value) }
        func inp(_ offset: UInt16) -> UInt8 { uart.inb(uart.base + offset) }
    }

    @Test func resetState() {
        let h = Harness()
        #expect(h.inp(2) == 0x01)     // no interrupt, FIFOs off
        #expect(h.inp(5) == 0x60)     // THRE | TEMT
        #expect(h.inp(6) == 0xB0)     // DCD, DSR, CTS
        #expect(h.inp(1) == 0 && h.inp(3) == 0 && h.inp(4) == 0)
        #expect(!h.uart.irqAsserted)
    }

    @Test func transmitGoesToOutputAtOnce() {
        let h = Harness()
        for byte in Array("hi\n".utf8) { h.out(0, byte) }
        #expect(h.sent == Array("hi\n".utf8))
        #expect(h.inp(5) & 0x60 == 0x60)
    }

    @Test func threInterruptLatchSemantics() {
        let h = Harness()
        h.out(4, 0x08)           // OUT2
        h.out(1, 0x02)           // enable ETBEI with THR empty: interrupt at once
        #expect(h.uart.irqAsserted)
        #expect(h.inp(2) == 0x02)  // reading IIR reporting THRE clears it
        #expect(!h.uart.irqAsserted)
        #expect(h.inp(2) == 0x01)
        h.irq.reset()
        h.out(0, 0x41)           // each byte: line drops then rises, a fresh edge
        h.out(0, 0x42)
        #expect(h.irq.levels == [true, false, true])
        #expect(h.irq.risingEdges == 2)
        h.out(1, 0x00)           // disabling ETBEI drops it
        #expect(!h.uart.irqAsserted)
        h.out(1, 0x02)
        #expect(h.uart.irqAsserted)
        h.out(1, 0x02)           // rewriting the same IER does not re-arm after a clear
        _ = h.inp(2)
        h.out(1, 0x02)
        #expect(!h.uart.irqAsserted)
    }

    @Test func out2GatesTheIRQLine() {
        let h = Harness()
        h.out(1, 0x02)
        #expect(!h.uart.irqAsserted)   // pending, but OUT2 is off
        #expect(h.inp(2) == 0x02)      // IIR still reports it
        h.out(1, 0x00); h.out(1, 0x02)
        h.out(4, 0x08)
        #expect(h.uart.irqAsserted)
        h.out(4, 0x00)
        #expect(!h.uart.irqAsserted)
    }

    @Test func loopbackEchoesTransmitAndModemLines() {
        let h = Harness()
        h.out(4, 0x10 | 0x0F)    // loopback, DTR RTS OUT1 OUT2
        h.out(0, 0x5A)
        #expect(h.sent.isEmpty)
        #expect(h.inp(5) & 0x01 == 0x01)
        #expect(h.inp(0) == 0x5A)
        #expect(h.inp(5) & 0x01 == 0)
        #expect(h.inp(6) & 0xF0 == 0xF0)
        h.out(4, 0x10 | 0x01)    // DTR only → DSR
        #expect(h.inp(6) & 0xF0 == 0x20)
        h.out(4, 0x10 | 0x02)    // RTS only → CTS
        #expect(h.inp(6) & 0xF0 == 0x10)
    }

    @Test func loopbackHoldsHostInputAndNeverRaisesIRQ() {
        let h = Harness()
        h.out(1, 0x0F)
        h.out(4, 0x18)           // loopback + OUT2: OUT2 pin is forced off in loopback
        h.uart.receive([1, 2])
        #expect(h.uart.receiveFIFOCount == 0 && h.uart.backlogCount == 2)
        #expect(!h.uart.irqAsserted)
        h.out(4, 0x08)           // back to normal: input arrives
        #expect(h.uart.receiveFIFOCount == 1 && h.uart.backlogCount == 1)
        #expect(h.uart.irqAsserted)
    }

    @Test func nonFIFOModeReceivesOneByteAtATimeInOrder() {
        let h = Harness()
        h.out(4, 0x08); h.out(1, 0x01)
        h.uart.receive([10, 20, 30])
        #expect(h.uart.irqAsserted)
        #expect(h.inp(2) == 0x04)
        var got: [UInt8] = []
        while h.inp(5) & 0x01 != 0 { got.append(h.inp(0)) }
        #expect(got == [10, 20, 30])
        #expect(!h.uart.irqAsserted)
        #expect(h.inp(0) == 30)  // empty RBR keeps the last byte
    }

    @Test func fifoTriggerLevelAndTimeout() {
        let h = Harness()
        h.out(2, 0xC7)           // enable + clear both, trigger 14
        #expect(h.inp(2) == 0xC1)
        h.out(4, 0x08); h.out(1, 0x01)
        h.uart.receive(Array(0..<20))
        #expect(h.uart.receiveFIFOCount == 16 && h.uart.backlogCount == 4)
        #expect(h.inp(2) == 0xC4)  // at/over trigger: received data available
        var got: [UInt8] = []
        for _ in 0..<10 { got.append(h.inp(0)) }
        #expect(h.uart.receiveFIFOCount == 10)
        #expect(h.inp(2) == 0xCC)  // below trigger: character timeout
        while h.inp(5) & 0x01 != 0 { got.append(h.inp(0)) }
        #expect(got == Array(0..<20))
        #expect(h.inp(2) == 0xC1)
        h.out(2, 0x41)             // trigger 4
        h.uart.receive([1, 2, 3])
        #expect(h.inp(2) == 0xCC)
        h.uart.receive([4])
        #expect(h.inp(2) == 0xC4)
    }

    @Test func fifoClearDropsOnlyFIFOContents() {
        let h = Harness()
        h.out(2, 0x01)
        h.uart.receive(Array(0..<18))
        h.out(2, 0x03)           // clear RX FIFO: 16 dropped, backlog flows in
        #expect(h.inp(0) == 16 && h.inp(0) == 17)
        #expect(h.inp(5) & 0x01 == 0)
    }

    @Test func lineStatusOutranksReceivedData() {
        let h = Harness()
        h.out(4, 0x10)           // loopback, FIFOs off: one-byte receiver
        h.out(1, 0x05)
        h.out(0, 1)
        h.out(0, 2)              // overrun
        #expect(h.inp(2) == 0x06)
        #expect(h.inp(5) & 0x03 == 0x03)  // DR | OE; reading clears OE
        #expect(h.inp(5) & 0x02 == 0)
        #expect(h.inp(2) == 0x04)
        #expect(h.inp(0) == 1)
    }

    @Test func priorityRXOverTHREOverModem() {
        let h = Harness()
        h.out(1, 0x0F)
        h.out(4, 0x10 | 0x01)    // loopback, DTR: CTS and DCD fall (0xB0 → 0x20)
        h.out(0, 7)              // RX data, and THRE re-armed
        #expect(h.inp(2) == 0x04)
        _ = h.inp(0)
        #expect(h.inp(2) == 0x02)  // THRE, cleared by this read
        #expect(h.inp(2) == 0x00)  // modem status
        #expect(h.inp(6) & 0x0F == 0x09)  // ΔCTS | ΔDCD, cleared by the read
        #expect(h.inp(2) == 0x01)
    }

    @Test func dlabSwitchesDivisorLatches() {
        let h = Harness()
        h.out(1, 0x03)
        h.out(3, 0x83)
        h.out(0, 0x01); h.out(1, 0x00)  // 115200 baud
        #expect(h.inp(0) == 0x01 && h.inp(1) == 0x00)
        h.out(3, 0x03)
        #expect(h.inp(1) == 0x03)       // IER untouched
        h.out(0, 0x58)
        #expect(h.sent == [0x58])
        h.out(7, 0xA5)
        #expect(h.inp(7) == 0xA5)
    }

    @Test func backlogOverflowIsCountedNotFatal() {
        let h = Harness()
        h.uart.receive([UInt8](repeating: 1, count: UART16550.backlogLimit + 10))
        #expect(h.uart.droppedInputBytes == 10)
        #expect(h.uart.receiveFIFOCount == 1)  // then one byte moved on into the holding register
        #expect(h.uart.backlogCount == UART16550.backlogLimit - 1)
    }

    @Test func otherBaseAndWideAccess() {
        let h = Harness(base: 0x2F8)
        h.uart.write(port: 0x2FE, size: 2, value: 0x7700)  // MSR (ignored), SCR = 0x77
        #expect(h.inp(7) == 0x77)
        #expect(h.uart.read(port: 0x2FF, size: 2) == 0xFF77)  // byte past the UART floats high
    }

    @Test func snapshotRestoreReplaysIdentically() {
        let h = Harness()
        h.out(2, 0x81); h.out(4, 0x08); h.out(1, 0x03)
        h.uart.receive(Array(0..<40))
        _ = h.inp(0)
        let saved = h.uart.snapshot()
        func run() -> [UInt8] {
            var trace: [UInt8] = []
            for i in 0..<50 {
                trace.append(h.inp(2))
                trace.append(h.inp(5))
                if i % 3 == 0 { h.out(0, UInt8(i)) }
                trace.append(h.inp(0))
            }
            return trace
        }
        let sentBefore = h.sent.count
        let first = run()
        let firstSent = Array(h.sent[sentBefore...])
        h.uart.restore(saved)
        #expect(h.uart.snapshot() == saved)
        let sentMid = h.sent.count
        #expect(run() == first)
        #expect(Array(h.sent[sentMid...]) == firstSent)
    }

    @Test func malformedSnapshotIsRepaired() {
        let h = Harness()
        var bad = UART16550.Snapshot()
        bad.rxFIFO = Array(0..<5)   // five bytes with FIFOs off
        bad.backlogHead = 99
        h.uart.restore(bad)
        var got: [UInt8] = []
        while h.inp(5) & 0x01 != 0 { got.append(h.inp(0)) }
        #expect(got == Array(0..<5))
    }
}
