// E1000EEPROM: the 82540EM's 64-word serial EEPROM — its contents (MAC
// address, IDs, and a checksum word making words 0x00–0x3F sum to 0xBABA),
// the EERD "start/done" read register, and the Microwire bit-banged interface
// through EECD, with the protocol QEMU implements.

/// The EEPROM and its two access paths.
///
/// Microwire read through EECD (one bit per SK rising edge, MSB first):
///
///     CS ─┐ rising edge: reset the shift state
///     DI  : 1 1 0 a5 a4 a3 a2 a1 a0        (start bit, READ opcode 10, address)
///     DO  : after the 9th bit, each SK falling edge moves to the next data bit;
///           16 bits per word, MSB first, rolling on to the following words.
///
/// EERD (0x14):
///
///     31            16 15         8 7   5 4    3   1  0
///    +----------------+------------+-----+----+-----+---+
///    |      DATA      |    ADDR    |     |DONE|     |STA|
///    +----------------+------------+-----+----+-----+---+
///
/// The read completes at once: reading EERD after writing START returns the
/// word with DONE set (and START clear). Addresses above 0x3F return DONE and
/// no data, as under QEMU.
public struct E1000EEPROM: Equatable, Sendable, Codable {
    public static let wordCount = 64
    /// Index of the checksum word.
    public static let checksumWord = 0x3F
    /// What words 0x00–0x3F must sum to.
    public static let checksumTarget: UInt16 = 0xBABA

    /// The 64 words.
    public var words: [UInt16]

    // Microwire state (QEMU's eecd_state).
    var bitsIn: UInt32 = 0
    var bitCountIn: UInt16 = 0
    var bitOut: UInt16 = 0
    var reading = false
    /// The EECD bits the guest drives: SK, CS, DI, FWE, REQ.
    var driven: UInt32 = 0

    /// The 82540EM image QEMU 7.2 presents (Tables 5-2/5-3 of the manual),
    /// with `mac` in words 0–2, device ID 0x100E in words 11 and 13 and the
    /// checksum in word 0x3F (0x79AD for QEMU's default MAC, as observed).
    public init(mac: MACAddress = .qemuDefault, deviceID: UInt16 = 0x100E) {
        var w: [UInt16] = [
            0x0000, 0x0000, 0x0000, 0x0000, 0xFFFF, 0x0000, 0x0000, 0x0000,
            0x3000, 0x1000, 0x6403, deviceID, 0x8086, deviceID, 0x8086, 0x3040,
            0x0008, 0x2000, 0x7E14, 0x0048, 0x1000, 0x00D8, 0x0000, 0x2700,
            0x6CC9, 0x3150, 0x0722, 0x040B, 0x0984, 0x0000, 0xC000, 0x0706,
            0x1008, 0x0000, 0x0F04, 0x7FFF, 0x4D01, 0xFFFF, 0xFFFF, 0xFFFF,
            0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
            0x0100, 0x4000, 0x121C, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
            0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0x0000,
        ]
        for i in 0..<3 {
            w[i] = UInt16(mac.bytes[2 * i + 1]) << 8 | UInt16(mac.bytes[2 * i])
        }
        var sum: UInt16 = 0
        for i in 0..<Self.checksumWord { sum &+= w[i] }
        w[Self.checksumWord] = Self.checksumTarget &- sum
        words = w
    }

    /// The MAC address in words 0–2.
    public var mac: MACAddress {
        MACAddress((0..<3).flatMap { [UInt8(truncatingIfNeeded: words[$0]), UInt8(truncatingIfNeeded: words[$0] >> 8)] })
    }

    /// Word `index`, or 0xFFFF past the end (never traps).
    func word(_ index: Int) -> UInt16 {
        (0..<words.count).contains(index) ? words[index] : 0xFFFF
    }

    // MARK: EERD

    /// The value an EERD read returns when the register holds `eerd`.
    func readEERD(_ eerd: UInt32) -> UInt32 {
        guard eerd & E1000Reg.eerdStart != 0 else { return eerd }
        let r = eerd & ~E1000Reg.eerdStart & 0xFFFF
        let address = Int(r >> 8)
        guard address <= Self.checksumWord else { return E1000Reg.eerdDone | r }
        return UInt32(word(address)) << 16 | E1000Reg.eerdDone | r
    }

    // MARK: Microwire through EECD

    /// The value an EECD read returns: PRES and GNT always (the EEPROM is
    /// present and software always owns it), the driven bits, and DO.
    func readEECD() -> UInt32 {
        var value = E1000Reg.eecdPRES | E1000Reg.eecdGNT | driven
        let w = Int(bitOut >> 4) & 0x3F
        let bit = (bitOut & 0xF) ^ 0xF
        if !reading || (word(w) >> bit) & 1 != 0 { value |= E1000Reg.eecdDO }
        return value
    }

    /// An EECD write: latches the driven bits and steps the Microwire state
    /// machine on CS and SK edges.
    mutating func writeEECD(_ value: UInt32) {
        let old = driven
        driven = value & (E1000Reg.eecdSK | E1000Reg.eecdCS | E1000Reg.eecdDI | E1000Reg.eecdFWE | E1000Reg.eecdREQ)
        guard value & E1000Reg.eecdCS != 0 else { return }       // deselected: nothing to do
        if (value ^ old) & E1000Reg.eecdCS != 0 {                 // CS rising edge: new command
            bitsIn = 0
            bitCountIn = 0
            bitOut = 0
            reading = false
        }
        guard (value ^ old) & E1000Reg.eecdSK != 0 else { return } // no clock edge
        guard value & E1000Reg.eecdSK != 0 else {                  // falling edge: next output bit
            bitOut &+= 1
            return
        }
        bitsIn = bitsIn << 1 | (value & E1000Reg.eecdDI != 0 ? 1 : 0)
        bitCountIn &+= 1
        if bitCountIn == 9, !reading {
            // start bit, 2-bit opcode, 6-bit address; opcode 0b110 with the start bit = READ
            bitOut = UInt16(truncatingIfNeeded: (bitsIn & 0x3F) << 4) &- 1
            reading = (bitsIn >> 6) & 7 == 0b110
        }
    }

    /// Back to idle (device reset): the contents stay.
    mutating func resetInterface() {
        bitsIn = 0
        bitCountIn = 0
        bitOut = 0
        reading = false
        driven = 0
    }
}
