// Tests for the PCI bus and configuration spaces: mechanism #1 through ports
// 0xCF8/0xCFC, the host bridge, absent functions, BAR sizing and decode
// changes, write masks, RW1C status, snapshots and wild port input.

import Testing
@testable import Devices

@Suite struct PCIBusTests {
    func address(slot: Int, function: Int = 0, register: Int, bus: Int = 0) -> UInt32 {
        0x8000_0000 | UInt32(bus) << 16 | UInt32(slot) << 11 | UInt32(function) << 8 | UInt32(register)
    }

    func configRead(_ bus: PCIBus, slot: Int, function: Int = 0, _ register: Int, size: Int = 4) -> UInt32 {
        bus.write(port: 0xCF8, size: 4, value: address(slot: slot, function: function, register: register & 0xFC))
        return bus.read(port: 0xCFC + UInt16(register & 3), size: size)
    }

    func configWrite(_ bus: PCIBus, slot: Int, _ register: Int, size: Int = 4, _ value: UInt32) {
        bus.write(port: 0xCF8, size: 4, value: address(slot: slot, register: register & 0xFC))
        bus.write(port: 0xCFC + UInt16(register & 3), size: size, value: value)
    }

    func makeNIC() -> E1000 {
        E1000(dmaRead: { _, _ in nil }, dmaWrite: { _, _ in false }, irq: { _ in })
    }

    @Test func hostBridgeIdentifiesAs440FX() {
        let bus = PCIBus()
        bus.programLikeFirmware()
        #expect(configRead(bus, slot: 0, 0x00) == 0x1237_8086)
        #expect(configRead(bus, slot: 0, 0x04) == 0x0000_0103)
        #expect(configRead(bus, slot: 0, 0x08) == 0x0600_0002)
        #expect(configRead(bus, slot: 0, 0x2C) == 0x1100_1AF4)
        #expect(configRead(bus, slot: 0, 0x10) == 0)
    }

    @Test func absentFunctionsReadAllOnesAndIgnoreWrites() {
        let bus = PCIBus()
        bus.attach(makeNIC(), slot: 3)
        #expect(configRead(bus, slot: 0x1F, 0) == 0xFFFF_FFFF)
        #expect(configRead(bus, slot: 3, function: 1, 0) == 0xFFFF_FFFF)   // single-function device
        #expect(configRead(bus, slot: 3, 0, size: 2) == 0x8086)
        bus.write(port: 0xCF8, size: 4, value: address(slot: 3, register: 0, bus: 1))
        #expect(bus.read(port: 0xCFC, size: 4) == 0xFFFF_FFFF)              // bus 1 does not exist
        bus.write(port: 0xCF8, size: 4, value: 0x0000_1800)                 // enable bit clear
        #expect(bus.read(port: 0xCFC, size: 4) == 0xFFFF_FFFF)
        #expect(bus.read(port: 0xCFC, size: 1) == 0xFF)
        configWrite(bus, slot: 0x1F, 0x3C, 0x55)                             // goes nowhere, no trap
    }

    @Test func configAddressIsDwordOnlyAndReadsBack() {
        let bus = PCIBus()
        bus.write(port: 0xCF8, size: 4, value: 0x8000_1800)
        #expect(bus.read(port: 0xCF8, size: 4) == 0x8000_1800)   // as QEMU reads it back
        bus.write(port: 0xCF8, size: 1, value: 0x00)             // byte writes do not touch it
        #expect(bus.read(port: 0xCF8, size: 4) == 0x8000_1800)
        #expect(bus.read(port: 0xCF8, size: 2) == 0xFFFF)
    }

