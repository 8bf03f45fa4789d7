// The fixed PCI functions of the board, as on QEMU's `pc` machine (i440FX +
// PIIX3/PIIX4): the ISA bridge, the IDE function and the ACPI power-management
// function (whose PM1a control register at 0x604 is the machine's power-off).
// They present their identity in configuration space; the devices behind them
// (PIC, PIT, debug-exit, PM1a) are the machine's port devices. Compare with
// `qemu-system-i386 -vga none`, which has the same functions at the same slots.

import Devices

final class BoardFunction: PCIFunction {
    let configSpace: PCIConfigSpace

    init(vendor: UInt16, device: UInt16, revision: UInt8, classCode: UInt32, headerType: UInt8 = 0,
         interruptPin: UInt8 = 0, interruptLine: UInt8? = nil, bars: [PCIBARDescriptor?] = []) {
        configSpace = PCIConfigSpace(vendorID: vendor, deviceID: device, revision: revision, classCode: classCode,
                                     headerType: headerType, interruptPin: interruptPin, bars: bars)
        if let line = interruptLine {
            configSpace.write(offset: PCIConfigSpace.Offset.interruptLine, size: 1, value: UInt32(line))
        }
    }

    /// PIIX3 ISA bridge (00:01.0, multi-function), PIIX3 IDE (00:01.1, BAR4:
    /// the 16-port bus-master window), PIIX4 ACPI PM (00:01.3, IRQ 9: the SCI).
    static func piix() -> [(slot: Int, function: Int, BoardFunction)] {
        [
            (1, 0, BoardFunction(vendor: 0x8086, device: 0x7000, revision: 0, classCode: 0x06_01_00, headerType: 0x80)),
            (1, 1, BoardFunction(vendor: 0x8086, device: 0x7010, revision: 0, classCode: 0x01_01_80,
                                 bars: [nil, nil, nil, nil, PCIBARDescriptor(kind: .io, size: 16)])),
            (1, 3, BoardFunction(vendor: 0x8086, device: 0x7113, revision: 3, classCode: 0x06_80_00,
                                 interruptPin: 1, interruptLine: 9)),
        ]
    }
}

// The IDE function's legacy primary channel: an ATA disk as primary master,
// like `qemu-system-i386 -drive file=disk.img,format=raw,if=ide`. The function
// at 00:01.1 has QEMU's identity (class 010180: legacy mode, bus-master
// capable) and its BAR4 bus-master window, which firmware puts at 0xC040 (as
// SeaBIOS does under QEMU 7.2 with -vga none: `info pci` shows BAR4 I/O at
// 0xc040) with command 0x0103; bus mastering stays off until the guest's
// driver enables it. The secondary channel has no devices and no ports.
// Without a disk the primary channel's status reads 0, as QEMU's empty one.
extension Machine {
    /// The primary channel's IRQ line (legacy mode: 14).
    public static let ideIRQ = 14

    func makeIDEChannel() -> IDEChannel {
        let ch = IDEChannel(irq: { [unowned self] level in self.pic.setIRQ(Machine.ideIRQ, level: level) })
        bus.map(0x1F0...0x1F7, to: ch)
        bus.map(0x3F6...0x3F6, to: ch)
        return ch
    }

    /// Attaches `backend` as the primary master disk (before the guest runs).
    /// The machine's snapshots do not include the disk's contents.
    public func attachDisk(_ backend: any BlockBackend) {
        ide.attach(backend)
    }

    /// Where firmware puts the IDE function's bus-master window (BAR4).
    public static let ideBusMasterBase: UInt16 = 0xC040

    /// Gives the IDE function's BAR4 its port window and DMA its view of RAM,
    /// then programs the function as firmware leaves it.
    func wireIDEBusMaster(_ f: BoardFunction) {
        let bm = IDEBusMaster(channel: ide)
        ide.dmaRead = { [unowned self] a, n in self.memory.isRAM(a, count: n) ? self.memory.read(at: UInt32(a), count: n) : nil }
        ide.dmaWrite = { [unowned self] a, b in self.memory.isRAM(a, count: b.count) && self.memory.write(b, at: UInt32(a)) }
        ide.dmaAllowed = { [unowned f] in f.configSpace.busMasterEnabled }
        f.configSpace.onBARChange = { [unowned self, unowned bm] c in
            if let o = c.oldBase { self.unmapBusMaster(o, bm) }
            if let n = c.newBase { self.mapBusMaster(n, bm) }
        }
        ideFunction = f
        ideBusMaster = bm
        f.configSpace.write(offset: PCIConfigSpace.Offset.bar0 + 16, size: 4, value: UInt32(Machine.ideBusMasterBase))
        f.configSpace.write(offset: PCIConfigSpace.Offset.command, size: 2, value: 0x0103)
    }

    func mapBusMaster(_ base: UInt32, _ bm: IDEBusMaster) {
        guard base >= 0x1000, base + 15 <= 0xFFFF else { return }
        bm.base = UInt16(base)
        bus.map(UInt16(base)...UInt16(base + 15), to: bm)
    }

    func unmapBusMaster(_ base: UInt32, _ bm: IDEBusMaster) {
        guard base >= 0x1000, base + 15 <= 0xFFFF else { return }
        bus.unmap(UInt16(base)...UInt16(base + 15))
    }
}
