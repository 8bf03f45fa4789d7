// Tests for PIIX bus-master DMA on the IDE channel: READ/WRITE DMA through a
// PRD table into a fake guest memory, start before or after the command,
// LBA48, BMISTA bits, short PRD tables, memory that is not RAM, bus mastering
// disabled, SET FEATURES transfer modes in IDENTIFY.

import Testing
@testable import Devices

@Suite struct IDEBusMasterTests {
    /// 1 MiB of fake guest RAM.
    final class RAM {
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        func read(_ a: UInt64, _ n: Int) -> [UInt8]? {
            guard a + UInt64(n) <= UInt64(bytes.count) else { return nil }
            return Array(bytes[Int(a)..<Int(a) + n])
        }
        func write(_ a: UInt64, _ b: [UInt8]) -> Bool {
            guard a + UInt64(b.count) <= UInt64(bytes.count) else { return false }
            bytes.replaceSubrange(Int(a)..<Int(a) + b.count, with: b)
            return true
        }
        func prd(at table: Int, _ entries: [(UInt32, UInt16, Bool)]) {
            for (i, e) in entries.enumerated() {
                let o = table + 8 * i
                for k in 0..<4 { bytes[o + k] = UInt8(truncatingIfNeeded: e.0 >> UInt32(8 * k)) }
                bytes[o + 4] = UInt8(e.1 & 0xFF); bytes[o + 5] = UInt8(e.1 >> 8)
                bytes[o + 6] = 0; bytes[o + 7] = e.2 ? 0x80 : 0
            }
        }
    }

    func make(busMaster: Bool = true) -> (IDEChannel, IDEBusMaster, MemoryBlockBackend, RAM, LineRecorder) {
        var data = [UInt8](repeating: 0, count: 256 * 512)
        for n in 0..<256 { for i in 0..<512 { data[n * 512 + i] = UInt8(truncatingIfNeeded: n &+ i) } }
        let disk = MemoryBlockBackend(bytes: data)
        let line = LineRecorder()
        let ch = IDEChannel(irq: { line($0) })
        ch.attach(disk)
        let ram = RAM()
        ch.dmaRead = { ram.read($0, $1) }
        ch.dmaWrite = { ram.write($0, $1) }
        ch.dmaAllowed = { busMaster }
        let bm = IDEBusMaster(channel: ch)
        bm.base = 0xC040
        return (ch, bm, disk, ram, line)
    }

    func issue(_ ch: IDEChannel, _ cmd: UInt8, lba: UInt32, count: UInt8) {
        ch.outb(0x1F6, 0xE0); ch.outb(0x1F2, count)
        ch.outb(0x1F3, UInt8(lba & 0xFF)); ch.outb(0x1F4, UInt8(lba >> 8 & 0xFF)); ch.outb(0x1F5, UInt8(lba >> 16 & 0xFF))
        ch.outb(0x1F7, cmd)
    }

    func setTable(_ bm: IDEBusMaster, _ addr: UInt32) { bm.write(port: 0xC044, size: 4, value: addr) }

    @Test func readDMAScattersThroughPRDs() {
        let (ch, bm, _, ram, line) = make()
        ram.prd(at: 0x1000, [(0x2000, 512, false), (0x8000, 1024, true)])
        setTable(bm, 0x1000)
        #expect(bm.read(port: 0xC044, size: 4) == 0x1000)
        issue(ch, 0xC8, lba: 4, count: 3)
        #expect(!line.level, "nothing moves before start")
        #expect(ch.inb(0x3F6) & 0x08 != 0)
        bm.outb(0xC040, 0x09)              // start, device → memory
        #expect(line.level)
        #expect(bm.inb(0xC042) & 0x07 == 0x04, "interrupt, not active, no error")
        #expect(ch.inb(0x1F7) == 0x50)
        #expect(ram.bytes[0x2000] == 4 && ram.bytes[0x8000] == 5 && ram.bytes[0x8200] == 6 && ram.bytes[0x83FF] == UInt8(truncatingIfNeeded: 6 + 511))
        bm.outb(0xC042, 0x04)              // write 1 to clear
        #expect(bm.inb(0xC042) & 0x04 == 0)
        bm.outb(0xC040, 0x00)
        #expect(ch.counters.dmaTransfers == 1 && ch.inb(0x1F3) == 7)
    }

    @Test func writeDMAWithStartFirst() {
        let (ch, bm, disk, ram, _) = make()
        for i in 0..<1024 { ram.bytes[0x4000 + i] = 0xC3 }
        ram.prd(at: 0x100, [(0x4000, 0, true)])     // 0 = 64 KiB, more than needed
        setTable(bm, 0x100)
        bm.outb(0xC040, 0x01)              // start, memory → device
        #expect(bm.inb(0xC042) & 0x01 == 0x01, "active")
        issue(ch, 0xCA, lba: 10, count: 2)
        #expect(ch.inb(0x1F7) == 0x50)
        #expect(disk.bytes[10 * 512] == 0xC3 && disk.bytes[12 * 512 - 1] == 0xC3 && disk.bytes[12 * 512] == 12)
    }

