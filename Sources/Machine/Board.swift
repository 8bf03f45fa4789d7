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
         interruptPin: UInt8 = 0, interruptLine: UInt8? = nil) {
        configSpace = PCIConfigSpace(vendorID: vendor, deviceID: device, revision: revision, classCode: classCode,
                                     headerType: headerType, interruptPin: interruptPin)
        if let line = interruptLine {
            configSpace.write(offset: PCIConfigSpace.Offset.interruptLine, size: 1, value: UInt32(line))
        }
    }

    /// PIIX3 ISA bridge (00:01.0, multi-function), PIIX3 IDE (00:01.1),
    /// PIIX4 ACPI PM (00:01.3, IRQ 9: the SCI).
    static func piix() -> [(slot: Int, function: Int, BoardFunction)] {
        [
            (1, 0, BoardFunction(vendor: 0x8086, device: 0x7000, revision: 0, classCode: 0x06_01_00, headerType: 0x80)),
            (1, 1, BoardFunction(vendor: 0x8086, device: 0x7010, revision: 0, classCode: 0x01_01_80)),
            (1, 3, BoardFunction(vendor: 0x8086, device: 0x7113, revision: 3, classCode: 0x06_80_00,
                                 interruptPin: 1, interruptLine: 9)),
        ]
    }
}

// The IDE function's legacy primary channel: an ATA disk as primary master,
// like `qemu-system-i386 -drive file=disk.img,format=raw,if=ide`. The function
// at 00:01.1 keeps its identity only (class 010180: legacy mode, bus-master
// capable, but BAR4 is not implemented, so there is no DMA: the disk's
// IDENTIFY block advertises PIO only). Without a disk the channel's status
// reads 0, as QEMU's empty channel does.
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
}
