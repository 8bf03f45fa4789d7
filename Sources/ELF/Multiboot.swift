// Multiboot v1 data structures: the header a kernel carries (and how QEMU finds it),
// the boot information structure, module entries and memory map entries, with their
// byte layouts for writing into guest memory and reading back.

/// Multiboot v1 constants and the header search.
public enum Multiboot {
    /// The header magic a kernel carries.
    public static let headerMagic: UInt32 = 0x1BAD_B002
    /// The value the loader leaves in EAX.
    public static let bootloaderMagic: UInt32 = 0x2BAD_B002
    /// QEMU scans 4-byte-aligned offsets below 8192 - 48 (the header is up to 48 bytes long).
    public static let searchLimit = 8192 - 48
    /// Header flag 0: align modules on 4 KiB pages.
    public static let flagPageAlignModules: UInt32 = 1 << 0
    /// Header flag 1: the kernel wants mem_lower/mem_upper and the memory map.
    public static let flagMemoryInfo: UInt32 = 1 << 1
    /// Header flag 2: the kernel wants a video mode (QEMU ignores it with a warning).
    public static let flagVideoMode: UInt32 = 1 << 2
    /// Header flag 16: the header's address fields give the load layout (the "a.out kludge").
    public static let flagAddressFields: UInt32 = 1 << 16
    /// The required-feature bits (0-15) a loader understands; QEMU provides 0 and 1 (2 is ignored).
    public static let supportedRequiredFlags: UInt32 = flagPageAlignModules | flagMemoryInfo

    /// Finds the Multiboot header the way QEMU does: the first 4-byte-aligned offset below
    /// 8144 holding the magic whose checksum is valid. The header must lie inside the file.
    /// - Throws: `.badChecksum` if only headers with bad checksums were seen, else `.noHeader`.
    public static func findHeader(in bytes: [UInt8], path: String) throws(MultibootError) -> MultibootHeader {
        var badChecksumAt: Int?
        var offset = 0
        while offset < searchLimit, offset + 12 <= bytes.count {
            if bytes.le32(at: offset) == headerMagic, let flags = bytes.le32(at: offset + 4),
               let checksum = bytes.le32(at: offset + 8) {
                if headerMagic &+ flags &+ checksum == 0 {
                    return MultibootHeader(bytes: bytes, offset: offset, flags: flags, checksum: checksum)
                }
                if badChecksumAt == nil { badChecksumAt = offset }
            }
            offset += 4
        }
        if let badChecksumAt { throw .badChecksum(path: path, offset: badChecksumAt) }
        throw .noHeader(path: path)
    }
}

/// A Multiboot v1 header found in a kernel image.
public struct MultibootHeader: Sendable, Equatable {
    /// The file offset of the magic.
    public var offset: Int
    /// The header flags.
    public var flags: UInt32
    /// The checksum field.
    public var checksum: UInt32
    /// header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr: present only when flags
    /// bit 16 is set and the 32-byte header lies inside the file.
    public var addressFields: AddressFields?

    /// The a.out-kludge load layout (flags bit 16).
    public struct AddressFields: Sendable, Equatable {
        /// Physical address of the header's magic.
        public var headerAddr: UInt32
        /// Physical address of the start of the text to load.
        public var loadAddr: UInt32
        /// End of the data to load (0: load to the end of the file).
        public var loadEndAddr: UInt32
        /// End of the bss to zero (0: no bss).
        public var bssEndAddr: UInt32
        /// Where to jump.
        public var entryAddr: UInt32
    }

    init(bytes: [UInt8], offset: Int, flags: UInt32, checksum: UInt32) {
        self.offset = offset
        self.flags = flags
        self.checksum = checksum
        if flags & Multiboot.flagAddressFields != 0,
           let header = bytes.le32(at: offset + 12), let load = bytes.le32(at: offset + 16),
           let loadEnd = bytes.le32(at: offset + 20), let bssEnd = bytes.le32(at: offset + 24),
           let entry = bytes.le32(at: offset + 28) {
            addressFields = AddressFields(headerAddr: header, loadAddr: load, loadEndAddr: loadEnd,
                                          bssEndAddr: bssEnd, entryAddr: entry)
        }
    }

    /// Whether flags bit 16 (use the address fields instead of the ELF headers) is set.
    public var usesAddressFields: Bool { flags & Multiboot.flagAddressFields != 0 }
    /// Required-feature bits (0-15) outside those this loader provides (bits 0 and 1).
    public var unsupportedRequiredFlags: UInt32 { flags & 0xFFFF & ~Multiboot.supportedRequiredFlags }
}