    @Test func lba48DMA() {
        let (ch, bm, _, ram, _) = make()
        ram.prd(at: 0x100, [(0x3000, 512, true)])
        setTable(bm, 0x100)
        ch.outb(0x1F6, 0x40)
        ch.outb(0x1F2, 0); ch.outb(0x1F2, 1)
        ch.outb(0x1F3, 0); ch.outb(0x1F3, 0x20)
        ch.outb(0x1F4, 0); ch.outb(0x1F4, 0)
        ch.outb(0x1F5, 0); ch.outb(0x1F5, 0)
        ch.outb(0x1F7, 0x25)
        bm.outb(0xC040, 0x09)
        #expect(ram.bytes[0x3000] == 0x20)
        #expect(ch.inb(0x1F7) == 0x50)
    }

    @Test func shortTableWildMemoryAndNoBusMaster() {
        let (ch, bm, _, ram, _) = make()
        ram.prd(at: 0x100, [(0x3000, 512, true)])
        setTable(bm, 0x100)
        issue(ch, 0xC8, lba: 0, count: 2)
        bm.outb(0xC040, 0x09)
        #expect(bm.inb(0xC042) & 0x07 == 0x06, "error and interrupt")
        #expect(ch.inb(0x1F7) == 0x51 && ch.inb(0x1F1) == 0x04)
        bm.outb(0xC040, 0); bm.outb(0xC042, 0x06)
        ram.prd(at: 0x100, [(0xFFFF_F000, 512, true)])
        issue(ch, 0xC8, lba: 0, count: 1)
        bm.outb(0xC040, 0x09)
        #expect(ch.inb(0x1F7) == 0x51, "buffer outside RAM")
        bm.outb(0xC040, 0)
        setTable(bm, 0xFFFF_FFF0)
        issue(ch, 0xC8, lba: 0, count: 1)
        bm.outb(0xC040, 0x09)
        #expect(ch.inb(0x1F7) == 0x51, "PRD table outside RAM")
        #expect(ch.counters.dmaErrors == 3)
        let (ch2, bm2, _, ram2, _) = make(busMaster: false)
        ram2.prd(at: 0x100, [(0x3000, 512, true)])
        setTable(bm2, 0x100)
        issue(ch2, 0xC8, lba: 0, count: 1)
        bm2.outb(0xC040, 0x09)
        #expect(ch2.inb(0x1F7) == 0x51, "bus mastering disabled")
        #expect(ram2.bytes[0x3000] == 0)
    }

    @Test func endlessPRDTableIsBounded() {
        let (ch, bm, _, ram, _) = make()
        // 1 KiB of PRDs of 2 bytes each without EOT: runs out of table entries (128) before 64 KiB.
        for i in 0..<8192 { ram.prd(at: 0x10000 + 8 * (i % 128), [(0x40000, 2, false)]) }
        setTable(bm, 0x10000)
        issue(ch, 0xC8, lba: 0, count: 0)   // 256 sectors = 128 KiB
        bm.outb(0xC040, 0x09)
        #expect(ch.counters.dmaErrors == 1 || ch.counters.dmaTransfers == 1)
        #expect(ch.inb(0x1F7) & 0x88 == 0, "not busy, no DRQ")
    }

    @Test func transferModeShowsInIdentify() {
        let (ch, _, _, _, _) = make()
        ch.outb(0x1F1, 0x03); ch.outb(0x1F2, 0x45); ch.outb(0x1F7, 0xEF)
        #expect(ch.inb(0x1F7) == 0x50)
        ch.outb(0x1F1, 0x03); ch.outb(0x1F2, 0x47); ch.outb(0x1F7, 0xEF)
        #expect(ch.inb(0x1F7) == 0x51, "UDMA 7 does not exist")
        ch.outb(0x1F7, 0xEC)
        var id: [UInt8] = []
        for _ in 0..<256 { let w = ch.read(port: 0x1F0, size: 2); id.append(UInt8(w & 0xFF)); id.append(UInt8(w >> 8)) }
        #expect(Int(id[176]) | Int(id[177]) << 8 == 0x203F, "UDMA 5 selected")
    }

    @Test func snapshotKeepsBusMasterRegisters() {
        let (ch, bm, _, _, _) = make()
        setTable(bm, 0x1234)
        bm.outb(0xC042, 0x20)
        let snap = ch.snapshot()
        setTable(bm, 0)
        ch.restore(snap)
        #expect(bm.read(port: 0xC044, size: 4) == 0x1234 && bm.inb(0xC042) & 0x20 != 0)
        ch.outb(0x3F6, 0x04); ch.outb(0x3F6, 0x00)
        #expect(bm.read(port: 0xC044, size: 4) == 0x1234, "SRST leaves the bus master alone")
    }
}
