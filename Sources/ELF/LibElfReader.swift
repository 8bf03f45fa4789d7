// The libelf side of ELFFile: hands a private copy of the bytes to elf_memory, walks the
// program headers, sections, symbol table and relocation sections with gelf, and checks
// each entry's ranges before libelf is asked for the data behind it.

import CLibElf

/// Everything ELFFile keeps from one libelf pass.
struct ParsedELF {
    var programHeaders: [ProgramHeader] = []
    var sections: [Section] = []
    var symbols: [Symbol] = []
    var relocationsByTarget: [Int: [Relocation]] = [:]
}

/// Whether `elf_version(EV_CURRENT)` succeeded; evaluated once, thread-safely, on first use.
private let libelfInitialized: Bool = elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE)

enum LibElfReader {
    /// SHF_COMPRESSED: libelf would hand back compressed data, not table entries.
    static let compressedFlag: UInt32 = 0x800

    /// Parses `bytes`, which `ELFHeaderCheck.validate` has accepted.
    static func parse(_ bytes: [UInt8], facts: ELFHeaderFacts, path: String) throws(ELFError) -> ParsedELF {
        guard libelfInitialized else { throw .libelf(message: "elf_version(EV_CURRENT) failed") }
        // libelf reads (and for ELF_C_READ_MMAP_PRIVATE may write) the image in place:
        // give it a buffer this function owns until elf_end.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        guard let elf = elf_memory(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count) else {
            throw libelfFailure(path, "elf_memory")
        }
        defer { elf_end(elf) }
        guard elf_kind(elf) == ELF_K_ELF else { throw .corrupt(path: path, what: "libelf does not see an ELF object") }
        guard elf32_getehdr(elf) != nil else { throw libelfFailure(path, "ELF header") }

