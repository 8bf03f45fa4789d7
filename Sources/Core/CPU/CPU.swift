// The i386 CPU: architectural state and the public API the machine and tools use.
//
// Hot state lives in unsafe memory (the register file) or in stored properties of
// this final class; the execute loop (Run.swift) keeps EIP in a local. CPU, MMU,
// RAM and the decode cache share this module so memory accesses inline.

/// Port I/O as seen from the CPU. The machine implements it over its port bus.
public protocol PortIO: AnyObject {
    func portRead(_ port: UInt16, size: Int) -> UInt32
    func portWrite(_ port: UInt16, size: Int, value: UInt32)
}

/// The interrupt controller as seen from the CPU: the INTA cycle.
public protocol InterruptAcknowledge: AnyObject {
    /// Acknowledge the pending interrupt and return its vector.
    func acknowledgeInterrupt() -> UInt8
}

/// Counters the CPU and MMU keep (all deterministic).
public struct CPUStats: Sendable, Equatable {
    public var exceptions: UInt64 = 0
    public var interrupts: UInt64 = 0
    public var cr3Loads: UInt64 = 0
    public var invlpgs: UInt64 = 0
    public var portIOs: UInt64 = 0
    public var blocksDecoded: UInt64 = 0
    public var codeInvalidations: UInt64 = 0
    public var haltCycles: UInt64 = 0
    /// Exceptions by vector (0–31).
    public var byVector = [UInt64](repeating: 0, count: 32)
    public init() {}
}

public final class CPU {
    // MARK: Register file (8 GPRs + a zero slot used as "no register" in addressing)
    let regs: UnsafeMutablePointer<UInt32>
    let rawRegs: UnsafeMutableRawPointer
    /// Segment bases by SegReg index, plus index 6 = always 0 (used by decoded flat ops).
    let segBase: UnsafeMutablePointer<UInt32>

    public var eip: UInt32 = 0

    // MARK: Flags (see LazyFlags.swift)
    /// EFLAGS with the arithmetic bits valid only when `lfOp == .none`.
    var flagsBase: UInt32 = 0x2
    var lfOp: LazyOp = .none
    var lfSize: UInt8 = 2
    var lfRes: UInt32 = 0
    var lfA: UInt32 = 0
    var lfB: UInt32 = 0
    var lfAux: UInt32 = 0

    // MARK: System state
    public internal(set) var seg = [SegmentCache](repeating: SegmentCache(), count: 6)
    public internal(set) var cpl: Int = 0
    /// 1 when CPL is 3, else 0: the low bit of fast-TLB tags.
    var userBit: UInt32 = 0
    public internal(set) var cr0: UInt32 = CR0.pe | CR0.et
    public internal(set) var cr2: UInt32 = 0
    public internal(set) var cr3: UInt32 = 0
    public internal(set) var cr4: UInt32 = 0
    public internal(set) var dr = [UInt32](repeating: 0, count: 8)
    public internal(set) var gdtr = TableRegister()
    public internal(set) var idtr = TableRegister()
    public internal(set) var tr = SegmentCache()
    public internal(set) var ldtr = SegmentCache()
    var sysenterMSR: [UInt32] = [0, 0, 0]
    /// What-if switch: CR3 loads keep TLB entries (a tagged TLB, like PCID).
    public var taggedCR3: Bool

    // MARK: Time
    public let costs: CostModel
    /// Modeled cycles since reset (instructions plus modeled extra costs).
    public internal(set) var cycles: UInt64 = 0
    /// Cycles that were not instructions (walks, exceptions, I/O, halted time).
    public internal(set) var extraCycles: UInt64 = 0
    /// Retired instructions.
    public var instructions: UInt64 { cycles &- extraCycles }
    /// The run loop leaves its inner loop when `cycles >= deadline`; set to 0 to force a check.
    var deadline: UInt64 = 0
    var runDeadline: UInt64 = 0

    // MARK: Interrupt state
    /// The INTR line from the PIC.
    public internal(set) var intrLine = false
    /// Interrupts are inhibited for one instruction after STI / MOV SS.
    var interruptShadow = false
    public internal(set) var halted = false
    var stopRequested = false

    // MARK: Wiring
    public let memory: PhysicalMemory
    let ram: UnsafeMutableRawPointer
    public weak var io: PortIO?
    public weak var pic: InterruptAcknowledge?

    // MARK: MMU (see MMU.swift, FastTLB.swift, ModeledTLB.swift)
    let fast: FastTLB
    /// Data accesses that hit the fast translation cache (each is a modeled DTLB hit).
    public internal(set) var fastDataHits: UInt64 = 0
    /// Block fetches that hit the fast code translation cache (each is a modeled ITLB hit).
    public internal(set) var fastCodeHits: UInt64 = 0
    /// Modeled DTLB hits: fast-path hits plus slow-path lookups that hit.
    public var dtlbHits: UInt64 { fastDataHits &+ dtlb.counters.hits }
    /// Modeled ITLB hits (one lookup per block fetch or page crossing).
    public var itlbHits: UInt64 { fastCodeHits &+ itlb.counters.hits }
    public internal(set) var itlb: ModeledTLB
    public internal(set) var dtlb: ModeledTLB

