// Tests for the IDE channel's register protocol with an in-memory disk:
// signature, IDENTIFY, PIO reads and writes (single, multiple, LBA48, CHS,
// 32-bit), errors (unknown command, out-of-range LBA, read-only disk), nIEN,
// SRST, status-read interrupt acknowledge, absent slave, snapshots, wild input.

import Testing
@testable import Devices

@Suite struct IDEChannelTests {
    /// A channel with a disk of `sectors` sectors whose sector n is filled with byte n & 0xFF.
    func make(sectors: Int = 4096, readOnly: Bool = false) -> (IDEChannel, MemoryBlockBackend, LineRecorder) {
        var bytes = [UInt8](repeating: 0, count: sectors * 512)
        for n in 0..<sectors { for i in 0..<512 { bytes[n * 512 + i] = UInt8(truncatingIfNeeded: n) } }
        let disk = MemoryBlockBackend(bytes: bytes, readOnly: readOnly)
        let line = LineRecorder()
        let ch = IDEChannel(irq: { line($0) })
        ch.attach(disk)
        return (ch, disk, line)
    }

    func status(_ ch: IDEChannel) -> UInt8 { ch.inb(0x1F7) }
    func altStatus(_ ch: IDEChannel) -> UInt8 { ch.inb(0x3F6) }
    func inw(_ ch: IDEChannel) -> UInt16 { UInt16(truncatingIfNeeded: ch.read(port: 0x1F0, size: 2)) }
    func readBlock(_ ch: IDEChannel, bytes: Int = 512) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<bytes / 2 { let w = inw(ch); out.append(UInt8(w & 0xFF)); out.append(UInt8(w >> 8)) }
        return out
    }
    func writeBlock(_ ch: IDEChannel, _ b: [UInt8]) {
        for i in stride(from: 0, to: b.count, by: 2) {
            ch.write(port: 0x1F0, size: 2, value: UInt32(b[i]) | UInt32(b[i + 1]) << 8)
        }
    }
    /// Programs an LBA28 address and count, then issues `cmd`.
    func issue(_ ch: IDEChannel, _ cmd: UInt8, lba: UInt32 = 0, count: UInt8 = 1) {
        ch.outb(0x1F6, 0xE0 | UInt8((lba >> 24) & 0x0F))
        ch.outb(0x1F2, count)
        ch.outb(0x1F3, UInt8(lba & 0xFF)); ch.outb(0x1F4, UInt8((lba >> 8) & 0xFF)); ch.outb(0x1F5, UInt8((lba >> 16) & 0xFF))
        ch.outb(0x1F7, cmd)
    }

    @Test func powerOnSignature() {
        let (ch, _, line) = make()
        #expect(status(ch) == 0x50)
        #expect(ch.inb(0x1F1) == 0x01)
        #expect(ch.inb(0x1F2) == 1 && ch.inb(0x1F3) == 1 && ch.inb(0x1F4) == 0 && ch.inb(0x1F5) == 0)
        #expect(ch.inb(0x1F6) == 0xA0)
        #expect(!line.level)
    }

    @Test func identify() {
        let (ch, _, line) = make(sectors: 20160)
        ch.outb(0x1F6, 0xA0)
        ch.outb(0x1F7, 0xEC)
        #expect(line.level)
        #expect(altStatus(ch) == 0x58)
        #expect(line.level, "alternate status does not acknowledge")
        #expect(status(ch) == 0x58)
        #expect(!line.level, "status read acknowledges")
        let id = readBlock(ch)
        #expect(status(ch) == 0x50)
        func word(_ i: Int) -> Int { Int(id[2 * i]) | Int(id[2 * i + 1]) << 8 }
        #expect(word(0) == 0x0040)
        #expect(ATAIdentify.string(id, word: 27, words: 20) == "NOOKS-EMU HARDDISK")
        #expect(ATAIdentify.string(id, word: 10, words: 10) == "NE00001")
        #expect(word(1) == 20 && word(3) == 16 && word(6) == 63)
        #expect(word(49) & 0x200 != 0, "LBA")
        #expect(word(49) & 0x100 != 0 && word(63) == 0x07 && word(88) == 0x3F, "DMA advertised, no mode selected")
        #expect(word(60) | word(61) << 16 == 20160)
        #expect(word(100) == 20160 && word(101) == 0)
        #expect(word(47) == 0x8010 && word(59) == 0x110)
        #expect(word(83) & 0x400 != 0, "LBA48")
        #expect(ch.read(port: 0x1F0, size: 2) == 0, "no data after the block")
    }

    @Test func readSectorsOneInterruptPerSector() {
        let (ch, _, line) = make()
        issue(ch, 0x20, lba: 5, count: 3)
        for n in 5..<8 {
            #expect(line.level)
            #expect(status(ch) == 0x58)
            #expect(readBlock(ch) == [UInt8](repeating: UInt8(n), count: 512))
        }
        #expect(!line.level, "no interrupt after the last block")
        #expect(status(ch) == 0x50)
        #expect(line.risingEdges == 3)
        #expect(ch.inb(0x1F3) == 8 && ch.inb(0x1F2) == 0, "task file names the next sector")
    }

    @Test func readWith32BitAccesses() {
        let (ch, _, _) = make()
        issue(ch, 0x20, lba: 0x102, count: 1)
        var out: [UInt8] = []
        for _ in 0..<128 {
            let v = ch.read(port: 0x1F0, size: 4)
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * i))) }
        }
        #expect(out == [UInt8](repeating: 0x02, count: 512))
        #expect(status(ch) == 0x50)
    }

    @Test func countZeroMeans256() {
        let (ch, _, _) = make()
        issue(ch, 0x20, lba: 0, count: 0)
        #expect(ch.state.transfer?.remaining == 256)
    }

    @Test func writeSectorsReachBackendAtCompletion() {
        let (ch, disk, line) = make()
        issue(ch, 0x30, lba: 9, count: 2)
        #expect(!line.level, "no interrupt before the first block")
        #expect(altStatus(ch) == 0x58)
        let a = [UInt8](repeating: 0xAA, count: 512), b = [UInt8](repeating: 0xBB, count: 512)
        writeBlock(ch, Array(a[..<510]))
        #expect(disk.stats.sectorsWritten == 0, "nothing written until the block is complete")
        writeBlock(ch, [0xAA, 0xAA])
        #expect(disk.stats.sectorsWritten == 1)
        #expect(line.level)
        #expect(status(ch) == 0x58)
        writeBlock(ch, b)
        #expect(line.level)
        #expect(status(ch) == 0x50)
        #expect(Array(disk.bytes[9 * 512..<10 * 512]) == a)
        #expect(Array(disk.bytes[10 * 512..<11 * 512]) == b)
        #expect(ch.counters.sectorsWritten == 2)
    }

    @Test func readMultipleAndSetMultiple() {
        let (ch, _, line) = make()
        ch.outb(0x1F2, 4); ch.outb(0x1F7, 0xC6)
        #expect(status(ch) == 0x50)
        issue(ch, 0xC4, lba: 0, count: 6)
        #expect(status(ch) == 0x58)
        let first = readBlock(ch, bytes: 4 * 512)
        #expect(first[0] == 0 && first[3 * 512] == 3)
        #expect(line.level)
        #expect(status(ch) == 0x58)
        let second = readBlock(ch, bytes: 2 * 512)
        #expect(second[0] == 4 && second[512] == 5)
        #expect(status(ch) == 0x50)
        ch.outb(0x1F2, 3); ch.outb(0x1F7, 0xC6)
        #expect(status(ch) == 0x51 && ch.inb(0x1F1) == 0x04, "not a power of two")
    }

    @Test func writeMultiple() {
        let (ch, disk, _) = make()
        issue(ch, 0xC5, lba: 100, count: 16)
        writeBlock(ch, [UInt8](repeating: 0x5A, count: 16 * 512))
        #expect(status(ch) == 0x50)
        #expect(disk.bytes[100 * 512] == 0x5A && disk.bytes[116 * 512 - 1] == 0x5A && disk.bytes[116 * 512] == 116)
    }

    @Test func lba48Read() {
        let (ch, _, _) = make()
        ch.outb(0x1F6, 0x40)
        ch.outb(0x1F2, 0); ch.outb(0x1F2, 2)                    // count 0x0002
        ch.outb(0x1F3, 0); ch.outb(0x1F3, 0x10)                 // LBA 0x0000_0000_0010
        ch.outb(0x1F4, 0); ch.outb(0x1F4, 0)
        ch.outb(0x1F5, 0); ch.outb(0x1F5, 0)
        ch.outb(0x1F7, 0x24)
        #expect(status(ch) == 0x58)
        #expect(readBlock(ch)[0] == 0x10)
        #expect(readBlock(ch)[0] == 0x11)
        #expect(status(ch) == 0x50)
        ch.outb(0x3F6, 0x80)
        #expect(ch.inb(0x1F3) == 0, "HOB reads the high bytes")
        ch.outb(0x3F6, 0x00)
        #expect(ch.inb(0x1F3) == 0x12)
    }

    @Test func chsRead() {
        let (ch, _, _) = make()
        // C/H/S 0/1/3 = LBA 1*63 + 2 = 65.
        ch.outb(0x1F6, 0xA1); ch.outb(0x1F2, 1); ch.outb(0x1F3, 3); ch.outb(0x1F4, 0); ch.outb(0x1F5, 0)
        ch.outb(0x1F7, 0x20)
        #expect(readBlock(ch)[0] == 65)
        ch.outb(0x1F6, 0xA0); ch.outb(0x1F3, 0); ch.outb(0x1F7, 0x20)
        #expect(status(ch) == 0x51, "sector 0 does not exist in CHS")
    }

    @Test func errors() {
        let (ch, _, line) = make(sectors: 64)
        ch.outb(0x1F7, 0xFF)
        #expect(line.level)
        #expect(status(ch) == 0x51 && ch.inb(0x1F1) == 0x04)
        issue(ch, 0x20, lba: 64, count: 1)
        #expect(status(ch) == 0x51 && ch.inb(0x1F1) == 0x04, "LBA past the end")
        issue(ch, 0x20, lba: 62, count: 4)
        #expect(status(ch) == 0x58)
        _ = readBlock(ch); _ = readBlock(ch)
        #expect(status(ch) == 0x51, "the third sector is out of range")
        #expect(ch.inb(0x1F3) == 64, "task file names the failing sector")
        issue(ch, 0x20, lba: 0x0FFF_FFFF, count: 0)
        #expect(status(ch) == 0x51)
        issue(ch, 0x30, lba: 63, count: 2)
        writeBlock(ch, [UInt8](repeating: 1, count: 512))
        #expect(status(ch) == 0x58)
        writeBlock(ch, [UInt8](repeating: 1, count: 512))
        #expect(status(ch) == 0x51)
        #expect(ch.counters.outOfRange == 4)
        ch.outb(0x1F1, 0x99); ch.outb(0x1F7, 0xEF)
        #expect(status(ch) == 0x51, "unknown SET FEATURES subcommand")
        ch.outb(0x1F1, 0x03); ch.outb(0x1F7, 0xEF)
        #expect(status(ch) == 0x50)
        ch.outb(0x1F7, 0x00)
        #expect(status(ch) == 0x51, "NOP aborts")
    }

    @Test func readOnlyDiskAbortsWrites() {
        let (ch, disk, _) = make(readOnly: true)
        issue(ch, 0x30, lba: 1, count: 1)
        writeBlock(ch, [UInt8](repeating: 7, count: 512))
        #expect(status(ch) == 0x51 && ch.inb(0x1F1) == 0x04)
        #expect(disk.bytes[512] == 1)
        #expect(ch.counters.ioErrors == 1)
    }

    @Test func flushCallsBackend() {
        let (ch, disk, line) = make()
        ch.outb(0x1F7, 0xE7)
        #expect(line.level)
        #expect(status(ch) == 0x50)
        ch.outb(0x1F7, 0xEA)
        #expect(disk.stats.flushes == 2)
    }

    @Test func nIENMasksTheLine() {
        let (ch, _, line) = make()
        ch.outb(0x3F6, 0x02)
        ch.outb(0x1F7, 0xE7)
        #expect(!line.level)
        #expect(ch.state.irqPending)
        ch.outb(0x3F6, 0x00)
        #expect(line.level, "a pending request appears when nIEN clears")
        _ = status(ch)
        #expect(!line.level)
    }

    @Test func softReset() {
        let (ch, _, line) = make()
        issue(ch, 0x20, lba: 3, count: 2)
        ch.outb(0x3F6, 0x04)
        #expect(altStatus(ch) & 0x80 != 0, "BSY while SRST is held")
        #expect(!line.level)
        ch.outb(0x1F7, 0xEC)
        #expect(ch.state.transfer == nil, "commands ignored while busy")
        ch.outb(0x3F6, 0x00)
        #expect(status(ch) == 0x50)
        #expect(ch.inb(0x1F1) == 0x01 && ch.inb(0x1F2) == 1 && ch.inb(0x1F3) == 1)
        #expect(ch.read(port: 0x1F0, size: 2) == 0)
        #expect(ch.counters.softResets == 1)
    }

    @Test func registersIgnoredWhileDRQ() {
        let (ch, _, _) = make()
        issue(ch, 0x20, lba: 7, count: 1)
        ch.outb(0x1F3, 0x55)
        ch.outb(0x1F7, 0xEC)
        #expect(readBlock(ch)[0] == 7)
        #expect(ch.counters.ignoredWrites == 2)
    }

    @Test func absentSlaveAndNoDisk() {
        let (ch, _, _) = make()
        ch.outb(0x1F6, 0xB0)
        #expect(status(ch) == 0 && altStatus(ch) == 0)
        ch.outb(0x1F7, 0xEC)
        #expect(ch.state.transfer == nil)
        let empty = IDEChannel(irq: { _ in })
        #expect(empty.inb(0x1F7) == 0 && empty.inb(0x1F6) == 0)
        empty.outb(0x1F7, 0x20)
        #expect(empty.counters.commands == 0)
    }

    @Test func snapshotMidTransfer() {
        let (ch, _, _) = make()
        issue(ch, 0x20, lba: 20, count: 2)
        _ = readBlock(ch, bytes: 100)
        let snap = ch.snapshot()
        let rest = readBlock(ch, bytes: 412) + readBlock(ch)
        ch.restore(snap)
        #expect(readBlock(ch, bytes: 412) + readBlock(ch) == rest)
        #expect(ch.snapshot().counters == ch.counters)
    }

    @Test func overlayKeepsBaseUntouched() throws {
        let base = MemoryBlockBackend(sectors: 8, readOnly: true)
        let overlay = OverlayBlockBackend(base: base)
        let ch = IDEChannel(irq: { _ in })
        ch.attach(overlay)
        issue(ch, 0x30, lba: 2, count: 1)
        writeBlock(ch, [UInt8](repeating: 9, count: 512))
        #expect(status(ch) == 0x50)
        #expect(try overlay.read(sector: 2, count: 1)[0] == 9)
        #expect(base.bytes.allSatisfy { $0 == 0 })
        overlay.discard()
        #expect(try overlay.read(sector: 2, count: 1)[0] == 0)
    }

    @Test func wildPortTraffic() {
        let (ch, _, _) = make(sectors: 16)
        var rng = SplitMix64(seed: 0x1DE)
        for _ in 0..<200_000 {
            let port: UInt16 = Bool.random(using: &rng) ? 0x1F0 + UInt16.random(in: 0...7, using: &rng) : 0x3F6
            let size = [1, 2, 4, 3, 0][Int.random(in: 0...4, using: &rng)]
            if Bool.random(using: &rng) {
                _ = ch.read(port: port, size: size)
            } else {
                ch.write(port: port, size: size, value: UInt32.random(in: 0...UInt32.max, using: &rng))
            }
        }
        #expect(ch.counters.commands > 0)
    }
}
