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
