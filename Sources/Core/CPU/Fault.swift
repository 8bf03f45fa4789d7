// Exceptions as values: what an instruction throws, and why the run loop stopped.

/// A processor exception raised by an instruction (thrown, then delivered through the IDT).
public struct Fault: Error, Sendable, Equatable {
    public var vector: UInt8
    public var errorCode: UInt32?
    public init(_ vector: UInt8, _ errorCode: UInt32? = nil) {
        self.vector = vector
        self.errorCode = errorCode
    }
    public static let de = Fault(0)
    public static let ud = Fault(6)
    public static let nm = Fault(7)
    public static func gp(_ code: UInt32 = 0) -> Fault { Fault(13, code) }
    public static func ss(_ code: UInt32 = 0) -> Fault { Fault(12, code) }
    public static func np(_ code: UInt32) -> Fault { Fault(11, code) }
    public static func ts(_ code: UInt32) -> Fault { Fault(10, code) }
}

/// Exception vectors and their mnemonics.
public enum Vector {
    public static let names: [String] = [
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP",
        "#SS", "#GP", "#PF", "(15)", "#MF", "#AC", "#MC", "#XM",
    ]
    public static func name(_ v: UInt8) -> String { Int(v) < names.count ? names[Int(v)] : "INT \(v)" }
    public static let longNames: [String] = [
        "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
        "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
        "invalid TSS", "segment not present", "stack-segment fault", "general protection",
        "page fault", "reserved", "x87 floating-point", "alignment check", "machine check", "SIMD",
    ]
}

/// Why `CPU.run` returned.
public enum StopReason: Sendable, Equatable {
    /// The cycle deadline given to `run` was reached.
    case deadline
    /// The instruction budget given to `run` was used up.
    case instructionLimit
    /// HLT with interrupts that can wake it: the caller advances time.
    case halted
    /// HLT with IF=0: nothing can wake the CPU (a hang).
    case haltedForever
    /// An exception, when `exceptionsToHost` is set (tests).
    case exception(vector: UInt8, errorCode: UInt32?)
    /// A fault while delivering a double fault: the machine resets on real hardware.
    case tripleFault(TripleFaultReport)
    /// Something outside the CPU asked it to stop (debug-exit, power-off, debugger).
    case stopRequested
    /// A breakpoint address was reached (debugger).
    case breakpoint(UInt32)
    /// A data watchpoint was hit by the instruction that just completed.
    case watchpoint(WatchHit)
}

/// What was going on when the CPU triple-faulted.
public struct TripleFaultReport: Sendable, Equatable, CustomStringConvertible {
    public var faults: [Fault]
    public var eip: UInt32
    public var cr2: UInt32
    public var cr3: UInt32
    public init(faults: [Fault], eip: UInt32, cr2: UInt32, cr3: UInt32) {
        self.faults = faults; self.eip = eip; self.cr2 = cr2; self.cr3 = cr3
    }
    public var description: String {
        let chain = faults.map { f in
            Vector.name(f.vector) + (f.errorCode.map { "(0x" + String($0, radix: 16) + ")" } ?? "")
        }.joined(separator: " -> ")
        return "triple fault: \(chain) at eip=0x\(String(eip, radix: 16)) cr2=0x\(String(cr2, radix: 16)) cr3=0x\(String(cr3, radix: 16))"
    }
}
