// E1000PHY: the 82540EM's internal PHY (an M88E1000-style gigabit copper PHY
// at MDIO address 1) as reached through MDIC: the MII registers QEMU 7.2
// implements, with the values it reports (link up, 1000 Mb/s full duplex).

/// The PHY's register file and the MDIC protocol.
///
/// Registers (MII numbering) and what the guest may do with them:
///
/// | reg | name                   | access | value after reset |
/// | --- | ---------------------- | ------ | ----------------- |
/// | 0   | BMCR control           | RW     | 0x1140 (1000 FD, autoneg enabled) |
/// | 1   | BMSR status            | R      | 0x794D (link up; autoneg not yet complete) |
/// | 2,3 | PHY ID                 | R      | 0x0141, 0x0C20 (Marvell 88E1000 family) |
/// | 4   | ANAR advertisement     | RW     | 0x0DE1 |
/// | 5   | ANLPAR link partner    | R      | 0x01E0 (| 0x4000 ACK after autoneg) |
/// | 6   | ANER expansion         | R      | 0 |
/// | 9   | 1000BASE-T control     | RW     | 0x0E00 |
/// | 10  | 1000BASE-T status      | R      | 0x3C00 |
/// | 16  | PHY specific control   | RW     | 0x0360 |
/// | 17  | PHY specific status    | R      | 0xAC00 |
/// | 20  | ext. PHY spec. control | RW     | 0x0D60 |
/// | 21  | receive error counter  | R      | 0 |
///
/// Any other register, a write to a read-only one, or a PHY address other
/// than 1 sets MDIC.E (error). BMCR bits 15 (reset) and 9 (restart autoneg)
/// self-clear; restarting autonegotiation completes at once here (QEMU takes
/// 500 ms of virtual time, with the link down meanwhile) and raises LSC.
public struct E1000PHY: Equatable, Sendable, Codable {
    public static let address: UInt32 = 1

    static let bmcr = 0, bmsr = 1, anlpar = 5
    static let bmcrLoopback: UInt16 = 0x4000, bmcrAutoneg: UInt16 = 0x1000, bmcrRestartAutoneg: UInt16 = 0x0200
    static let bmsrLinkUp: UInt16 = 0x0004, bmsrAutonegComplete: UInt16 = 0x0020
    static let anlparAck: UInt16 = 0x4000

    static let readable: Set<Int> = [0, 1, 2, 3, 4, 5, 6, 9, 10, 16, 17, 20, 21]
    static let writable: Set<Int> = [0, 4, 9, 16, 20]

    /// The 32 MII registers.
    public var regs: [UInt16]

    public init() {
        var r = [UInt16](repeating: 0, count: 32)
        r[0] = 0x1140; r[1] = 0x794D; r[2] = 0x0141; r[3] = 0x0C20; r[4] = 0x0DE1; r[5] = 0x01E0
        r[9] = 0x0E00; r[10] = 0x3C00; r[16] = 0x0360; r[17] = 0xAC00; r[20] = 0x0D60
        regs = r
    }

    /// BMCR bit 14: transmitted frames loop back to the receiver.
    var loopback: Bool { regs[Self.bmcr] & Self.bmcrLoopback != 0 }

    /// What an MDIC write of `value` does: the new MDIC contents and whether
    /// autonegotiation just completed (the NIC then signals LSC). `previous`
    /// is the old MDIC contents (kept, with E set, on a wrong PHY address).
    mutating func mdicWrite(_ value: UInt32, previous: UInt32) -> (mdic: UInt32, autonegCompleted: Bool) {
        let data = UInt16(truncatingIfNeeded: value)
        let reg = Int((value >> 16) & 0x1F)
        var result = value
        var completed = false
        if (value >> 21) & 0x1F != Self.address {
            result = previous | E1000Reg.mdicError
        } else if value & E1000Reg.mdicOpRead != 0 {
            if Self.readable.contains(reg) {
                result = (value & ~0xFFFF) | UInt32(regs[reg])
            } else {
                result |= E1000Reg.mdicError
            }
        } else if value & E1000Reg.mdicOpWrite != 0 {
            if !Self.writable.contains(reg) {
                result |= E1000Reg.mdicError
            } else if reg == Self.bmcr {
                regs[reg] = data & ~(0x003F | 0x8000 | Self.bmcrRestartAutoneg)
                if regs[reg] & Self.bmcrAutoneg != 0, data & Self.bmcrRestartAutoneg != 0 {
                    regs[Self.bmsr] |= Self.bmsrAutonegComplete
                    regs[Self.anlpar] |= Self.anlparAck
                    completed = true
                }
            } else {
                regs[reg] = data
            }
        }
        return (result | E1000Reg.mdicReady, completed)
    }

    /// Reflects the cable state in BMSR/ANLPAR (as QEMU does on link changes).
    mutating func setLink(up: Bool) {
        if up {
            regs[Self.bmsr] |= Self.bmsrLinkUp
        } else {
            regs[Self.bmsr] &= ~(Self.bmsrLinkUp | Self.bmsrAutonegComplete)
            regs[Self.anlpar] &= ~Self.anlparAck
        }
    }
}
