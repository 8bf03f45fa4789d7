// The cost model: how many modeled cycles each kind of event costs.
//
// Guest time is virtual. The cycle counter advances by `instruction` for every
// retired instruction plus the extra costs below; RDTSC and the PIT are driven by
// it, so the same image and options always see the same time. The table is small
// and stated on purpose: every figure nooks-emu reports in cycles comes from it.

/// Modeled costs in cycles. Defaults are documented in README ("Cost model").
public struct CostModel: Sendable, Equatable {
    /// Modeled clock rate, used to turn cycles into seconds (PIT, reports).
    public var cyclesPerSecond: UInt64 = 1_000_000_000
    /// Cost of one retired instruction.
    public var instruction: UInt64 = 1
    /// Cost of each memory access made by a page walk after a modeled TLB miss
    /// (2 for a 4 KiB page: PDE + PTE; 1 for a 4 MiB page).
    public var pageWalkAccess: UInt64 = 20
    /// Cost of a CR3 load (the TLB flush it causes is paid later as misses).
    public var cr3Load: UInt64 = 100
    /// Cost of INVLPG.
    public var invlpg: UInt64 = 25
    /// Cost of delivering an exception or interrupt through the IDT.
    public var exception: UInt64 = 150
    /// Cost of IRET.
    public var iret: UInt64 = 60
    /// Cost of one port I/O access (IN/OUT, each element of INS/OUTS).
    public var portIO: UInt64 = 100
    /// Cost of one MMIO access.
    public var mmio: UInt64 = 100

    public init() {}

    public static let `default` = CostModel()
}