    // MARK: Decode cache (see DecodeCache.swift)
    let cache: DecodeCache
    /// Physical page of the block being executed (to stop after self-modifying writes).
    var execPage: Int = -1
    var pendingTrap: Fault? = nil

    // MARK: Debug / test hooks
    /// When true, exceptions end `run` with `.exception` instead of going through the IDT.
    public var exceptionsToHost = false
    /// Breakpoint linear addresses checked at every instruction boundary when non-empty.
    public var breakpoints = Set<UInt32>() {
        didSet { hasBreakpoints = !breakpoints.isEmpty; cache.flush(); deadline = 0 }
    }
    var hasBreakpoints = false
    /// Skip the breakpoint at this EIP once (to resume from a breakpoint).
    var skipBreakpointAt: UInt32? = nil
    /// Data watchpoints (see DebugSupport.swift) and the pages they cover.
    public internal(set) var watchpoints: [Watchpoint] = []
    var watchedPages = Set<UInt32>()
    /// The last watchpoint hit; the run returns `.watchpoint` after the instruction.
    public internal(set) var watchHit: WatchHit? = nil
    /// Execution history ring (block entries), when enabled.
    var history: [HistoryEntry] = []
    var historyNext = 0
    var historyCount = 0
    var recordHistory = false
    /// Block-entry observation (history ring and/or an observer closure).
    var observingBlocks = false
    var blockObserver: ((UInt32) -> Void)?
    var blockSplits = Set<UInt32>()
    var hasBlockSplits = false
    /// Called on every CR3 load (old, new) — the crossing tracer listens here.
    public var onCR3Load: ((UInt32, UInt32) -> Void)?
    /// Called on every exception/interrupt delivery (vector, errorCode, eip).
    public var onException: ((UInt8, UInt32?, UInt32) -> Void)?

    public var stats = CPUStats()

    public init(memory: PhysicalMemory, costs: CostModel = .default, tlb: TLBConfig = .default) {
        self.memory = memory
        self.ram = memory.base
        self.costs = costs
        regs = .allocate(capacity: 16)
        regs.initialize(repeating: 0, count: 16)
        rawRegs = UnsafeMutableRawPointer(regs)
        segBase = .allocate(capacity: 8)
        segBase.initialize(repeating: 0, count: 8)
        fast = FastTLB()
        itlb = ModeledTLB(entries: tlb.itlbEntries, ways: tlb.itlbWays)
        dtlb = ModeledTLB(entries: tlb.dtlbEntries, ways: tlb.dtlbWays)
        cache = DecodeCache()
        taggedCR3 = tlb.taggedCR3
        memory.onCodeWrite = { [unowned self] page in self.codePageWritten(page) }
        resetFlat()
    }

    deinit {
        regs.deallocate()
        segBase.deallocate()
    }

    /// 32-bit protected mode with flat ring-0 segments, paging off, IF=0 —
    /// the state Multiboot hands to a kernel.
    public func resetFlat() {
        for i in 0..<16 { regs[i] = 0 }
        var code = SegmentCache(); code.selector = 0x08; code.access = 0x9B
        var data = SegmentCache(); data.selector = 0x10; data.access = 0x93
        seg = [data, code, data, data, data, data]
        for i in 0..<8 { segBase[i] = 0 }
        cpl = 0; userBit = 0
        cr0 = CR0.pe | CR0.et; cr2 = 0; cr3 = 0; cr4 = 0
        gdtr = TableRegister(); idtr = TableRegister()
        tr = SegmentCache(); tr.access = 0x8B; ldtr = SegmentCache(); ldtr.access = 0x82
        setEFLAGS(0x2)
        eip = 0
        halted = false; interruptShadow = false
        flushAllTLBs()
        deadline = 0
    }

    // MARK: Register access

    public subscript(r: GPR) -> UInt32 {
        get { regs[r.rawValue] }
        set { regs[r.rawValue] = newValue }
    }

    /// EFLAGS, with the lazily kept arithmetic flags computed.
    public var eflags: UInt32 {
        get { materializedFlags() }
        set { setEFLAGS(newValue) }
    }

    /// Set the INTR input (driven by the PIC).
    public func setINTR(_ level: Bool) {
        intrLine = level
        if level { deadline = 0 }
    }

    /// Resume past a breakpoint at the current EIP (the next run does not stop there at once).
    public func skipBreakpointOnce() { skipBreakpointAt = segBase[1] &+ eip }

    /// Ask the run loop to return `.stopRequested` at the next instruction boundary.
    public func requestStop() {
        stopRequested = true
        deadline = 0
    }

    /// Add cycles that pass without instructions (HLT sleeping until the next event).
    public func advanceIdle(to cycle: UInt64) {
        guard cycle > cycles else { return }
        let d = cycle - cycles
        cycles = cycle
        extraCycles &+= d
        stats.haltCycles &+= d
    }

    @inline(__always) func charge(_ c: UInt64) {
        cycles &+= c
        extraCycles &+= c
    }
}