/// One entry of the module list the info structure points to (16 bytes in memory).
public struct MultibootModuleEntry: Sendable, Equatable {
    /// First byte of the module.
    public var start: UInt32
    /// One past the last byte (start + length).
    public var end: UInt32
    /// Address of its NUL-terminated command line.
    public var string: UInt32
    /// Size in guest memory.
    public static let size = 16

    /// Creates an entry.
    public init(start: UInt32, end: UInt32, string: UInt32) {
        self.start = start
        self.end = end
        self.string = string
    }

    /// The 16 bytes: mod_start, mod_end, string, reserved.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.appendLE32(start); out.appendLE32(end); out.appendLE32(string); out.appendLE32(0)
        return out
    }
}

/// One BIOS e820-style memory map entry (24 bytes in memory, with its size field).
public struct MemoryMapEntry: Sendable, Equatable {
    /// Type 1: usable RAM.
    public static let usable: UInt32 = 1
    /// Type 2: reserved.
    public static let reserved: UInt32 = 2
    /// Size in guest memory, including the leading size field.
    public static let size = 24

    /// First address of the range.
    public var base: UInt64
    /// Its length in bytes.
    public var length: UInt64
    /// 1 usable, 2 reserved.
    public var type: UInt32

    /// Creates an entry.
    public init(base: UInt64, length: UInt64, type: UInt32) {
        self.base = base
        self.length = length
        self.type = type
    }

    /// One past the last address.
    public var end: UInt64 { base + length }

    /// The 24 bytes: size (20), base, length, type.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.appendLE32(20); out.appendLE64(base); out.appendLE64(length); out.appendLE32(type)
        return out
    }
}

/// The Multiboot v1 boot information structure (88 bytes, the part QEMU fills in).
public struct MultibootInfo: Sendable, Equatable {
    /// Size in guest memory (up to and including the VBE fields).
    public static let size = 88
    /// The flags QEMU sets: memory, boot device, cmdline, mods, mmap, boot loader name.
    public static let qemuFlags: UInt32 = 0x24F

    /// Which fields are valid.
    public var flags: UInt32 = 0
    /// KiB of memory below 1 MiB.
    public var memLower: UInt32 = 0
    /// KiB of contiguous memory from 1 MiB.
    public var memUpper: UInt32 = 0
    /// BIOS boot device (QEMU: 0x8000ffff).
    public var bootDevice: UInt32 = 0
    /// Address of the kernel command line.
    public var cmdline: UInt32 = 0
    /// Number of modules.
    public var modsCount: UInt32 = 0
    /// Address of the module list.
    public var modsAddr: UInt32 = 0
    /// Length in bytes of the memory map.
    public var mmapLength: UInt32 = 0
    /// Address of the memory map.
    public var mmapAddr: UInt32 = 0
    /// Address of the boot loader's name.
    public var bootLoaderName: UInt32 = 0

    /// Creates an empty structure.
    public init() {}

    /// The 88 bytes as the kernel sees them (fields not listed above are 0).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.appendLE32(flags); out.appendLE32(memLower); out.appendLE32(memUpper)
        out.appendLE32(bootDevice); out.appendLE32(cmdline); out.appendLE32(modsCount)
        out.appendLE32(modsAddr)
        out += [UInt8](repeating: 0, count: 16)         // syms (a.out or ELF section table)
        out.appendLE32(mmapLength); out.appendLE32(mmapAddr)
        out += [UInt8](repeating: 0, count: 12)         // drives_length, drives_addr, config_table
        out.appendLE32(bootLoaderName)
        out += [UInt8](repeating: 0, count: MultibootInfo.size - out.count) // apm_table, vbe_*
        return out
    }

    /// Reads the structure back from its bytes (at least 88), or nil if too short.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count >= MultibootInfo.size,
              let flags = bytes.le32(at: 0), let memLower = bytes.le32(at: 4), let memUpper = bytes.le32(at: 8),
              let bootDevice = bytes.le32(at: 12), let cmdline = bytes.le32(at: 16),
              let modsCount = bytes.le32(at: 20), let modsAddr = bytes.le32(at: 24),
              let mmapLength = bytes.le32(at: 44), let mmapAddr = bytes.le32(at: 48),
              let name = bytes.le32(at: 64)
        else { return nil }
        self.flags = flags; self.memLower = memLower; self.memUpper = memUpper
        self.bootDevice = bootDevice; self.cmdline = cmdline; self.modsCount = modsCount
        self.modsAddr = modsAddr; self.mmapLength = mmapLength; self.mmapAddr = mmapAddr
        self.bootLoaderName = name
    }
}