        var result = ParsedELF()
        if facts.programHeaderCount > 0 {
            result.programHeaders = try programHeaders(elf, bytes: bytes, path: path)
        }
        result.sections = try sections(elf, bytes: bytes, facts: facts, path: path)
        let symtab = result.sections.first { $0.type == Section.typeSymtab }
            ?? result.sections.first { $0.type == 11 /* SHT_DYNSYM */ }
        if let symtab {
            result.symbols = try symbols(elf, table: symtab, sections: result.sections, path: path)
        }
        result.relocationsByTarget = try relocations(elf, bytes: bytes, sections: result.sections,
                                                     symbolCount: result.symbols.count, path: path)
        return result
    }

    /// libelf's last error, with the file and what was being read: `kernel.elf: symbol 3: invalid data`.
    static func libelfFailure(_ path: String, _ what: String) -> ELFError {
        let message = elf_errmsg(-1).map { String(cString: $0) } ?? "unknown error"
        return .libelf(message: "\(path): \(what): \(message)")
    }

    private static func programHeaders(_ elf: OpaquePointer, bytes: [UInt8], path: String) throws(ELFError) -> [ProgramHeader] {
        var count = 0
        guard elf_getphdrnum(elf, &count) == 0 else { throw libelfFailure(path, "program header count") }
        var headers: [ProgramHeader] = []
        headers.reserveCapacity(count)
        for i in 0..<count {
            var raw = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(i), &raw) != nil else { throw libelfFailure(path, "program header \(i)") }
            let header = ProgramHeader(
                type: raw.p_type, offset: UInt32(truncatingIfNeeded: raw.p_offset),
                vaddr: UInt32(truncatingIfNeeded: raw.p_vaddr), paddr: UInt32(truncatingIfNeeded: raw.p_paddr),
                filesz: UInt32(truncatingIfNeeded: raw.p_filesz), memsz: UInt32(truncatingIfNeeded: raw.p_memsz),
                flags: raw.p_flags, align: UInt32(truncatingIfNeeded: raw.p_align))
            if header.filesz > 0, !bytes.contains(offset: UInt64(header.offset), length: UInt64(header.filesz)) {
                throw .truncated(path: path, what: "segment \(i) (offset \(hex(header.offset)), \(header.filesz) bytes)")
            }
            if header.isLoad {
                guard header.filesz <= header.memsz else {
                    throw .corrupt(path: path, what: "segment \(i) has filesz \(header.filesz) > memsz \(header.memsz)")
                }
                guard UInt64(header.paddr) + UInt64(header.memsz) <= 1 << 32,
                      UInt64(header.vaddr) + UInt64(header.memsz) <= 1 << 32 else {
                    throw .corrupt(path: path, what: "segment \(i) extends past 4 GiB")
                }
            }
            headers.append(header)
        }
        return headers
    }

    private static func sections(_ elf: OpaquePointer, bytes: [UInt8], facts: ELFHeaderFacts,
                                 path: String) throws(ELFError) -> [Section] {
        var count = 0
        guard elf_getshdrnum(elf, &count) == 0 else { throw libelfFailure(path, "section count") }
        guard count == facts.sectionCount else {
            throw .corrupt(path: path, what: "section count \(count) disagrees with the header (\(facts.sectionCount))")
        }
        guard count > 0 else { return [] }
        var namesIndex = 0
        guard elf_getshdrstrndx(elf, &namesIndex) == 0 else { throw libelfFailure(path, "section name table index") }
        guard namesIndex < count else {
            throw .corrupt(path: path, what: "section name table index \(namesIndex) out of range (\(count) sections)")
        }
        var sections: [Section] = []
        var nameOffsets: [UInt32] = []
        sections.reserveCapacity(count)
        for i in 0..<count {
            guard let scn = elf_getscn(elf, i) else { throw libelfFailure(path, "section \(i)") }
            var raw = GElf_Shdr()
            guard gelf_getshdr(scn, &raw) != nil else { throw libelfFailure(path, "section header \(i)") }
            let section = Section(
                index: i, name: "", type: raw.sh_type, flags: UInt32(truncatingIfNeeded: raw.sh_flags),
                addr: UInt32(truncatingIfNeeded: raw.sh_addr), offset: UInt32(truncatingIfNeeded: raw.sh_offset),
                size: UInt32(truncatingIfNeeded: raw.sh_size), link: raw.sh_link, info: raw.sh_info,
                addralign: UInt32(truncatingIfNeeded: raw.sh_addralign),
                entsize: UInt32(truncatingIfNeeded: raw.sh_entsize))
            if i > 0, !section.isNobits, section.type != 0,
               !bytes.contains(offset: UInt64(section.offset), length: UInt64(section.size)) {
                throw .truncated(path: path, what: "section \(i) (offset \(hex(section.offset)), \(section.size) bytes)")
            }
            sections.append(section)
            nameOffsets.append(raw.sh_name)
        }
        guard namesIndex != 0 else { return sections }
        guard sections[namesIndex].type == Section.typeStrtab else {
            throw .corrupt(path: path, what: "section name table (section \(namesIndex)) is not a string table")
        }
        for i in 1..<count {
            let offset = Int(nameOffsets[i])
            guard let name = elf_strptr(elf, namesIndex, offset) else {
                throw .corrupt(path: path, what: "section \(i) name offset \(offset) outside the name table")
            }
            sections[i].name = String(cString: name)
        }
        return sections
    }

    private static func symbols(_ elf: OpaquePointer, table: Section, sections: [Section],
                                path: String) throws(ELFError) -> [Symbol] {
        let entrySize: UInt32 = 16
        guard table.size % entrySize == 0 else {
            throw .corrupt(path: path, what: "symbol table size \(table.size) is not a multiple of \(entrySize)")
        }
        guard table.flags & compressedFlag == 0 else {
            throw .corrupt(path: path, what: "symbol table \(table.name) is marked compressed (SHF_COMPRESSED)")
        }
        let names = Int(table.link)
        guard names > 0, names < sections.count, sections[names].type == Section.typeStrtab else {
            throw .corrupt(path: path, what: "symbol table's string table (section \(table.link)) is not a string table")
        }
        guard let scn = elf_getscn(elf, table.index), let data = elf_getdata(scn, nil) else {
            throw libelfFailure(path, "symbol table data")
        }
        let count = Int(table.size / entrySize)
        guard data.pointee.d_size >= count * Int(entrySize) else {
            throw .corrupt(path: path, what: "symbol table data shorter than its section")
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(count)
        for i in 0..<count {
            var raw = GElf_Sym()
            guard gelf_getsym(data, Int32(i), &raw) != nil else { throw libelfFailure(path, "symbol \(i)") }
            var name = ""
            if raw.st_name != 0 {
                guard let cName = elf_strptr(elf, names, Int(raw.st_name)) else {
                    throw .corrupt(path: path, what: "symbol \(i) name offset \(raw.st_name) outside its string table")
                }
                name = String(cString: cName)
            }
            symbols.append(Symbol(
                index: i, name: name, value: UInt32(truncatingIfNeeded: raw.st_value),
                size: UInt32(truncatingIfNeeded: raw.st_size), type: SymbolType(raw: raw.st_info & 0xF),
                binding: SymbolBinding(raw: raw.st_info >> 4), sectionIndex: raw.st_shndx))
        }
        return symbols
    }

    private static func relocations(_ elf: OpaquePointer, bytes: [UInt8], sections: [Section],
                                    symbolCount: Int, path: String) throws(ELFError) -> [Int: [Relocation]] {
        var result: [Int: [Relocation]] = [:]
        for table in sections where table.type == Section.typeRel || table.type == Section.typeRela {
            let isRela = table.type == Section.typeRela
            let entrySize: UInt32 = isRela ? 12 : 8
            guard table.size % entrySize == 0 else {
                throw .corrupt(path: path, what: "relocation section \(table.name) size is not a multiple of \(entrySize)")
            }
            guard table.flags & compressedFlag == 0 else {
                throw .corrupt(path: path, what: "relocation section \(table.name) is marked compressed (SHF_COMPRESSED)")
            }
            let targetIndex = Int(table.info)
            guard targetIndex > 0, targetIndex < sections.count else {
                throw .corrupt(path: path, what: "relocation section \(table.name) patches section \(table.info), which does not exist")
            }
            let target = sections[targetIndex]
            guard let scn = elf_getscn(elf, table.index), let data = elf_getdata(scn, nil) else {
                throw libelfFailure(path, "relocation section \(table.name) data")
            }
            let count = Int(table.size / entrySize)
            guard data.pointee.d_size >= count * Int(entrySize) else {
                throw .corrupt(path: path, what: "relocation section \(table.name) data shorter than its section")
            }
            var list: [Relocation] = []
            list.reserveCapacity(count)
            for i in 0..<count {
                let offset: UInt32, info: UInt64
                var addend: Int32 = 0
                if isRela {
                    var raw = GElf_Rela()
                    guard gelf_getrela(data, Int32(i), &raw) != nil else { throw libelfFailure(path, "relocation \(i) in \(table.name)") }
                    offset = UInt32(truncatingIfNeeded: raw.r_offset)
                    info = raw.r_info
                    addend = Int32(truncatingIfNeeded: raw.r_addend)
                } else {
                    var raw = GElf_Rel()
                    guard gelf_getrel(data, Int32(i), &raw) != nil else { throw libelfFailure(path, "relocation \(i) in \(table.name)") }
                    offset = UInt32(truncatingIfNeeded: raw.r_offset)
                    info = raw.r_info
                }
                // gelf widens ELF32 r_info to the 64-bit layout: symbol in the high word.
                let symbolIndex = Int(info >> 32)
                let type = RelocationType(raw: UInt8(truncatingIfNeeded: info))
                guard symbolIndex < max(symbolCount, 1) else {
                    throw .corrupt(path: path, what: "relocation \(i) in \(table.name) names symbol \(symbolIndex) of \(symbolCount)")
                }
                let wide = type == .abs32 || type == .pc32
                if wide || !target.isNobits {
                    guard UInt64(offset) + (wide ? 4 : 0) <= UInt64(target.size) else {
                        throw .corrupt(path: path, what: "relocation \(i) in \(table.name) at \(hex(offset)) is outside \(target.name)")
                    }
                }
                if !isRela, wide, !target.isNobits,
                   let stored = bytes.le32(at: Int(target.offset) + Int(offset)) {
                    addend = Int32(bitPattern: stored)
                }
                list.append(Relocation(offset: offset, type: type, symbolIndex: symbolIndex, addend: addend))
            }
            result[targetIndex, default: []].append(contentsOf: list)
        }
        return result
    }
}

/// `0x`-prefixed lowercase hexadecimal, for messages.
func hex<T: BinaryInteger>(_ value: T) -> String {
    "0x" + String(value, radix: 16)
}
