// Tests for the e1000's register interface: reset values (as QEMU 7.2 shows
// them), the EEPROM through EERD and bit-banged EECD, MDIC/PHY, interrupts,
// device reset, the I/O BAR, odd access sizes and statistics.

import Testing
@testable import Devices

@Suite struct E1000RegisterTests {
    @Test func resetValuesMatchQEMU() {
        let rig = NICRig()
        #expect(rig.r(Reg.ctrl) == 0x0014_0240)
        #expect(rig.r(Reg.status) == 0x8008_0783)
        #expect(rig.r(Reg.eecd) == 0x0000_0188)
        #expect(rig.r(0x38) == 0x8100)              // VET
        #expect(rig.r(0xE00) == 0x602)              // LEDCTL
        #expect(rig.r(0x1000) == 0x0010_0030)       // PBA
        #expect(rig.r(0x5820) == 0x0022_2300)       // MANC
        #expect(rig.r(Reg.ral0) == 0x1200_5452)
        #expect(rig.r(Reg.rah0) == 0x8000_5634)
        #expect(rig.r(Reg.icr) == 0 && rig.r(Reg.ims) == 0 && rig.r(Reg.rctl) == 0 && rig.r(Reg.tctl) == 0)
        #expect(rig.r(0x7FFC) == 0)                 // unknown registers read 0
        #expect(rig.nic.linkUp)
    }

    /// EEPROM words as QEMU 7.2's e1000 returns them through EERD.
    static let qemuEEPROM: [UInt16] = [
        0x5452, 0x1200, 0x5634, 0x0000, 0xFFFF, 0x0000, 0x0000, 0x0000, 0x3000, 0x1000, 0x6403, 0x100E,
        0x8086, 0x100E, 0x8086, 0x3040, 0x0008, 0x2000, 0x7E14, 0x0048, 0x1000, 0x00D8, 0x0000, 0x2700,
        0x6CC9, 0x3150, 0x0722, 0x040B, 0x0984, 0x0000, 0xC000, 0x0706, 0x1008, 0x0000, 0x0F04, 0x7FFF,
        0x4D01, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
        0x0100, 0x4000, 0x121C, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
        0xFFFF, 0xFFFF, 0xFFFF, 0x79AD,
    ]

    @Test func eerdReadsTheMACAndTheChecksumSumsToBABA() {
        let rig = NICRig()
        var words: [UInt16] = []
        for a in 0..<64 {
            rig.w(Reg.eerd, UInt32(a) << 8 | 1)
            let v = rig.r(Reg.eerd)
            #expect(v & 0x10 != 0 && v & 1 == 0 && (v >> 8) & 0xFF == UInt32(a), "EERD \(a): \(String(v, radix: 16))")
            words.append(UInt16(v >> 16))
        }
        #expect(words == Self.qemuEEPROM)
        #expect(words.reduce(UInt16(0), &+) == 0xBABA)
        let mac = words[0..<3].flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(MACAddress(mac) == .qemuDefault)
        // Past the end: DONE, no data. Without START: the register as written.
        rig.w(Reg.eerd, 0x40 << 8 | 1)
        #expect(rig.r(Reg.eerd) == 0x4010)
        rig.w(Reg.eerd, 0x0300)
        #expect(rig.r(Reg.eerd) == 0x0300)
    }

    @Test func otherMACsGetAValidChecksum() {
        let eeprom = E1000EEPROM(mac: MACAddress([0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE]))
        #expect(eeprom.words.reduce(UInt16(0), &+) == 0xBABA)
        #expect(eeprom.mac == MACAddress([0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE]))
    }

    /// Reads `count` words starting at `address` the way Linux's e1000 driver
    /// bit-bangs a Microwire EEPROM (request, CS, opcode 110 + address, 16 bits per word).
    func bitBang(_ rig: NICRig, address: Int, count: Int) -> [UInt16] {
        let SK: UInt32 = 1, CS: UInt32 = 2, DI: UInt32 = 4, DO: UInt32 = 8
        var eecd = rig.r(Reg.eecd) & ~(SK | DI)
        eecd |= CS
        rig.w(Reg.eecd, eecd)
        func clock() {
            rig.w(Reg.eecd, eecd | SK)
            rig.w(Reg.eecd, eecd)
        }
        let command = 0b110 << 6 | address
        for bit in (0..<9).reversed() {
            if (command >> bit) & 1 != 0 { eecd |= DI } else { eecd &= ~DI }
            rig.w(Reg.eecd, eecd)
            clock()
        }
        eecd &= ~DI
        var words: [UInt16] = []
        for _ in 0..<count {
            var word: UInt16 = 0
            for _ in 0..<16 {
                rig.w(Reg.eecd, eecd | SK)
                word = word << 1 | (rig.r(Reg.eecd) & DO != 0 ? 1 : 0)
                rig.w(Reg.eecd, eecd)
            }
            words.append(word)
        }
        rig.w(Reg.eecd, eecd & ~CS)
        return words
    }

