// CPU snapshots: all architectural state plus the modeled TLBs and counters, as
// plain data. Restoring gives a run identical to the original from that point
// (the fast translation cache and decode cache are host-side and rebuilt).

public struct CPUSnapshot: Sendable, Equatable {
    public var regs: [UInt32]
    public var eip: UInt32
    public var eflags: UInt32
    public var seg: [SegmentCache]
    public var cr: [UInt32]          // cr0, cr2, cr3, cr4
    public var dr: [UInt32]
    public var gdtr: TableRegister
    public var idtr: TableRegister
    public var tr: SegmentCache
    public var ldtr: SegmentCache
    public var sysenterMSR: [UInt32]
    public var cycles: UInt64
    public var extraCycles: UInt64
    public var intrLine: Bool
    public var interruptShadow: Bool
    public var halted: Bool
    public var itlb: ModeledTLB
    public var dtlb: ModeledTLB
    public var fastDataHits: UInt64
    public var fastCodeHits: UInt64
    public var stats: CPUStats
}

extension CPU {
    public func snapshot() -> CPUSnapshot {
        CPUSnapshot(regs: (0..<8).map { regs[$0] }, eip: eip, eflags: materializedFlags(), seg: seg,
                    cr: [cr0, cr2, cr3, cr4], dr: dr, gdtr: gdtr, idtr: idtr, tr: tr, ldtr: ldtr,
                    sysenterMSR: sysenterMSR, cycles: cycles, extraCycles: extraCycles,
                    intrLine: intrLine, interruptShadow: interruptShadow, halted: halted,
                    itlb: itlb, dtlb: dtlb, fastDataHits: fastDataHits, fastCodeHits: fastCodeHits, stats: stats)
    }

    public func restore(_ s: CPUSnapshot) {
        for i in 0..<8 { regs[i] = s.regs[i] }
        regs[8] = 0
        eip = s.eip
        setEFLAGS(s.eflags)
        for r in SegReg.allCases { setSegment(r, s.seg[r.rawValue]) }
        cr0 = s.cr[0]; cr2 = s.cr[1]; cr3 = s.cr[2]; cr4 = s.cr[3]
        dr = s.dr; gdtr = s.gdtr; idtr = s.idtr; tr = s.tr; ldtr = s.ldtr
        sysenterMSR = s.sysenterMSR
        cycles = s.cycles; extraCycles = s.extraCycles
        intrLine = s.intrLine; interruptShadow = s.interruptShadow; halted = s.halted
        itlb = s.itlb; dtlb = s.dtlb
        fastDataHits = s.fastDataHits; fastCodeHits = s.fastCodeHits
        stats = s.stats
        fast.flushAll()
        cache.flush()
        watchHit = nil
        stopRequested = false
        deadline = 0
    }
}
