// ELFFile: an ELF32 little-endian i386 executable or relocatable object, read through
// libelf and fully parsed at init. Every structure is bounds-checked first, so a corrupt
// or truncated file throws an ELFError instead of trapping.

/// A parsed ELF32 i386 file (EXEC or REL). Immutable after init; safe to share between threads.
public final class ELFFile: Sendable {
    /// The path or name the file was read from (used in messages).
    public let name: String
    /// Executable or relocatable object.
    public let type: ELFFileType
    /// e_entry: the entry point's virtual address (0 in relocatable objects).
    public let entry: UInt32
    /// The program headers, in file order (empty for relocatable objects).
    public let programHeaders: [ProgramHeader]
    /// The section headers, in index order (index 0 is the null section).
    public let sections: [Section]
    /// The symbol table (.symtab, or .dynsym when there is none), in index order.
    public let symbols: [Symbol]
    /// The whole file.
    public let fileBytes: [UInt8]
    private let relocationsByTarget: [Int: [Relocation]]

    /// Reads and parses the file at `path`.
    /// - Throws: `ELFError` if the file is missing, unreadable, not ELF32 i386, or corrupt.
    public convenience init(path: String) throws(ELFError) {
        let bytes = try FileBytes.read(path: path)
        try self.init(bytes: bytes, name: path)
    }

    /// Parses an ELF file held in memory; `name` is used in error messages.
    /// - Throws: `ELFError` if the bytes are not an ELF32 little-endian i386 EXEC/REL file, or are corrupt.
    public init(bytes: [UInt8], name: String) throws(ELFError) {
        let facts = try ELFHeaderCheck.validate(bytes, path: name)
        let parsed = try LibElfReader.parse(bytes, facts: facts, path: name)
        self.name = name
        self.type = facts.type
        self.entry = facts.entry
        self.programHeaders = parsed.programHeaders
        self.sections = parsed.sections
        self.symbols = parsed.symbols
        self.relocationsByTarget = parsed.relocationsByTarget
        self.fileBytes = bytes
    }

    /// The file bytes of `section` (empty for SHT_NOBITS sections such as .bss, whose
    /// memory image is `section.size` zero bytes).
    public func bytes(of section: Section) -> [UInt8] {
        guard !section.isNobits, section.size > 0,
              fileBytes.contains(offset: UInt64(section.offset), length: UInt64(section.size))
        else { return [] }
        let start = Int(section.offset)
        return Array(fileBytes[start..<start + Int(section.size)])
    }

    /// The file bytes of a segment (its first `filesz` bytes; the rest up to `memsz` is zero).
    public func bytes(of segment: ProgramHeader) -> [UInt8] {
        guard segment.filesz > 0,
              fileBytes.contains(offset: UInt64(segment.offset), length: UInt64(segment.filesz))
        else { return [] }
        let start = Int(segment.offset)
        return Array(fileBytes[start..<start + Int(segment.filesz)])
    }

    /// All relocations (from every SHT_REL / SHT_RELA section) that patch `section`,
    /// in file order. Empty for executables and for sections nothing patches.
    public func relocations(for section: Section) -> [Relocation] {
        relocationsByTarget[section.index] ?? []
    }

    /// The first section called `name`, if any.
    public func section(named name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// The first defined symbol called `name`, preferring global and weak ones over locals.
    public func symbol(named name: String) -> Symbol? {
        let matches = symbols.filter { $0.name == name && !$0.isUndefined }
        return matches.first { $0.binding != .local } ?? matches.first
    }
}
