// Test support: applies a BootPlan to a sparse model of guest RAM and reads structures
// back, the way a kernel would see them.

@testable import ELF

/// Sparse guest physical memory: 4 KiB pages created on first write, zero elsewhere.
struct GuestImage {
    private var pages: [UInt32: [UInt8]] = [:]

    /// Writes every segment and zero fill of `plan`.
    init(_ plan: BootPlan) {
        for segment in plan.segments { write(segment.bytes, at: segment.address) }
        for fill in plan.zeroFill { write([UInt8](repeating: 0, count: Int(fill.length)), at: fill.address) }
    }

    mutating func write(_ bytes: [UInt8], at address: UInt32) {
        for (i, byte) in bytes.enumerated() {
            let a = address &+ UInt32(i)
            pages[a >> 12, default: [UInt8](repeating: 0, count: 4096)][Int(a & 0xFFF)] = byte
        }
    }

    func byte(_ address: UInt32) -> UInt8 { pages[address >> 12]?[Int(address & 0xFFF)] ?? 0 }
    func bytes(_ address: UInt32, _ count: Int) -> [UInt8] { (0..<count).map { byte(address &+ UInt32($0)) } }
    func u32(_ address: UInt32) -> UInt32 { bytes(address, 4).le32(at: 0)! }
    func u64(_ address: UInt32) -> UInt64 { UInt64(u32(address)) | UInt64(u32(address + 4)) << 32 }

    /// The NUL-terminated string at `address`.
    func string(_ address: UInt32) -> String {
        var out: [UInt8] = []
        var a = address
        while byte(a) != 0 && out.count < 4096 { out.append(byte(a)); a += 1 }
        return String(decoding: out, as: UTF8.self)
    }

    /// The info structure at `address`.
    func info(_ address: UInt32) -> MultibootInfo? { MultibootInfo(decoding: bytes(address, MultibootInfo.size)) }

    /// The memory map as the kernel walks it (size field, then base/length/type).
    func memoryMap(_ info: MultibootInfo) -> [MemoryMapEntry] {
        var entries: [MemoryMapEntry] = []
        var a = info.mmapAddr
        while a < info.mmapAddr + info.mmapLength {
            let size = u32(a)
            entries.append(MemoryMapEntry(base: u64(a + 4), length: u64(a + 12), type: u32(a + 20)))
            a += size + 4
        }
        return entries
    }

    /// The module list as the kernel reads it.
    func modules(_ info: MultibootInfo) -> [MultibootModuleEntry] {
        (0..<info.modsCount).map { i in
            let a = info.modsAddr + i * 16
            return MultibootModuleEntry(start: u32(a), end: u32(a + 4), string: u32(a + 8))
        }
    }
}

/// Builds a flat (non-ELF) Multiboot kernel using the address fields (flags bit 16).
func flatKernel(size: Int, headerOffset: Int = 0, flags: UInt32 = 0x1_0003, headerAddr: UInt32 = 0x10_0000,
                loadAddr: UInt32 = 0x10_0000, loadEnd: UInt32 = 0, bssEnd: UInt32 = 0,
                entry: UInt32 = 0x10_0020) -> [UInt8] {
    var bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
    var header: [UInt8] = []
    for v in [Multiboot.headerMagic, flags, 0 &- (Multiboot.headerMagic &+ flags), headerAddr, loadAddr, loadEnd, bssEnd, entry] {
        header.appendLE32(v)
    }
    bytes.replaceSubrange(headerOffset..<headerOffset + header.count, with: header)
    return bytes
}

/// Just a 12-byte Multiboot header (magic, flags, checksum) at `offset` in `size` zero bytes.
func bareHeader(at offset: Int, size: Int, flags: UInt32 = 3, checksumDelta: UInt32 = 0) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    var header: [UInt8] = []
    for v in [Multiboot.headerMagic, flags, (0 &- (Multiboot.headerMagic &+ flags)) &+ checksumDelta] { header.appendLE32(v) }
    bytes.replaceSubrange(offset..<offset + 12, with: header)
    return bytes
}
