// E1000Registers: register offsets and bit layouts of the Intel 82540EM as far
// as the model implements them (facts from Intel's 8254x Software Developer's
// Manual and QEMU's hw/net/e1000*.c), and the register file the model keeps.

/// Register offsets in the 128 KiB memory BAR (BAR0), and bit layouts.
enum E1000Reg {
    static let ctrl: UInt32 = 0x0000, status: UInt32 = 0x0008, eecd: UInt32 = 0x0010, eerd: UInt32 = 0x0014
    static let ctrlExt: UInt32 = 0x0018, mdic: UInt32 = 0x0020, fcal: UInt32 = 0x0028, fcah: UInt32 = 0x002C
    static let fct: UInt32 = 0x0030, vet: UInt32 = 0x0038
    static let icr: UInt32 = 0x00C0, itr: UInt32 = 0x00C4, ics: UInt32 = 0x00C8, ims: UInt32 = 0x00D0, imc: UInt32 = 0x00D8
    static let rctl: UInt32 = 0x0100, fcttv: UInt32 = 0x0170, txcw: UInt32 = 0x0178
    static let tctl: UInt32 = 0x0400, tipg: UInt32 = 0x0410, ait: UInt32 = 0x0458
    static let ledctl: UInt32 = 0x0E00, pba: UInt32 = 0x1000
    static let fcrtl: UInt32 = 0x2160, fcrth: UInt32 = 0x2168
    static let rdfh: UInt32 = 0x2410, rdft: UInt32 = 0x2418, rdfhs: UInt32 = 0x2420, rdfts: UInt32 = 0x2428, rdfpc: UInt32 = 0x2430
    static let rdbal: UInt32 = 0x2800, rdbah: UInt32 = 0x2804, rdlen: UInt32 = 0x2808, rdh: UInt32 = 0x2810, rdt: UInt32 = 0x2818
    static let rdtr: UInt32 = 0x2820, rxdctl: UInt32 = 0x2828, radv: UInt32 = 0x282C
    static let tdfh: UInt32 = 0x3410, tdft: UInt32 = 0x3418, tdfhs: UInt32 = 0x3420, tdfts: UInt32 = 0x3428, tdfpc: UInt32 = 0x3430
    static let tdbal: UInt32 = 0x3800, tdbah: UInt32 = 0x3804, tdlen: UInt32 = 0x3808, tdh: UInt32 = 0x3810, tdt: UInt32 = 0x3818
    static let tidv: UInt32 = 0x3820, txdctl: UInt32 = 0x3828, tadv: UInt32 = 0x382C
    /// Statistics: 64 dwords from 0x4000, all read-only and clear-on-read.
    static let statsBase: UInt32 = 0x4000, statsCount = 64
    static let rxcsum: UInt32 = 0x5000
    /// Multicast table array: 128 dwords = 4096 hash bits.
    static let mtaBase: UInt32 = 0x5200, mtaCount = 128
    /// Receive addresses: 16 pairs RAL/RAH.
    static let raBase: UInt32 = 0x5400, raCount = 32
    /// VLAN filter table: 128 dwords (stored, not used: VLANs are not modelled).
    static let vftaBase: UInt32 = 0x5600, vftaCount = 128
    static let wuc: UInt32 = 0x5800, wufc: UInt32 = 0x5808, wus: UInt32 = 0x5810, manc: UInt32 = 0x5820
    static let ipav: UInt32 = 0x5838, ip4atBase: UInt32 = 0x5840, ip6atBase: UInt32 = 0x5880, swsm: UInt32 = 0x5B50

    /// Size of the memory BAR (QEMU's PNPMMIO_SIZE).
    static let mmioSize: UInt32 = 0x2_0000
    /// Size of the I/O BAR (IOADDR at 0, IODATA at 4).
    static let ioSize: UInt32 = 0x40

    // CTRL (0x0000)
    //   31 PHY_RST | 30 VME | 28 TFCE | 27 RFCE | 26 RST | 21..18 SWDPIN3..0 |
    //   12 FRCDPLX | 11 FRCSPD | 9..8 SPEED | 6 SLU | 5 ASDE | 3 LRST | 0 FD
    static let ctrlRST: UInt32 = 1 << 26
    static let ctrlPHYRST: UInt32 = 1 << 31
    /// QEMU's CTRL after reset: SWDPIN2 | SWDPIN0 | SPEED=1000 | SLU.
    static let ctrlInitial: UInt32 = 0x0014_0240

    // STATUS (0x0008, read-only)
    //   31 (QEMU sets it) | 19 GIO master enable | 10 MTXCKOK | 9..8 ASDV |
    //   7..6 SPEED (10 = 1000) | 1 LU | 0 FD
    static let statusLU: UInt32 = 1 << 1
    static let statusInitial: UInt32 = 0x8008_0783

