// The memory map a QEMU "pc" machine's SeaBIOS reports through e820, which QEMU's
// Multiboot option ROM copies into the info structure. Observed with QEMU 7.2 and
// SeaBIOS 1.16.2 for -m 8 ... 1000: the same six entries, the last 128 KiB of RAM reserved.

/// The e820 map and mem_lower/mem_upper a Multiboot kernel sees on a PC with `memoryBytes` of RAM.
public enum PCMemoryMap {
    /// End of conventional memory below the 1 KiB EBDA (639 KiB).
    public static let conventionalEnd: UInt64 = 0x9_FC00
    /// End of the EBDA.
    public static let ebdaEnd: UInt64 = 0xA_0000
    /// The BIOS area reported reserved (0xF0000-0x100000).
    public static let biosAreaStart: UInt64 = 0xF_0000
    /// Start of extended memory.
    public static let extendedStart: UInt64 = 0x10_0000
    /// SeaBIOS keeps the top 128 KiB of RAM for its tables and reports it reserved.
    public static let topReserve: UInt64 = 0x2_0000
    /// The BIOS ROM alias below 4 GiB (256 KiB), reported reserved.
    public static let biosROMStart: UInt64 = 0xFFFC_0000
    /// RAM beyond this (3 GiB) would sit above 4 GiB on a PC; it is left out.
    public static let maximumLowMemory: UInt64 = 0xC000_0000

    /// The end of usable extended memory (RAM size rounded down to 4 KiB, less the top 128 KiB).
    public static func usableTop(memoryBytes: UInt64) -> UInt64 {
        let ram = min(memoryBytes, maximumLowMemory) & ~0xFFF
        return ram > extendedStart + topReserve ? ram - topReserve : extendedStart
    }

    /// The map, in the order SeaBIOS gives it.
    public static func entries(memoryBytes: UInt64) -> [MemoryMapEntry] {
        let top = usableTop(memoryBytes: memoryBytes)
        var map = [
            MemoryMapEntry(base: 0, length: conventionalEnd, type: MemoryMapEntry.usable),
            MemoryMapEntry(base: conventionalEnd, length: ebdaEnd - conventionalEnd, type: MemoryMapEntry.reserved),
            MemoryMapEntry(base: biosAreaStart, length: extendedStart - biosAreaStart, type: MemoryMapEntry.reserved),
        ]
        if top > extendedStart {
            map.append(MemoryMapEntry(base: extendedStart, length: top - extendedStart, type: MemoryMapEntry.usable))
            map.append(MemoryMapEntry(base: top, length: topReserve, type: MemoryMapEntry.reserved))
        }
        map.append(MemoryMapEntry(base: biosROMStart, length: (1 << 32) - biosROMStart, type: MemoryMapEntry.reserved))
        return map
    }

    /// mem_lower in KiB (QEMU's option ROM takes it from INT 12h: 639).
    public static let memLowerKiB: UInt32 = UInt32(conventionalEnd / 1024)

    /// mem_upper in KiB: contiguous usable memory from 1 MiB.
    public static func memUpperKiB(memoryBytes: UInt64) -> UInt32 {
        UInt32((usableTop(memoryBytes: memoryBytes) - extendedStart) / 1024)
    }
}