    @Test func byteAndWordAccessesReachTheSelectedDword() {
        let bus = PCIBus()
        bus.attach(makeNIC(), slot: 3)
        bus.write(port: 0xCF8, size: 4, value: address(slot: 3, register: 0))
        // Observed under QEMU 7.2: byte at 0xCFE = 0x0e, word at 0xCFE = 0x100e, byte at 0xCFF = 0x10.
        #expect(bus.read(port: 0xCFE, size: 1) == 0x0E)
        #expect(bus.read(port: 0xCFE, size: 2) == 0x100E)
        #expect(bus.read(port: 0xCFF, size: 1) == 0x10)
        #expect(bus.read(port: 0xCFD, size: 1) == 0x80)
        // A word access at 0xCFF is clipped at the dword's end; the extra byte floats.
        #expect(bus.read(port: 0xCFF, size: 2) == 0xFF10)
    }

    @Test func nicHeaderAfterFirmwareMatchesQEMU() {
        let bus = PCIBus()
        let nic = makeNIC()
        bus.attach(nic, slot: 3)
        nic.programLikeFirmware()
        // Dwords 0x00–0x3C as QEMU 7.2 + SeaBIOS show them for -device e1000,romfile=.
        let expected: [UInt32] = [0x100E_8086, 0x0000_0103, 0x0200_0003, 0, 0xFEBC_0000, 0x0000_C001, 0, 0,
                                  0, 0, 0, 0x1100_1AF4, 0, 0, 0, 0x0000_010B]
        for (i, value) in expected.enumerated() {
            #expect(configRead(bus, slot: 3, i * 4) == value, "register 0x\(String(i * 4, radix: 16))")
        }
        for register in stride(from: 0x40, to: 0x100, by: 4) {
            #expect(configRead(bus, slot: 3, register) == 0)
        }
    }

    @Test func barSizingReadsBackTheSizeMask() {
        let bus = PCIBus()
        let nic = makeNIC()
        bus.attach(nic, slot: 3)
        nic.programLikeFirmware()
        var sizes: [UInt32] = []
        for register in stride(from: 0x10, through: 0x30, by: 4) {
            let old = configRead(bus, slot: 3, register)
            configWrite(bus, slot: 3, register, 0xFFFF_FFFF)
            sizes.append(configRead(bus, slot: 3, register))
            configWrite(bus, slot: 3, register, old)
        }
        // As observed under QEMU 7.2: 128 KiB memory BAR, 64-byte I/O BAR, no others, RO subsystem, no ROM.
        #expect(sizes == [0xFFFE_0000, 0xFFFF_FFC1, 0, 0, 0, 0, 0, 0x1100_1AF4, 0])
        #expect(configRead(bus, slot: 3, 0x10) == 0xFEBC_0000)
        #expect(configRead(bus, slot: 3, 0x14) == 0x0000_C001)
    }