    // EECD (0x0010): 9 SIZE | 8 PRES | 7 GNT | 6 REQ | 5..4 FWE | 3 DO | 2 DI | 1 CS | 0 SK
    static let eecdSK: UInt32 = 0x01, eecdCS: UInt32 = 0x02, eecdDI: UInt32 = 0x04, eecdDO: UInt32 = 0x08
    static let eecdFWE: UInt32 = 0x30, eecdREQ: UInt32 = 0x40, eecdGNT: UInt32 = 0x80, eecdPRES: UInt32 = 0x100

    // EERD (0x0014): 31..16 DATA | 15..8 ADDR | 4 DONE | 0 START
    static let eerdStart: UInt32 = 0x01, eerdDone: UInt32 = 0x10

    // MDIC (0x0020):
    //   30 E (error) | 29 I (interrupt on ready) | 28 R (ready) | 27..26 OP (01 write, 10 read) |
    //   25..21 PHYADD | 20..16 REGADD | 15..0 DATA
    static let mdicError: UInt32 = 1 << 30, mdicIntEnable: UInt32 = 1 << 29, mdicReady: UInt32 = 1 << 28
    static let mdicOpWrite: UInt32 = 1 << 26, mdicOpRead: UInt32 = 1 << 27

    // Interrupt causes (ICR/ICS/IMS/IMC):
    //   9 MDAC | 7 RXT0 | 6 RXO | 4 RXDMT0 | 3 RXSEQ | 2 LSC | 1 TXQE | 0 TXDW
    static let icrTXDW: UInt32 = 0x01, icrTXQE: UInt32 = 0x02, icrLSC: UInt32 = 0x04, icrRXDMT0: UInt32 = 0x10
    static let icrRXO: UInt32 = 0x40, icrRXT0: UInt32 = 0x80, icrMDAC: UInt32 = 0x200

    // RCTL (0x0100):
    //   26 SECRC | 25 BSEX | 17..16 BSIZE | 15 BAM | 13..12 MO | 9..8 RDMTS |
    //   7..6 LBM | 5 LPE | 4 MPE | 3 UPE | 2 SBP | 1 EN
    static let rctlEN: UInt32 = 1 << 1, rctlSBP: UInt32 = 1 << 2, rctlUPE: UInt32 = 1 << 3, rctlMPE: UInt32 = 1 << 4
    static let rctlLPE: UInt32 = 1 << 5, rctlBAM: UInt32 = 1 << 15, rctlBSEX: UInt32 = 1 << 25, rctlSECRC: UInt32 = 1 << 26

    // TCTL (0x0400): 21..12 COLD | 11..4 CT | 3 PSP | 1 EN
    static let tctlEN: UInt32 = 1 << 1, tctlPSP: UInt32 = 1 << 3

    // RAH: 31 AV (address valid) | 17..16 ASEL | 15..0 address bytes 5..4
    static let rahAV: UInt32 = 1 << 31

    // Statistics (index = (offset - 0x4000) / 4).
    static let statMPC = 0x10 / 4, statPRC64 = 0x5C / 4, statGPRC = 0x74 / 4, statBPRC = 0x78 / 4
    static let statMPRC = 0x7C / 4, statGPTC = 0x80 / 4, statGORCL = 0x88 / 4, statGOTCL = 0x90 / 4
    static let statRNBC = 0xA0 / 4, statROC = 0xAC / 4, statTORL = 0xC0 / 4, statTOTL = 0xC8 / 4
    static let statTPR = 0xD0 / 4, statTPT = 0xD4 / 4, statPTC64 = 0xD8 / 4, statMPTC = 0xF0 / 4, statBPTC = 0xF4 / 4
    /// The high halves of the 64-bit octet counters: reading one clears both halves.
    static let statHighHalves: Set<Int> = [0x8C / 4, 0x94 / 4, 0xC4 / 4, 0xCC / 4]
    /// The low halves: read without clearing (cleared through their high half).
    static let statLowHalves: Set<Int> = [0x88 / 4, 0x90 / 4, 0xC0 / 4, 0xC8 / 4]

    /// Registers stored as written (masked), with their reset values. `mask == 0`
    /// means read-only. Registers marked (*) read back as 0 under QEMU 7.2,
    /// which ignores them; the model keeps what the guest wrote, as hardware does.
    static let plain: [UInt32: (mask: UInt32, initial: UInt32)] = {
        var t: [UInt32: (mask: UInt32, initial: UInt32)] = [
            pba: (0xFFFF_FFFF, 0x0010_0030), ledctl: (0xFFFF_FFFF, 0x602), manc: (0, 0x0022_2300),
            vet: (0xFFFF_FFFF, 0x8100), swsm: (0xFFFF_FFFF, 0), wufc: (0xFFFF_FFFF, 0), wuc: (0xFFFF_FFFF, 0),
            wus: (0xFFFF_FFFF, 0), ipav: (0xFFFF_FFFF, 0), txdctl: (0xFFFF_FFFF, 0),
            rdtr: (0xFFFF, 0), radv: (0xFFFF, 0), tadv: (0xFFFF, 0), itr: (0xFFFF, 0), ait: (0xFFFF, 0),
            tdfh: (0x7FF, 0), tdft: (0x7FF, 0), tdfhs: (0x1FFF, 0), tdfts: (0x1FFF, 0), tdfpc: (0x1FFF, 0),
            rdfh: (0x1FFF, 0), rdft: (0x1FFF, 0), rdfhs: (0x1FFF, 0), rdfts: (0x1FFF, 0), rdfpc: (0x1FFF, 0),
            // (*) stored here, ignored by QEMU:
            tipg: (0xFFFF_FFFF, 0), ctrlExt: (0xFFFF_FFFF, 0), rxcsum: (0xFFFF_FFFF, 0), tidv: (0xFFFF, 0),
            rxdctl: (0xFFFF_FFFF, 0), fcal: (0xFFFF_FFFF, 0), fcah: (0xFFFF, 0), fct: (0xFFFF, 0),
            fcttv: (0xFFFF, 0), fcrtl: (0xFFFF_FFFF, 0), fcrth: (0xFFFF_FFFF, 0), txcw: (0xFFFF_FFFF, 0),
        ]
        for i in 0..<7 { t[ip4atBase + UInt32(8 * i)] = (0xFFFF_FFFF, 0) }
        for i in 0..<4 { t[ip6atBase + UInt32(4 * i)] = (0xFFFF_FFFF, 0) }
        return t
    }()
}

