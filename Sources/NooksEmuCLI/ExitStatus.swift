// Exit statuses of nooks-emu. Guest debug-exit statuses are always odd
// ((value << 1) | 1, as QEMU's isa-debug-exit), so the emulator's own outcomes
// use even numbers and can never be mistaken for a guest's.

import ArgumentParser
import ELF
import Machine

public enum ExitStatus {
    public static let poweredOff: Int32 = 0
    public static let usage: Int32 = 64
    public static let kernelMissing: Int32 = 66
    public static let notELF: Int32 = 68
    public static let wrongClass: Int32 = 70
    public static let wrongMachine: Int32 = 72
    public static let noMultiboot: Int32 = 74
    public static let moduleMissing: Int32 = 76
    public static let doesNotFit: Int32 = 78
    public static let tripleFault: Int32 = 80
    public static let hang: Int32 = 82
    public static let instructionLimit: Int32 = 84
    public static let internalError: Int32 = 86
    public static let diskUnusable: Int32 = 88
    public static let hostNetwork: Int32 = 90

    /// The table printed in help texts.
    public static let table = """
      0   guest powered off (ACPI S5)
      odd guest wrote v to the ISA debug-exit port 0xf4: status (v<<1)|1, as QEMU
      64  bad command-line arguments
      66  kernel image missing or unreadable
      68  not an ELF file, or a corrupt one
      70  ELF of the wrong class (64-bit)
      72  ELF for another machine, or not an executable
      74  no valid Multiboot v1 header in the first 8 KiB
      76  a module file is missing or unreadable
      78  the image or its modules do not fit in guest RAM
      80  the guest triple-faulted
      82  the guest hung (halted with nothing to wake it)
      84  --max-instructions reached
      88  the --disk image is missing, unreadable, empty or not a regular file
      90  --net user could not start (libslirp failed, or a hostfwd port could not be bound)
    """

    /// Status for a failed Multiboot plan.
    static func status(for error: MultibootError) -> Int32 {
        switch error {
        case .elf(let e): return status(for: e)
        case .noHeader, .badChecksum, .badHeader: return noMultiboot
        case .moduleNotFound, .moduleUnreadable: return moduleMissing
        case .tooLarge, .overlap, .unsupported: return doesNotFit
        }
    }

    static func status(for error: ELFError) -> Int32 {
        switch error {
        case .fileNotFound, .unreadable: return kernelMissing
        case .notELF, .truncated, .corrupt, .libelf, .notLittleEndian: return notELF
        case .notELF32: return wrongClass
        case .wrongMachine, .wrongType: return wrongMachine
        }
    }

    /// Status for how a run ended.
    static func status(for exit: MachineExit) -> Int32 {
        switch exit {
        case .powerOff: return poweredOff
        case .debugExit(_, let s): return s & 0xFF
        case .tripleFault: return tripleFault
        case .hang: return hang
        case .instructionLimit: return instructionLimit
        case .breakpoint, .watchpoint, .stopped: return internalError
        }
    }
}

/// Print one error line to stderr and exit with `status`.
func fail(_ message: String, status: Int32) -> ExitCode {
    printError("nooks-emu: error: \(message)")
    return ExitCode(status)
}
