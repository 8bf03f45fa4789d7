// The machine's IDE wiring without a guest: the PIIX IDE function's BAR4 at
// 0xC040 (as SeaBIOS leaves it under QEMU), bus mastering off until enabled in
// PCI command, a READ DMA into guest RAM through a PRD table, IRQ 14 at the
// PIC, and the bus-master window following BAR4 when it moves and across
// snapshot restore.

import Testing
import Devices
@testable import Machine

@Suite struct DiskDMATests {
    func cfgRead(_ m: Machine, _ off: Int) -> UInt32 {
        m.portWrite(0xCF8, size: 4, value: 0x8000_0000 | 1 << 11 | 1 << 8 | UInt32(off & 0xFC))
        return m.portRead(0xCFC, size: 4)
    }

    func cfgWrite(_ m: Machine, _ off: Int, _ v: UInt32) {
        m.portWrite(0xCF8, size: 4, value: 0x8000_0000 | 1 << 11 | 1 << 8 | UInt32(off & 0xFC))
        m.portWrite(0xCFC, size: 4, value: v)
    }

    func machine() -> Machine {
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.network = .none
        cfg.memoryMiB = 8
        let m = Machine(config: cfg)
        var bytes = [UInt8](repeating: 0, count: 64 * 512)
        for n in 0..<64 { for i in 0..<512 { bytes[n * 512 + i] = UInt8(n) } }
        m.attachDisk(MemoryBlockBackend(bytes: bytes))
        return m
    }

    func readDMA(_ m: Machine, bmBase: UInt16, lba: UInt8) {
        // PRD table at 0x10000: one entry, 512 bytes to 0x20000, EOT.
        _ = m.memory.write([0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x00, 0x80], at: 0x10000)
        m.portWrite(bmBase + 4, size: 4, value: 0x10000)
        m.portWrite(0x1F6, size: 1, value: 0xE0)
        m.portWrite(0x1F2, size: 1, value: 1)
        m.portWrite(0x1F3, size: 1, value: UInt32(lba)); m.portWrite(0x1F4, size: 1, value: 0); m.portWrite(0x1F5, size: 1, value: 0)
        m.portWrite(0x1F7, size: 1, value: 0xC8)
        m.portWrite(bmBase, size: 1, value: 0x09)
    }

    @Test func busMasterWindowAndDMA() {
        let m = machine()
        #expect(cfgRead(m, 0x00) == 0x7010_8086)
        #expect(cfgRead(m, 0x20) == 0xC041, "BAR4 = 0xC040, I/O")
        #expect(cfgRead(m, 0x04) & 0xFFFF == 0x0103)
        m.pic.programLikeBIOS(mask: 0x0000)
        // Bus mastering off: the transfer fails with BMISTA error.
        readDMA(m, bmBase: 0xC040, lba: 5)
        #expect(m.portRead(0xC042, size: 1) & 0x02 != 0)
        #expect(m.portRead(0x1F7, size: 1) == 0x51)
        m.portWrite(0xC040, size: 1, value: 0)
        m.portWrite(0xC042, size: 1, value: 0x06)
        cfgWrite(m, 0x04, 0x0107)
        readDMA(m, bmBase: 0xC040, lba: 5)
        #expect(m.portRead(0xC042, size: 1) & 0x07 == 0x04)
        #expect(m.memory.read(at: 0x20000, count: 512) == [UInt8](repeating: 5, count: 512))
        #expect(m.pic.intrAsserted, "IRQ 14 reached the PIC")
        #expect(m.portRead(0x1F7, size: 1) == 0x50)
        // Move BAR4: the window follows; the old ports float.
        let snap = m.snapshot()
        cfgWrite(m, 0x20, 0xD000)
        #expect(m.portRead(0xC044, size: 4) == 0xFFFF_FFFF)
        #expect(m.portRead(0xD004, size: 4) == 0x10000)
        m.restore(snap)
        #expect(m.portRead(0xC044, size: 4) == 0x10000, "restore maps the window back")
        #expect(m.portRead(0xD004, size: 4) == 0xFFFF_FFFF)
        m.portWrite(0xC040, size: 1, value: 0)
        readDMA(m, bmBase: 0xC040, lba: 9)
        #expect(m.memory.read(at: 0x20000, count: 1) == [9])
    }
}