extension E1000Reg {
    /// The stored registers' offsets in ascending order: `E1000Registers.plain[i]`
    /// holds the register at `plainOffsets[i]` (an array, so snapshots encode
    /// in a fixed order).
    static let plainOffsets: [UInt32] = plain.keys.sorted()
    static let plainIndex: [UInt32: Int] = Dictionary(uniqueKeysWithValues: plainOffsets.enumerated().map { ($1, $0) })
}

/// The 82540EM's register file as the model keeps it: plain data, snapshotted whole.
public struct E1000Registers: Equatable, Sendable, Codable {
    public var ctrl: UInt32 = E1000Reg.ctrlInitial
    public var status: UInt32 = E1000Reg.statusInitial
    public var eerd: UInt32 = 0
    public var mdic: UInt32 = 0
    public var icr: UInt32 = 0
    public var ims: UInt32 = 0
    public var rctl: UInt32 = 0
    public var tctl: UInt32 = 0
    public var rdbal: UInt32 = 0, rdbah: UInt32 = 0, rdlen: UInt32 = 0, rdh: UInt32 = 0, rdt: UInt32 = 0
    public var tdbal: UInt32 = 0, tdbah: UInt32 = 0, tdlen: UInt32 = 0, tdh: UInt32 = 0, tdt: UInt32 = 0
    /// RAL0/RAH0 … RAL15/RAH15.
    public var ra = [UInt32](repeating: 0, count: E1000Reg.raCount)
    public var mta = [UInt32](repeating: 0, count: E1000Reg.mtaCount)
    public var vfta = [UInt32](repeating: 0, count: E1000Reg.vftaCount)
    /// 0x4000–0x40FC, one dword each.
    public var stats = [UInt32](repeating: 0, count: E1000Reg.statsCount)
    /// The other stored registers, in ascending offset order (see `E1000Reg.plain`).
    public var plain: [UInt32] = E1000Reg.plainOffsets.map { E1000Reg.plain[$0]?.initial ?? 0 }
    /// I/O BAR: IOADDR, the register offset IODATA reaches.
    public var ioAddress: UInt32 = 0

    public init() {}

    /// Receive descriptor ring base (RDBAH:RDBAL, 16-byte aligned).
    var rxRingBase: UInt64 { UInt64(rdbah) << 32 | UInt64(rdbal & ~0xF) }
    /// Transmit descriptor ring base.
    var txRingBase: UInt64 { UInt64(tdbah) << 32 | UInt64(tdbal & ~0xF) }
    /// Descriptors in the receive ring (RDLEN / 16).
    var rxRingCount: UInt32 { rdlen / 16 }
    /// Descriptors in the transmit ring.
    var txRingCount: UInt32 { tdlen / 16 }

    /// Adds 1 to a statistics counter, saturating.
    mutating func count(_ index: Int) {
        if stats[index] != .max { stats[index] += 1 }
    }

    /// Adds `n` to a 64-bit statistics counter kept as low/high dwords, saturating.
    mutating func count64(low index: Int, _ n: Int) {
        let value = UInt64(stats[index + 1]) << 32 | UInt64(stats[index])
        let (sum, overflow) = value.addingReportingOverflow(UInt64(max(0, n)))
        let result = overflow ? UInt64.max : sum
        stats[index] = UInt32(truncatingIfNeeded: result)
        stats[index + 1] = UInt32(truncatingIfNeeded: result >> 32)
    }

    /// Counts a packet of `size` bytes (FCS included) in the 64/127/255/511/1023/1522 bins from `first`.
    mutating func countSize(first: Int, _ size: Int) {
        switch size {
        case 1024...: count(first + 5)
        case 512...: count(first + 4)
        case 256...: count(first + 3)
        case 128...: count(first + 2)
        case 65...: count(first + 1)
        case 64: count(first)
        default: break
        }
    }
}