    @Test func barChangesAreReportedForMappingAndUnmapping() {
        let nic = makeNIC()
        var changes: [PCIBARChange] = []
        nic.configSpace.onBARChange = { changes.append($0) }
        nic.programLikeFirmware()
        #expect(changes == [
            PCIBARChange(bar: 0, kind: .memory32, oldBase: nil, newBase: 0xFEBC_0000, size: 0x2_0000),
            PCIBARChange(bar: 1, kind: .io, oldBase: nil, newBase: 0xC000, size: 0x40),
        ])
        changes.removeAll()
        // Sizing: all ones unmaps, the restore maps again.
        nic.configSpace.write(offset: 0x10, size: 4, value: 0xFFFF_FFFF)
        nic.configSpace.write(offset: 0x10, size: 4, value: 0xFEBC_0000)
        #expect(changes.map(\.newBase) == [nil, 0xFEBC_0000])
        changes.removeAll()
        // Moving the BAR reports old and new base.
        nic.configSpace.write(offset: 0x10, size: 4, value: 0xE000_0000)
        #expect(changes == [PCIBARChange(bar: 0, kind: .memory32, oldBase: 0xFEBC_0000, newBase: 0xE000_0000, size: 0x2_0000)])
        changes.removeAll()
        // Memory decoding off unmaps BAR0 only; on again maps it back.
        nic.configSpace.write(offset: 4, size: 2, value: 0x0101)
        #expect(changes == [PCIBARChange(bar: 0, kind: .memory32, oldBase: 0xE000_0000, newBase: nil, size: 0x2_0000)])
        #expect(nic.configSpace.mappings == [PCIBARMapping(bar: 1, kind: .io, base: 0xC000, size: 0x40)])
        changes.removeAll()
        nic.configSpace.write(offset: 4, size: 2, value: 0x0103)
        #expect(changes.map(\.newBase) == [0xE000_0000])
        // A sub-size address is masked to the BAR's alignment.
        nic.configSpace.write(offset: 0x10, size: 4, value: 0xE001_2345)
        #expect(nic.configSpace.read(offset: 0x10, size: 4) == 0xE000_0000)
    }

    @Test func writeMasksAndRW1CStatus() {
        let nic = makeNIC()
        let space = nic.configSpace
        space.write(offset: 0, size: 4, value: 0)                 // IDs are read-only
        #expect(space.read(offset: 0, size: 4) == 0x100E_8086)
        space.write(offset: 4, size: 2, value: 0xFFFF)            // only the implemented command bits stick
        #expect(space.read(offset: 4, size: 2) == 0x0547)
        space.write(offset: 0x3D, size: 1, value: 0x04)           // interrupt pin is read-only
        #expect(space.read(offset: 0x3D, size: 1) == 1)
        space.setStatusBits(PCIConfigSpace.Status.receivedMasterAbort)
        #expect(space.status & 0x2000 != 0)
        space.write(offset: 6, size: 2, value: 0x0000)            // writing 0 keeps it
        #expect(space.status & 0x2000 != 0)
        space.write(offset: 6, size: 2, value: 0x2000)            // writing 1 clears it
        #expect(space.status & 0x2000 == 0)
        #expect(space.read(offset: 0xFE, size: 4) == 0xFFFF_0000)  // past the end floats high
    }

    @Test func snapshotRestoresDecodeWithoutCallbacks() {
        let nic = makeNIC()
        nic.programLikeFirmware()
        let snap = nic.configSpace.snapshot()
        let other = makeNIC()
        var calls = 0
        other.configSpace.onBARChange = { _ in calls += 1 }
        other.configSpace.restore(snap)
        #expect(calls == 0)
        #expect(other.configSpace.mappings == nic.configSpace.mappings)
        #expect(other.configSpace.interruptLine == 11)
        // Read-only bytes come from the device even if the snapshot lies.
        var forged = snap
        forged.bytes[0] = 0x12
        forged.bytes[0x14] = 0x00  // I/O BAR type bit
        other.configSpace.restore(forged)
        #expect(other.configSpace.read(offset: 0, size: 2) == 0x8086)
        #expect(other.configSpace.read(offset: 0x14, size: 4) & 1 == 1)
        other.configSpace.restore(PCIConfigSpace.Snapshot(bytes: [1, 2, 3]))  // short: padded, no trap
        #expect(other.configSpace.read(offset: 0, size: 4) == 0x100E_8086)
    }

    @Test func busSnapshotRoundTrips() {
        let bus = PCIBus()
        bus.programLikeFirmware()
        bus.write(port: 0xCF8, size: 4, value: 0x8000_1804)
        let snap = bus.snapshot()
        let other = PCIBus()
        other.restore(snap)
        #expect(other.snapshot() == snap)
        #expect(other.read(port: 0xCF8, size: 4) == 0x8000_1804)
    }

    @Test func wildPortInputNeverTraps() {
        let bus = PCIBus()
        let nic = makeNIC()
        bus.attach(nic, slot: 3)
        nic.programLikeFirmware()
        var rng = SplitMix64(seed: 0x9C1)
        for _ in 0..<20_000 {
            let port = UInt16(0xCF8 + Int(rng.next() % 8))
            let size = Int(rng.next() % 6)
            if rng.next() & 1 == 0 {
                bus.write(port: port, size: size, value: UInt32(truncatingIfNeeded: rng.next()))
            } else {
                _ = bus.read(port: port, size: size)
            }
        }
        #expect(configRead(bus, slot: 3, 0) == 0x100E_8086)
    }
}
