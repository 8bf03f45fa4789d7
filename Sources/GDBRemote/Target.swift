// GDBTarget: what a GDB session needs from the machine it debugs — registers,
// memory, breakpoints, run control — plus the i386 register file in gdb's order.
// The emulator implements the protocol; tests implement it with a fake.

/// The 16 i386 registers in gdb's numbering (the order of the `g` packet and of
/// `org.gnu.gdb.i386.core`). The raw value is gdb's register number.
public enum I386Register: Int, CaseIterable, Sendable {
    case eax, ecx, edx, ebx, esp, ebp, esi, edi
    case eip, eflags
    case cs, ss, ds, es, fs, gs

    /// The register's name as gdb spells it.
    public var name: String { String(describing: self) }
}

/// The values of the 16 i386 registers, 32 bits each (segment registers are
/// zero-extended selectors).
public struct I386Registers: Equatable, Sendable {
    /// The number of registers in a `g` packet.
    public static let count = 16

    /// The values, indexed by ``I386Register/rawValue``; always 16 entries.
    public private(set) var values: [UInt32]

    /// All registers zero.
    public init() {
        values = Array(repeating: 0, count: Self.count)
    }

    /// Registers from up to 16 values in gdb order; missing ones are zero,
    /// extra ones are ignored.
    public init(_ values: [UInt32]) {
        var all = Array(values.prefix(Self.count))
        all.append(contentsOf: repeatElement(0, count: Self.count - all.count))
        self.values = all
    }

    /// One register's value.
    public subscript(register: I386Register) -> UInt32 {
        get { values[register.rawValue] }
        set { values[register.rawValue] = newValue }
    }
}

/// The kind of a `Z`/`z` packet: its first digit.
public enum BreakpointType: UInt8, Sendable, CaseIterable {
    /// `Z0`: software breakpoint (gdb's `break`).
    case software = 0
    /// `Z1`: hardware breakpoint (gdb's `hbreak`).
    case hardware = 1
    /// `Z2`: stop after a write to the watched range (gdb's `watch`).
    case writeWatchpoint = 2
    /// `Z3`: stop after a read of the watched range (gdb's `rwatch`).
    case readWatchpoint = 3
    /// `Z4`: stop after a read or write of the watched range (gdb's `awatch`).
    case accessWatchpoint = 4
}

/// Why the target stopped, as reported to gdb in a stop reply.
public enum StopReason: Equatable, Sendable {
    /// SIGTRAP with no more detail: a finished single step, or the initial halt.
    case trap
    /// Stopped at a software breakpoint; `eip` is the breakpoint's address.
    case softwareBreakpoint
    /// Stopped at a hardware breakpoint; `eip` is the breakpoint's address.
    case hardwareBreakpoint
    /// A watchpoint of `type` (2, 3 or 4) triggered by an access at `address`.
    case watchpoint(BreakpointType, address: UInt32)
    /// Stopped because gdb asked (Ctrl-C, reported as SIGINT).
    case interrupted
    /// Stopped with another signal number (e.g. 11 SIGSEGV for a guest crash).
    case signal(UInt8)
    /// The machine finished with an exit status (`W` packet); the session ends.
    case exited(UInt8)
    /// The machine was terminated by a signal (`X` packet); the session ends.
    case terminated(UInt8)
}

/// The machine being debugged, as seen by a ``GDBSession``.
///
/// All methods are called only while the machine is halted (except
/// ``interrupt()``), and from whatever thread calls the session: the session
/// is not thread-safe, so serialize calls to it.
public protocol GDBTarget: AnyObject {
    /// The current values of the 16 registers.
    func readRegisters() -> I386Registers
    /// Replaces all 16 registers (`G`); false if the target refused.
    func writeRegisters(_ registers: I386Registers) -> Bool
    /// Sets one register (`P`); false if the target refused. The default reads
    /// all registers, changes one and writes them back.
    func writeRegister(_ register: I386Register, value: UInt32) -> Bool

    /// Reads up to `length` bytes of guest memory at a *linear* address, as the
    /// CPU would see it now. Return the readable prefix (a short read is fine),
    /// or nil / empty if the first byte is unreadable (gdb gets `E14`).
    func readMemory(address: UInt32, length: Int) -> [UInt8]?
    /// Writes bytes at a linear address (ignoring write protection, like a
    /// debugger); false if any byte is unmapped (gdb gets `E14`).
    func writeMemory(address: UInt32, bytes: [UInt8]) -> Bool

    /// Inserts a breakpoint or watchpoint covering `length` bytes at `address`
    /// (`length` is gdb's "kind": 1 for i386 breakpoints, 1/2/4/8 for watchpoints).
    /// Return false if this type is unsupported (gdb gets an empty reply and, for
    /// software breakpoints, falls back to writing `int3` itself).
    ///
    /// Breakpoints (software or hardware) stop the machine *before* the
    /// instruction at `address` executes, with eip == `address`; keep them out of
    /// guest memory (no `int3` bytes), so memory reads show the original code.
    /// Watchpoints stop *after* the accessing instruction, reporting the
    /// accessed address in ``StopReason/watchpoint(_:address:)``. To move past a
    /// breakpoint gdb removes it, steps and reinserts it, so the target needs no
    /// "skip the breakpoint at the resume address" rule of its own.
    func insertBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool
    /// Removes what ``insertBreakpoint(_:address:length:)`` inserted; false if
    /// unsupported.
    func removeBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool

    /// Starts the machine: one instruction if `step`, else until a breakpoint,
    /// watchpoint, interrupt or exit. Return at once; when the machine halts,
    /// call ``GDBSession/stopped(_:)`` and send what it returns.
    func resume(step: Bool)
    /// gdb pressed Ctrl-C while the machine runs: make it halt soon, then report
    /// ``StopReason/interrupted`` through ``GDBSession/stopped(_:)``.
    func interrupt()
    /// gdb killed the program (`k`, `vKill`): stop the machine for good.
    func kill()
    /// gdb detached (`D`): drop breakpoints and let the machine run freely.
    func detach()
    /// Runs a `monitor` command typed in gdb and returns its output text.
    func monitor(_ command: String) -> String
}

extension GDBTarget {
    /// Read-modify-write of one register through ``writeRegisters(_:)``.
    public func writeRegister(_ register: I386Register, value: UInt32) -> Bool {
        var registers = readRegisters()
        registers[register] = value
        return writeRegisters(registers)
    }

    /// No monitor commands by default.
    public func monitor(_ command: String) -> String {
        "unknown monitor command: \(command)\n"
    }
}