    @Test func bitBangedMicrowireReadsMatchEERD() {
        let rig = NICRig()
        #expect(bitBang(rig, address: 0, count: 3) == Array(Self.qemuEEPROM[0..<3]))
        #expect(bitBang(rig, address: 0x3F, count: 1) == [0x79AD])
        #expect(bitBang(rig, address: 10, count: 6) == Array(Self.qemuEEPROM[10..<16]))  // sequential read
        #expect(rig.r(Reg.eecd) & 0x180 == 0x180)  // PRES | GNT
    }

    @Test func mdicReadsThePHYLikeQEMU() {
        let rig = NICRig()
        // Observed under QEMU 7.2: (register, MDIC after the read).
        let observed: [(Int, UInt32)] = [
            (0, 0x1820_1140), (1, 0x1821_794D), (2, 0x1822_0141), (3, 0x1823_0C20), (4, 0x1824_0DE1),
            (5, 0x1825_01E0), (6, 0x1826_0000), (7, 0x5827_0000), (9, 0x1829_0E00), (10, 0x182A_3C00),
            (16, 0x1830_0360), (17, 0x1831_AC00), (20, 0x1834_0D60), (21, 0x1835_0000), (31, 0x583F_0000),
        ]
        for (reg, value) in observed {
            rig.w(Reg.mdic, 2 << 26 | 1 << 21 | UInt32(reg) << 16)
            #expect(rig.r(Reg.mdic) == value, "PHY register \(reg)")
        }
        // Wrong PHY address: the previous contents with E set.
        rig.w(Reg.mdic, 2 << 26 | 2 << 21 | 1 << 16)
        #expect(rig.r(Reg.mdic) == 0x583F_0000)
    }

    @Test func restartingAutonegotiationCompletesAndSignalsLinkChange() {
        let rig = NICRig()
        rig.w(Reg.ims, Cause.lsc | Cause.mdac)
        rig.w(Reg.mdic, 1 << 26 | 1 << 21 | 0 << 16 | 0x1340)  // BMCR: autoneg enable + restart
        #expect(rig.r(Reg.mdic) & 0x1000_0000 != 0)
        #expect(rig.irq.level)
        #expect(rig.r(Reg.icr) == Cause.lsc)
        rig.w(Reg.mdic, 2 << 26 | 1 << 21 | 1 << 16)
        #expect(rig.r(Reg.mdic) & 0xFFFF == 0x796D)              // BMSR now has autoneg complete
        rig.w(Reg.mdic, 2 << 26 | 1 << 21 | 0 << 16)
        #expect(rig.r(Reg.mdic) & 0xFFFF == 0x1140)              // restart bit self-cleared
        rig.w(Reg.mdic, 1 << 26 | 1 << 21 | 1 << 16 | 0xFFFF)   // BMSR is read-only: error
        #expect(rig.r(Reg.mdic) & 0x4000_0000 != 0)
        rig.w(Reg.mdic, 1 << 29 | 2 << 26 | 1 << 21 | 2 << 16)  // I bit: MDAC
        #expect(rig.r(Reg.icr) == Cause.mdac)
    }

    @Test func interruptCausesMasksAndTheLevelTriggeredLine() {
        let rig = NICRig()
        rig.w(Reg.ics, 0x5)
        #expect(rig.r(Reg.ics) == 0x5)           // ICS reads like ICR (QEMU)
        #expect(!rig.irq.level)                  // masked
        rig.w(Reg.ims, 0x9F)
        #expect(rig.r(Reg.ims) == 0x9F)
        #expect(rig.irq.level)
        rig.w(Reg.imc, 0x3)
        #expect(rig.r(Reg.ims) == 0x9C)
        #expect(rig.irq.level)                   // 0x5 & 0x9C == 0x4 (LSC): still pending
        #expect(rig.r(Reg.icr) == 0x5)           // read clears
        #expect(rig.r(Reg.icr) == 0)
        #expect(!rig.nic.irqAsserted)
        rig.w(Reg.ics, Cause.rxt0 | Cause.txdw)
        rig.w(Reg.icr, Cause.rxt0)               // write-1-to-clear
        #expect(rig.r(Reg.ics) == Cause.txdw)
        #expect(rig.irq.risingEdges == 2)
    }

