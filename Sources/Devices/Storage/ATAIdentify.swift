// ATAIdentify: the 512-byte IDENTIFY DEVICE block of the disk model and its
// CHS geometry, modelled on the block QEMU's hw/ide builds for "QEMU HARDDISK"
// (same words, same feature bits): PIO 3/4, multiword DMA 0-2 and Ultra DMA
// 0-5 (the PIIX bus master at BAR4 moves DMA data; the UDMA timing modes
// mean nothing to a model), with the mode chosen by SET FEATURES 03h marked.

/// A disk's logical CHS geometry (QEMU's guess for a disk without a partition
/// table: 16 heads, 63 sectors per track, cylinders from the size, 2...16383).
public struct ATAGeometry: Equatable, Sendable, Codable {
    public var cylinders: Int
    public var heads: Int
    public var sectorsPerTrack: Int

    public init(sectors: UInt64) {
        heads = 16
        sectorsPerTrack = 63
        cylinders = Int(min(16383, max(2, sectors / UInt64(16 * 63))))
    }

    /// Sectors addressable through CHS.
    public var chsSectors: UInt64 { UInt64(cylinders * heads * sectorsPerTrack) }
}

/// Builds IDENTIFY DEVICE data.
public enum ATAIdentify {
    public static let model = "NOOKS-EMU HARDDISK"
    public static let serial = "NE00001"
    public static let firmware = "1.0"

    /// The 256 identify words as the 512 bytes the guest reads (little-endian words).
    ///
    /// | word | value |
    /// | --- | --- |
    /// | 0 | 0x0040 fixed disk |
    /// | 1, 3, 6 | default cylinders, heads, sectors/track |
    /// | 10-19 | serial, 23-26 firmware, 27-46 model (ATA strings: two chars per word, first in the high byte, space padded) |
    /// | 47 | 0x8000 + 16: READ/WRITE MULTIPLE up to 16 sectors |
    /// | 48 | 1: 32-bit PIO |
    /// | 49 | DMA (bit 8), LBA (bit 9), IORDY (bit 11) |
    /// | 53 | words 54-58, 64-70, 88 valid |
    /// | 54-58 | current CHS and its capacity |
    /// | 59 | 0x100 + current multiple count (if set) |
    /// | 60-61 | LBA28 capacity (at most 0x0FFFFFFF) |
    /// | 63 | multiword DMA 0-2 supported, bit 8+n: mode n selected |
    /// | 64-68 | PIO 3/4, cycle times 120 ns |
    /// | 88 | Ultra DMA 0-5 supported, bit 8+n: mode n selected |
    /// | 80-81 | ATA-3..6, minor 0x16 |
    /// | 82-87 | SMART, write cache, NOP; FLUSH CACHE (EXT), LBA48 (enabled in 85/86) |
    /// | 100-103 | LBA48 capacity |
    public static func block(sectors: UInt64, geometry g: ATAGeometry, multipleSectors: Int, writeCache: Bool,
                             transferMode: UInt8 = 0) -> [UInt8] {
        var w = [UInt16](repeating: 0, count: 256)
        w[0] = 0x0040
        w[1] = UInt16(g.cylinders); w[3] = UInt16(g.heads); w[6] = UInt16(g.sectorsPerTrack)
        w[4] = UInt16(truncatingIfNeeded: 512 * g.sectorsPerTrack); w[5] = 512
        put(serial, into: &w, at: 10, words: 10)
        w[20] = 3; w[21] = 512; w[22] = 4
        put(firmware, into: &w, at: 23, words: 4)
        put(model, into: &w, at: 27, words: 20)
        w[47] = 0x8000 | UInt16(ATA.maxMultipleSectors)
        w[48] = 1
        w[49] = 1 << 11 | 1 << 9 | 1 << 8
        w[51] = 0x200; w[52] = 0x200
        w[53] = 1 | 1 << 1 | 1 << 2
        w[54] = UInt16(g.cylinders); w[55] = UInt16(g.heads); w[56] = UInt16(g.sectorsPerTrack)
        let chs = UInt32(truncatingIfNeeded: g.chsSectors)
        w[57] = UInt16(truncatingIfNeeded: chs); w[58] = UInt16(truncatingIfNeeded: chs >> 16)
        if multipleSectors > 0 { w[59] = 0x100 | UInt16(multipleSectors) }
        let lba28 = UInt32(min(sectors, 0x0FFF_FFFF))
        w[60] = UInt16(truncatingIfNeeded: lba28); w[61] = UInt16(truncatingIfNeeded: lba28 >> 16)
        w[63] = 0x07
        w[88] = 0x3F
        if transferMode >> 3 == 4 { w[63] |= 1 << (8 + UInt16(transferMode & 7)) }
        if transferMode >> 3 == 8 { w[88] |= 1 << (8 + UInt16(transferMode & 7)) }
        w[64] = 0x03
        w[65] = 120; w[66] = 120; w[67] = 120; w[68] = 120
        w[80] = 0xF0; w[81] = 0x16
        w[82] = 1 << 14 | 1 << 5 | 1
        w[83] = 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10
        w[84] = 1 << 14
        w[85] = 1 << 14 | (writeCache ? 1 << 5 : 0) | 1
        w[86] = 1 << 13 | 1 << 12 | 1 << 10
        w[87] = 1 << 14
        w[93] = 1 | 1 << 14 | 0x2000
        for i in 0..<4 { w[100 + i] = UInt16(truncatingIfNeeded: sectors >> UInt64(16 * i)) }
        var bytes = [UInt8](repeating: 0, count: 512)
        for (i, v) in w.enumerated() {
            bytes[2 * i] = UInt8(truncatingIfNeeded: v)
            bytes[2 * i + 1] = UInt8(truncatingIfNeeded: v >> 8)
        }
        return bytes
    }

    /// Writes `text` as an ATA string: space padded to `words * 2` characters,
    /// each word holding two characters with the first in its high byte.
    static func put(_ text: String, into w: inout [UInt16], at start: Int, words: Int) {
        var chars = Array(text.utf8.prefix(words * 2))
        chars += [UInt8](repeating: 0x20, count: words * 2 - chars.count)
        for i in 0..<words { w[start + i] = UInt16(chars[2 * i]) << 8 | UInt16(chars[2 * i + 1]) }
    }

    /// Decodes an ATA string back (tests, tools).
    public static func string(_ block: [UInt8], word start: Int, words: Int) -> String {
        var out: [UInt8] = []
        for i in 0..<words {
            out.append(block[2 * (start + i) + 1]); out.append(block[2 * (start + i)])
        }
        return String(decoding: out, as: UTF8.self).trimmingTrailingSpaces()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
