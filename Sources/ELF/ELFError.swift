// ELFError: every way reading an ELF file can fail, each with a one-line message.
// Nothing in this module traps on bad input; it throws one of these instead.

/// Why an ELF file could not be read. Each case prints as one line that names the file.
public enum ELFError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error, too large).
    case unreadable(path: String, reason: String)
    /// The bytes do not start with the ELF magic `7F 'E' 'L' 'F'`.
    case notELF(path: String)
    /// An ELF file whose class is not ELFCLASS32 (class 2 is 64-bit).
    case notELF32(path: String, elfClass: UInt8)
    /// An ELF file that is not little-endian.
    case notLittleEndian(path: String)
    /// An ELF file for another machine than i386 (EM_386 = 3).
    case wrongMachine(path: String, machine: UInt16)
    /// An ELF type this reader (or this use of it) does not accept; `expected` says what was wanted.
    case wrongType(path: String, type: UInt16, expected: String)
    /// The file ends before a structure it declares (`what` names it).
    case truncated(path: String, what: String)
    /// A structure's fields are inconsistent or out of range (`what` says which and how).
    case corrupt(path: String, what: String)
    /// libelf itself reported an error.
    case libelf(message: String)

    /// One line, for example `kernel.elf: 64-bit ELF (class 2); an ELF32 i386 file is needed`.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .notELF(let path):
            return "\(path): not an ELF file (no ELF magic)"
        case .notELF32(let path, let elfClass):
            let what = elfClass == 2 ? "64-bit ELF" : "ELF of unknown class"
            return "\(path): \(what) (class \(elfClass)); an ELF32 i386 file is needed"
        case .notLittleEndian(let path):
            return "\(path): big-endian or unknown byte order; i386 ELF is little-endian"
        case .wrongMachine(let path, let machine):
            return "\(path): ELF for machine \(machine) (\(ELFMachineName.name(machine))), not i386 (3)"
        case .wrongType(let path, let type, let expected):
            return "\(path): ELF type \(type) (\(ELFTypeName.name(type))); expected \(expected)"
        case .truncated(let path, let what):
            return "\(path): truncated: the file ends inside the \(what)"
        case .corrupt(let path, let what):
            return "\(path): corrupt ELF: \(what)"
        case .libelf(let message):
            return "libelf: \(message)"
        }
    }
}

/// Names of a few ELF machine numbers, for messages.
enum ELFMachineName {
    static func name(_ machine: UInt16) -> String {
        switch machine {
        case 0: return "none"
        case 3: return "i386"
        case 8: return "MIPS"
        case 20: return "PowerPC"
        case 21: return "PowerPC64"
        case 40: return "ARM"
        case 62: return "x86-64"
        case 183: return "AArch64"
        case 243: return "RISC-V"
        default: return "unknown"
        }
    }
}

/// Names of ELF file types, for messages.
enum ELFTypeName {
    static func name(_ type: UInt16) -> String {
        switch type {
        case 0: return "NONE"
        case 1: return "REL"
        case 2: return "EXEC"
        case 3: return "DYN"
        case 4: return "CORE"
        default: return "unknown"
        }
    }
}