    @Test func intxDisableGatesTheLineAndStatusShowsThePendingInterrupt() {
        let rig = NICRig()
        rig.w(Reg.ims, Cause.txdw)
        rig.w(Reg.ics, Cause.txdw)
        #expect(rig.irq.level)
        #expect(rig.nic.configSpace.status & 0x8 != 0)
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0507)  // INTx disable
        #expect(!rig.irq.level)
        #expect(rig.nic.configSpace.status & 0x8 != 0)               // still pending inside
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0107)
        #expect(rig.irq.level)
    }

    @Test func ctrlResetRestoresDefaultsAndSelfClears() {
        let rig = NICRig()
        rig.setUpTX()
        rig.setUpRX()
        rig.w(Reg.ims, 0xFF)
        rig.w(Reg.ics, Cause.txdw)
        rig.w(Reg.mta, 0xDEAD)
        rig.w(Reg.ral0, 0x0403_0201)
        #expect(rig.irq.level)
        rig.w(Reg.ctrl, rig.r(Reg.ctrl) | 1 << 26)
        #expect(rig.r(Reg.ctrl) == 0x0014_0240)
        #expect(rig.r(Reg.status) == 0x8008_0783)
        #expect(rig.r(Reg.rctl) == 0 && rig.r(Reg.tctl) == 0 && rig.r(Reg.ims) == 0 && rig.r(Reg.icr) == 0)
        #expect(rig.r(Reg.tdlen) == 0 && rig.r(Reg.rdt) == 0 && rig.r(Reg.mta) == 0)
        #expect(rig.r(Reg.ral0) == 0x1200_5452)   // reloaded from the EEPROM
        #expect(!rig.irq.level)
        #expect(rig.nic.configSpace.mappings.count == 2)  // PCI state untouched
    }

    @Test func registerWidthsAndMasks() {
        let rig = NICRig()
        rig.w(Reg.rdlen, 0x12345)
        #expect(rig.r(Reg.rdlen) == 0x12300)     // as QEMU: 0xfff80 mask
        rig.w(Reg.rdh, 0x123456)
        #expect(rig.r(Reg.rdh) == 0x3456)        // 16 bits
        rig.w(Reg.tipg, 0x0060_2008)
        #expect(rig.r(Reg.tipg) == 0x0060_2008)  // stored (QEMU ignores TIPG: reads 0)
        rig.w(Reg.status, 0)
        #expect(rig.r(Reg.status) == 0x8008_0783)
        rig.w(0x5820, 0)                          // MANC is read-only
        #expect(rig.r(0x5820) == 0x0022_2300)
    }

    @Test func narrowAccessesSeeTheRegisterBytes() {
        let rig = NICRig()
        #expect(rig.nic.mmioRead(offset: Reg.status + 1, size: 1) == 0x07)
        #expect(rig.nic.mmioRead(offset: Reg.status + 2, size: 2) == 0x8008)
        rig.nic.mmioWrite(offset: Reg.tipg + 1, size: 1, value: 0xAB)
        #expect(rig.r(Reg.tipg) == 0x0000_AB00)
        rig.w(Reg.ims, 0xFF)
        rig.w(Reg.ics, 0xFF)
        rig.nic.mmioWrite(offset: Reg.icr, size: 1, value: 0x01)  // clears only bit 0
        #expect(rig.r(Reg.ics) == 0xFE)
        #expect(rig.nic.mmioRead(offset: 0x1_FFFF, size: 4) == 0)  // last byte of the window
        rig.nic.mmioWrite(offset: 0xFFFF_FFFF, size: 7, value: 1)  // wild: masked into the window
    }

    @Test func ioBarReachesRegistersThroughIOADDRAndIODATA() {
        let rig = NICRig()
        rig.nic.write(port: 0xC000, size: 4, value: Reg.status)
        #expect(rig.nic.read(port: 0xC000, size: 4) == Reg.status)
        #expect(rig.nic.read(port: 0xC004, size: 4) == 0x8008_0783)
        rig.nic.write(port: 0xC000, size: 4, value: Reg.ims)
        rig.nic.write(port: 0xC004, size: 4, value: 0x80)
        #expect(rig.r(Reg.ims) == 0x80)
        #expect(rig.nic.read(port: 0xC008, size: 4) == 0)        // reserved
        #expect(rig.nic.read(port: 0xC100, size: 4) == 0xFFFF_FFFF)  // outside the BAR
        rig.nic.configSpace.write(offset: 4, size: 2, value: 0x0106)  // I/O decoding off
        #expect(rig.nic.read(port: 0xC004, size: 4) == 0xFFFF_FFFF)
    }

    @Test func statisticsClearOnRead() {
        let rig = NICRig()
        rig.setUpTX()
        rig.transmit(Frames.arpRequest(for: .qemuHost))
        rig.transmit(Frames.arpRequest(for: .qemuHost))
        #expect(rig.r(Reg.gptc) == 2)
        #expect(rig.r(Reg.gptc) == 0)
        #expect(rig.r(Reg.tpt) == 2)
        #expect(rig.r(0x4090) == 128)   // GOTCL: 2 × (60 + 4), not cleared by reading the low half
        #expect(rig.r(0x4090) == 128)
        #expect(rig.r(0x4094) == 0)     // GOTCH read clears both halves
        #expect(rig.r(0x4090) == 0)
        #expect(rig.r(0x40F4) == 2)     // BPTC
        #expect(rig.r(0x40D8) == 2)     // PTC64
    }

    @Test func linkChangesRaiseLSC() {
        let rig = NICRig()
        rig.w(Reg.ims, Cause.lsc)
        rig.nic.setLink(up: false)
        #expect(rig.r(Reg.status) & 2 == 0)
        #expect(rig.r(Reg.icr) == Cause.lsc)
        rig.nic.setLink(up: false)   // no change, no cause
        #expect(rig.r(Reg.icr) == 0)
        rig.nic.setLink(up: true)
        #expect(rig.r(Reg.status) & 2 != 0)
        #expect(rig.irq.level)
    }
}
