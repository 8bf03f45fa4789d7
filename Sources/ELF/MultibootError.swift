// MultibootError: every way planning a Multiboot v1 boot can fail, one case per cause
// so the CLI can give each its own exit status, each printing as one line.

/// Why a kernel (and its modules) cannot be booted the Multiboot way.
public enum MultibootError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No Multiboot header magic (0x1BADB002) at a 4-byte-aligned offset in the first 8 KiB.
    case noHeader(path: String)
    /// The magic is there but magic + flags + checksum is not 0 (QEMU then does not treat the file as Multiboot).
    case badChecksum(path: String, offset: Int)
    /// The kernel is booted from its ELF program headers and the ELF is unusable.
    case elf(ELFError)
    /// The a.out-kludge address fields (flags bit 16) are inconsistent; QEMU refuses these too.
    case badHeader(path: String, reason: String)
    /// Something does not fit: `what` ends at `end`, past `limit` (end of usable RAM, or of the 32-bit space).
    case tooLarge(what: String, end: UInt64, limit: UInt64)
    /// Two things would occupy the same memory, or something lands in a reserved hole.
    case overlap(what: String, with: String)
    /// The header requires features (flags bits 0-15) this loader does not provide; only in strict mode.
    case unsupported(path: String, flags: UInt32)
    /// A module file does not exist.
    case moduleNotFound(path: String)
    /// A module file exists but cannot be read.
    case moduleUnreadable(path: String, reason: String)

    /// One line naming the file or range involved.
    public var description: String {
        switch self {
        case .noHeader(let path):
            return "\(path): no Multiboot header (magic 0x1badb002) in the first 8 KiB"
        case .badChecksum(let path, let offset):
            return "\(path): Multiboot header at offset \(hex(offset)) has a bad checksum"
        case .elf(let error):
            return error.description
        case .badHeader(let path, let reason):
            return "\(path): invalid Multiboot header: \(reason)"
        case .tooLarge(let what, let end, let limit):
            return "\(what) ends at \(hex(end)), beyond the limit \(hex(limit))"
        case .overlap(let what, let other):
            return "\(what) overlaps \(other)"
        case .unsupported(let path, let flags):
            return "\(path): Multiboot header requires unsupported features (flags \(hex(flags)))"
        case .moduleNotFound(let path):
            return "\(path): module not found"
        case .moduleUnreadable(let path, let reason):
            return "\(path): module cannot be read: \(reason)"
        }
    }
}
