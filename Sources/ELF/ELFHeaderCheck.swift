// Checks an ELF file's identification and header in plain Swift before libelf sees it:
// magic, class, byte order, machine, type, and that the program and section header tables
// lie inside the file. libelf is only handed files that pass.

/// The ELF32 header fields that the checks produce.
struct ELFHeaderFacts {
    var type: ELFFileType
    var entry: UInt32
    /// e_phnum.
    var programHeaderCount: Int
    /// Number of section headers, with extended numbering resolved.
    var sectionCount: Int
}

enum ELFHeaderCheck {
    static let headerSize = 52
    static let programHeaderSize = 32
    static let sectionHeaderSize = 40

    /// Validates `bytes` as an ELF32 little-endian i386 REL or EXEC file.
    static func validate(_ bytes: [UInt8], path: String) throws(ELFError) -> ELFHeaderFacts {
        guard bytes.count >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw .notELF(path: path)
        }
        guard bytes.count >= 7 else { throw .truncated(path: path, what: "ELF identification") }
        let elfClass = bytes[4]
        guard elfClass == 1 else { throw .notELF32(path: path, elfClass: elfClass) }
        guard bytes[5] == 1 else { throw .notLittleEndian(path: path) }
        guard bytes[6] == 1 else { throw .corrupt(path: path, what: "ELF version \(bytes[6]), expected 1") }
        guard bytes.count >= headerSize,
              let rawType = bytes.le16(at: 16), let machine = bytes.le16(at: 18),
              let entry = bytes.le32(at: 24), let phoff = bytes.le32(at: 28), let shoff = bytes.le32(at: 32),
              let phentsize = bytes.le16(at: 42), let phnum = bytes.le16(at: 44),
              let shentsize = bytes.le16(at: 46), let shnum = bytes.le16(at: 48)
        else { throw .truncated(path: path, what: "ELF header") }
        guard machine == 3 else { throw .wrongMachine(path: path, machine: machine) }
        let type: ELFFileType
        switch rawType {
        case 1: type = .relocatable
        case 2: type = .executable
        default: throw .wrongType(path: path, type: rawType, expected: "EXEC or REL")
        }

        if phnum > 0 {
            guard phnum != 0xFFFF else { throw .corrupt(path: path, what: "extended program header numbering") }
            guard Int(phentsize) == programHeaderSize else {
                throw .corrupt(path: path, what: "program header size \(phentsize), expected \(programHeaderSize)")
            }
            guard bytes.contains(offset: UInt64(phoff), length: UInt64(phnum) * UInt64(programHeaderSize)) else {
                throw .truncated(path: path, what: "program header table")
            }
        }

        var sectionCount = Int(shnum)
        if shoff != 0 {
            guard Int(shentsize) == sectionHeaderSize else {
                throw .corrupt(path: path, what: "section header size \(shentsize), expected \(sectionHeaderSize)")
            }
            if shnum == 0 {
                // Extended numbering: the real count is section 0's sh_size.
                guard let count = bytes.le32(at: Int(shoff) + 20) else {
                    throw .truncated(path: path, what: "section header table")
                }
                sectionCount = Int(count)
            }
            guard bytes.contains(offset: UInt64(shoff), length: UInt64(sectionCount) * UInt64(sectionHeaderSize)) else {
                throw .truncated(path: path, what: "section header table")
            }
        } else {
            sectionCount = 0
        }
        return ELFHeaderFacts(type: type, entry: entry, programHeaderCount: Int(phnum), sectionCount: sectionCount)
    }
}
