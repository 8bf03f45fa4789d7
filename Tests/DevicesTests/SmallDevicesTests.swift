// Tests for the small devices: isa-debug-exit status mapping, the ACPI PM1a
// control register's soft power-off, and the fixed-date CMOS/RTC.

import Testing
@testable import Devices

@Suite struct DebugExitTests {
    @Test func statusIsValueShiftedLeftOrOne() {
        var statuses: [Int32] = []
        let device = DebugExit(onExit: { statuses.append($0) })
        device.write(port: 0xF4, size: 1, value: 0)
        device.write(port: 0xF4, size: 1, value: 0x10)
        device.write(port: 0xF4, size: 4, value: 0x31)
        #expect(statuses == [1, 0x21, 0x63])
        #expect(device.requestedStatus == 0x63)
    }

    @Test func valueIsTakenAtTheAccessSize() {
        var statuses: [Int32] = []
        let device = DebugExit(onExit: { statuses.append($0) })
        device.write(port: 0xF4, size: 1, value: 0x1234)       // 0x34
        device.write(port: 0xF4, size: 2, value: 0x12_3456)    // 0x3456
        device.write(port: 0xF7, size: 4, value: 0x7FFF_FFFF)  // any port of the region
        device.write(port: 0xF4, size: 4, value: 0xFFFF_FFFF)
        #expect(statuses == [0x69, 0x68AD, -1, -1])
        #expect(DebugExit.status(forWrittenValue: 0x80) & 0xFF == 0x01)  // what a host exit keeps
        #expect(device.read(port: 0xF4, size: 2) == 0xFFFF)
    }

    @Test func snapshotRoundTrip() {
        let device = DebugExit(onExit: { _ in })
        let empty = device.snapshot()
        device.write(port: 0xF4, size: 1, value: 3)
        let saved = device.snapshot()
        device.restore(empty)
        #expect(device.requestedStatus == nil)
        device.restore(saved)
        #expect(device.requestedStatus == 7)
    }
}

@Suite struct PowerControlTests {
    @Test func slpEnWithTypeZeroPowersOff() {
        var offs = 0
        let pm = PowerControl(onPowerOff: { offs += 1 })
        pm.write(port: 0x604, size: 2, value: 0x2001)
        #expect(offs == 1)
        #expect(pm.read(port: 0x604, size: 2) == 0x0001)  // SLP_EN reads 0
        #expect(pm.lastSleepType == 0)
    }

    @Test func otherSleepTypesDoNotPowerOff() {
        var offs = 0
        let pm = PowerControl(onPowerOff: { offs += 1 })
        pm.write(port: 0x604, size: 2, value: 0x2400)  // SLP_TYP 1 (S3 on QEMU)
        #expect(offs == 0)
        #expect(pm.lastSleepType == 1)
        pm.write(port: 0x604, size: 2, value: 0x1C00)  // SLP_TYP 7 without SLP_EN
        #expect(pm.read(port: 0x604, size: 2) == 0x1C00)
        #expect(offs == 0)
    }

    @Test func byteWritesCombineIntoTheRegister() {
        var offs = 0
        let pm = PowerControl(onPowerOff: { offs += 1 })
        pm.write(port: 0x604, size: 1, value: 0x01)
        pm.write(port: 0x605, size: 1, value: 0x20)
        #expect(offs == 1)
        #expect(pm.read(port: 0x604, size: 1) == 0x01)
        #expect(pm.read(port: 0x605, size: 1) == 0x00)
        pm.write(port: 0x606, size: 1, value: 0x20)  // not ours
        #expect(offs == 1)
        #expect(pm.read(port: 0x605, size: 2) == 0xFF00)
    }

    @Test func snapshotRoundTrip() {
        let pm = PowerControl(onPowerOff: {})
        pm.write(port: 0x604, size: 2, value: 0x0401)
        let saved = pm.snapshot()
        pm.write(port: 0x604, size: 2, value: 0x2000)
        pm.restore(saved)
        #expect(pm.snapshot() == saved)
        #expect(pm.read(port: 0x604, size: 2) == 0x0401)
    }
}

