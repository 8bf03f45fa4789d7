// GDBCommand: the typed form of every packet gdb sends that this stub
// understands. Parsing lives in CommandParser.swift; nothing here performs I/O.

/// A thread id as gdb writes it in `H`, `T` and `vCont` packets.
public enum ThreadID: Equatable, Sendable {
    /// `0`: any thread.
    case any
    /// `-1`: all threads.
    case all
    /// A specific thread (the `tid` part of a multiprocess `pPID.TID`).
    case id(Int)

    /// True if this id names the single thread with id `thread` (or any/all).
    public func matches(_ thread: Int) -> Bool {
        switch self {
        case .any, .all: return true
        case .id(let n): return n == thread
        }
    }
}

/// One action of a `vCont` packet, with the thread it applies to.
public struct VContAction: Equatable, Sendable {
    /// What to do.
    public enum Kind: Equatable, Sendable {
        /// `c`: continue.
        case `continue`
        /// `Csig`: continue, delivering a signal (the stub ignores the signal).
        case continueWithSignal(UInt8)
        /// `s`: single-step.
        case step
        /// `Ssig`: step, delivering a signal (the stub ignores the signal).
        case stepWithSignal(UInt8)
        /// `t`: stop (non-stop mode only; unsupported here).
        case stop
        /// `r start,end`: step while `start <= pc < end` (unsupported here).
        case rangeStep(start: UInt32, end: UInt32)
    }

    /// What to do.
    public var kind: Kind
    /// The thread it applies to; nil means every thread without its own action.
    public var thread: ThreadID?

    /// An action, optionally for one thread.
    public init(_ kind: Kind, thread: ThreadID? = nil) {
        self.kind = kind
        self.thread = thread
    }
}

/// A packet from gdb, parsed. Malformed arguments give ``malformed(_:)``, never a trap.
public enum GDBCommand: Equatable, Sendable {
    /// `qSupported[:f1;f2...]`: gdb's features (e.g. `swbreak+`, `xmlRegisters=i386`).
    case querySupported(features: [String])
    /// `vMustReplyEmpty`: gdb checks that unknown `v` packets get an empty reply.
    case mustReplyEmpty
    /// `QStartNoAckMode`: stop sending `+`/`-` after replying `OK`.
    case startNoAckMode
    /// `Hg<tid>` / `Hc<tid>`: select the thread for later register (`g`) or
    /// run-control (`c`) operations.
    case setThread(operation: Character, thread: ThreadID)
    /// `T<tid>`: is the thread alive?
    case threadAlive(ThreadID)
    /// `qTStatus`: tracepoint status (unsupported: empty reply).
    case traceStatus
    /// `?`: why did the target stop?
    case haltReason
    /// `qfThreadInfo`: first part of the thread list.
    case threadInfoFirst
    /// `qsThreadInfo`: rest of the thread list.
    case threadInfoNext
    /// `qC`: the current thread.
    case currentThread
    /// `qAttached[:pid]`: did we attach to an existing process?
    case attached
    /// `g`: read all registers.
    case readRegisters
    /// `G<hex>`: write all registers; the raw bytes of the `g` layout.
    case writeRegisters([UInt8])
    /// `p<n>`: read register number `n`.
    case readRegister(Int)
    /// `P<n>=<hex>`: write register `n`; its bytes in target (little-endian) order.
    case writeRegister(Int, [UInt8])
    /// `m<addr>,<len>`: read memory.
    case readMemory(address: UInt32, length: Int)
    /// `M<addr>,<len>:<hex>`: write memory given as hex.
    case writeMemory(address: UInt32, bytes: [UInt8])
    /// `X<addr>,<len>:<binary>`: write memory given as (unescaped) binary.
    case writeMemoryBinary(address: UInt32, bytes: [UInt8])
    /// `Z<type>,<addr>,<kind>`: insert a breakpoint or watchpoint.
    case insertBreakpoint(BreakpointType, address: UInt32, kind: Int)
    /// `z<type>,<addr>,<kind>`: remove a breakpoint or watchpoint.
    case removeBreakpoint(BreakpointType, address: UInt32, kind: Int)
    /// `c[addr]` (or `Csig[;addr]`): continue, optionally from `address`.
    case `continue`(address: UInt32?)
    /// `s[addr]` (or `Ssig[;addr]`): single-step, optionally from `address`.
    case step(address: UInt32?)
    /// `vCont?`: which `vCont` actions are supported?
    case vContQuery
    /// `vCont;action[:tid]...`: resume with per-thread actions.
    case vCont([VContAction])
    /// `vKill;pid`: kill the process (expects `OK`).
    case vKill
    /// `k`: kill (no reply expected).
    case kill
    /// `D[;pid]`: detach.
    case detach
    /// `qXfer:features:read:<annex>:<offset>,<length>`: read a target description.
    case readFeatures(annex: String, offset: Int, length: Int)
    /// `qOffsets`: section relocation offsets.
    case offsets
    /// `qSymbol::` or `qSymbol:<value>:<name>`: gdb offers symbol look-ups.
    case symbol(String)
    /// `qRcmd,<hex>`: a `monitor` command, decoded to text.
    case monitor(String)
    /// Anything else; answered with an empty packet ("unsupported").
    case unknown([UInt8])
    /// A known packet with bad arguments; answered with `E01`.
    case malformed(String)
}
