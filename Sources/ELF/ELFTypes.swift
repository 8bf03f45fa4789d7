// Plain value types describing the parts of an ELF32 file: program headers, sections,
// symbols and relocations. ELFFile fills them in; they carry no libelf state.

/// Whether an ELF file is a linked executable or a relocatable object (a driver module).
public enum ELFFileType: Sendable, Equatable {
    /// ET_EXEC: a linked program, such as the kernel.
    case executable
    /// ET_REL: a relocatable object, such as a `.ko`-style driver module.
    case relocatable
}

/// One program header (segment) of an executable.
public struct ProgramHeader: Sendable, Equatable {
    /// PT_LOAD: a segment the loader copies into memory.
    public static let load: UInt32 = 1
    /// PF_X: the segment is executable.
    public static let flagExecute: UInt32 = 1
    /// PF_W: the segment is writable.
    public static let flagWrite: UInt32 = 2
    /// PF_R: the segment is readable.
    public static let flagRead: UInt32 = 4

    /// p_type (PT_LOAD = 1, PT_NOTE = 4, ...).
    public var type: UInt32
    /// p_offset: where the segment's bytes start in the file.
    public var offset: UInt32
    /// p_vaddr: the virtual address the segment is linked at.
    public var vaddr: UInt32
    /// p_paddr: the physical address the loader places it at (QEMU's Multiboot loader uses this).
    public var paddr: UInt32
    /// p_filesz: how many bytes come from the file.
    public var filesz: UInt32
    /// p_memsz: the size in memory; bytes past `filesz` are zero (bss).
    public var memsz: UInt32
    /// p_flags: PF_X | PF_W | PF_R.
    public var flags: UInt32
    /// p_align.
    public var align: UInt32

    /// Whether this is a PT_LOAD segment.
    public var isLoad: Bool { type == ProgramHeader.load }
    /// Whether PF_X is set.
    public var isExecutable: Bool { flags & ProgramHeader.flagExecute != 0 }
}

/// One section header, with its name resolved.
public struct Section: Sendable, Equatable {
    /// SHT_PROGBITS.
    public static let typeProgbits: UInt32 = 1
    /// SHT_SYMTAB.
    public static let typeSymtab: UInt32 = 2
    /// SHT_STRTAB.
    public static let typeStrtab: UInt32 = 3
    /// SHT_RELA.
    public static let typeRela: UInt32 = 4
    /// SHT_NOBITS (bss: occupies memory, not file bytes).
    public static let typeNobits: UInt32 = 8
    /// SHT_REL.
    public static let typeRel: UInt32 = 9
    /// SHF_WRITE.
    public static let flagWrite: UInt32 = 1
    /// SHF_ALLOC: the section occupies memory at run time.
    public static let flagAlloc: UInt32 = 2
    /// SHF_EXECINSTR.
    public static let flagExec: UInt32 = 4

    /// The section's index in the section header table (what symbols' `sectionIndex` refers to).
    public var index: Int
    /// The section's name, e.g. `.text`.
    public var name: String
    /// sh_type.
    public var type: UInt32
    /// sh_flags.
    public var flags: UInt32
    /// sh_addr: its link-time address (0 in relocatable objects).
    public var addr: UInt32
    /// sh_offset in the file.
    public var offset: UInt32
    /// sh_size in bytes.
    public var size: UInt32
    /// sh_link (meaning depends on the type; for REL sections, the symbol table).
    public var link: UInt32
    /// sh_info (for REL sections, the index of the section the relocations patch).
    public var info: UInt32
    /// sh_addralign.
    public var addralign: UInt32
    /// sh_entsize: the size of one entry for table sections.
    public var entsize: UInt32

    /// Whether the section has no file bytes (SHT_NOBITS).
    public var isNobits: Bool { type == Section.typeNobits }
    /// Whether SHF_ALLOC is set.
    public var isAlloc: Bool { flags & Section.flagAlloc != 0 }
    /// Whether SHF_EXECINSTR is set.
    public var isExecutable: Bool { flags & Section.flagExec != 0 }
}

/// A symbol's type (STT_*).
public enum SymbolType: Sendable, Equatable {
    /// STT_NOTYPE (assembly labels are often this).
    case notype
    /// STT_OBJECT: a variable.
    case object
    /// STT_FUNC: a function.
    case function
    /// STT_SECTION: stands for a section.
    case section
    /// STT_FILE: the source file name.
    case file
    /// Any other STT value.
    case other(UInt8)

    init(raw: UInt8) {
        switch raw {
        case 0: self = .notype
        case 1: self = .object
        case 2: self = .function
        case 3: self = .section
        case 4: self = .file
        default: self = .other(raw)
        }
    }
}

/// A symbol's binding (STB_*).
public enum SymbolBinding: Sendable, Equatable {
    /// STB_LOCAL.
    case local
    /// STB_GLOBAL.
    case global
    /// STB_WEAK.
    case weak
    /// Any other STB value.
    case other(UInt8)

    init(raw: UInt8) {
        switch raw {
        case 0: self = .local
        case 1: self = .global
        case 2: self = .weak
        default: self = .other(raw)
        }
    }
}

/// One entry of the symbol table.
public struct Symbol: Sendable, Equatable {
    /// SHN_UNDEF: the symbol is defined elsewhere.
    public static let undefinedSection: UInt16 = 0
    /// SHN_ABS: the value is an absolute constant.
    public static let absoluteSection: UInt16 = 0xFFF1
    /// SHN_COMMON: a common block not yet allocated.
    public static let commonSection: UInt16 = 0xFFF2

    /// The symbol's index in the symbol table (what relocations refer to).
    public var index: Int
    /// Its name (empty for the null symbol and often for section symbols).
    public var name: String
    /// st_value: an address in executables; an offset into its section in relocatable objects.
    public var value: UInt32
    /// st_size (0 when unknown).
    public var size: UInt32
    /// Its type.
    public var type: SymbolType
    /// Its binding.
    public var binding: SymbolBinding
    /// st_shndx: the section it is defined in, or one of the special values above.
    public var sectionIndex: UInt16

    /// Whether the symbol is undefined here (SHN_UNDEF).
    public var isUndefined: Bool { sectionIndex == Symbol.undefinedSection }
    /// Whether the symbol is defined in a real section (not undefined, absolute or common).
    public var isInSection: Bool { sectionIndex != 0 && sectionIndex < 0xFF00 }
}

/// The i386 relocation types a module loader needs.
public enum RelocationType: Sendable, Equatable {
    /// R_386_32 (1): S + A.
    case abs32
    /// R_386_PC32 (2): S + A - P.
    case pc32
    /// Any other R_386_* value.
    case other(UInt8)

    init(raw: UInt8) {
        switch raw {
        case 1: self = .abs32
        case 2: self = .pc32
        default: self = .other(raw)
        }
    }
}

/// One relocation that patches a section of a relocatable object.
public struct Relocation: Sendable, Equatable {
    /// r_offset: where in the target section the field to patch starts.
    public var offset: UInt32
    /// The relocation type.
    public var type: RelocationType
    /// The index into `ELFFile.symbols` of the symbol it refers to.
    public var symbolIndex: Int
    /// The addend: for REL entries, the 32-bit value stored in the patched field
    /// (0 when the type is not a 32-bit field); for RELA entries, r_addend.
    public var addend: Int32
}