@Suite struct CMOSTests {
    func read(_ cmos: CMOS, _ index: UInt8) -> UInt8 {
        cmos.outb(0x70, index)
        return cmos.inb(0x71)
    }

    @Test func fixedDefaultDateInBCD() {
        let cmos = CMOS()
        #expect(read(cmos, 0x00) == 0x00)
        #expect(read(cmos, 0x04) == 0x00)
        #expect(read(cmos, 0x06) == 0x07)  // Saturday
        #expect(read(cmos, 0x07) == 0x01)
        #expect(read(cmos, 0x08) == 0x01)
        #expect(read(cmos, 0x09) == 0x00)
        #expect(read(cmos, 0x32) == 0x20)
        #expect(read(cmos, 0x0B) == 0x02)
        #expect(read(cmos, 0x0D) == 0x80)
    }

    @Test func givenDateAndWeekday() {
        let cmos = CMOS(date: CMOS.DateTime(year: 2003, month: 10, day: 19, hour: 23, minute: 59, second: 58))
        #expect(read(cmos, 0x00) == 0x58)
        #expect(read(cmos, 0x02) == 0x59)
        #expect(read(cmos, 0x04) == 0x23)
        #expect(read(cmos, 0x06) == 0x01)  // 19 Oct 2003 (SOSP) was a Sunday
        #expect(read(cmos, 0x07) == 0x19)
        #expect(read(cmos, 0x08) == 0x10)
        #expect(read(cmos, 0x09) == 0x03)
        #expect(read(cmos, 0x32) == 0x20)
    }

    @Test func clockDoesNotMoveAndUIPIsNeverSet() {
        let cmos = CMOS()
        for _ in 0..<1000 { #expect(read(cmos, 0x0A) & 0x80 == 0) }
        cmos.outb(0x70, 0x0A)
        cmos.outb(0x71, 0xA6)
        #expect(read(cmos, 0x0A) == 0x26)
        #expect(read(cmos, 0x00) == 0x00)
    }

    @Test func ramIsWritableStatusCDAreNot() {
        let cmos = CMOS()
        cmos.outb(0x70, 0x40); cmos.outb(0x71, 0x5A)
        cmos.outb(0x70, 0x0D); cmos.outb(0x71, 0x00)
        cmos.outb(0x70, 0x0C); cmos.outb(0x71, 0xFF)
        #expect(read(cmos, 0x40) == 0x5A)
        #expect(read(cmos, 0x0D) == 0x80)
        #expect(read(cmos, 0x0C) == 0x00)
        cmos.setByte(0x34, 0x12)
        #expect(read(cmos, 0x34) == 0x12 && cmos.byte(0xB4) == 0x12)
    }

    @Test func nmiMaskBitAndIndexWrap() {
        let cmos = CMOS()
        cmos.outb(0x70, 0x8F)
        #expect(cmos.nmiMasked)
        #expect(cmos.inb(0x71) == read(cmos, 0x0F))
        cmos.outb(0x70, 0x0F)
        #expect(!cmos.nmiMasked)
        #expect(cmos.inb(0x70) == 0xFF)
    }

    @Test func snapshotRoundTripAndRepair() {
        let cmos = CMOS()
        cmos.outb(0x70, 0x90); cmos.outb(0x71, 0x77)
        let saved = cmos.snapshot()
        cmos.outb(0x70, 0x10); cmos.outb(0x71, 0x00)
        cmos.restore(saved)
        #expect(cmos.snapshot() == saved)
        #expect(cmos.nmiMasked && cmos.inb(0x71) == 0x77)
        cmos.restore(CMOS.Snapshot(ram: [1, 2, 3], index: 0xFF, nmiMasked: false))
        #expect(cmos.snapshot().ram.count == 128)
        #expect(cmos.inb(0x71) == 0)
    }
}
