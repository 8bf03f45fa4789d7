// The modeled TLB: the one whose hits, misses, walks and flushes feed the cost
// model and the statistics (a CR3 load's real price is the misses after it).
//
// Set-associative with FIFO replacement per set (hits on the emulator's fast
// path do not update recency, so LRU could not be modeled exactly). Entries are
// 4 KiB-granular: a 4 MiB page fills one entry per 4 KiB page touched, and is
// walked with one memory access instead of two. The fast translation cache is
// kept a subset of this TLB, so every fast hit is a modeled hit.

/// Sizes of the modeled TLBs.
public struct TLBConfig: Sendable, Equatable {
    public var itlbEntries = 64
    public var itlbWays = 4
    public var dtlbEntries = 64
    public var dtlbWays = 4
    /// What-if: a tagged TLB (like PCID) — CR3 loads keep translations.
    public var taggedCR3 = false
    public init() {}
    public static let `default` = TLBConfig()
}

/// Counters of one modeled TLB.
public struct TLBCounters: Sendable, Equatable {
    /// Translations looked up (fast-path hits are added by the CPU when it reports).
    public var lookups: UInt64 = 0
    public var misses: UInt64 = 0
    public var walks: UInt64 = 0
    public var walkAccesses: UInt64 = 0
    /// Whole-TLB flushes (CR3 loads, CR0/CR4 paging changes).
    public var flushes: UInt64 = 0
    /// Entries dropped by flushes.
    public var flushedEntries: UInt64 = 0
    public var evictions: UInt64 = 0
    public var invalidations: UInt64 = 0
    /// Misses on pages that a CR3-load flush had dropped: the TLB cost of switching
    /// address spaces (what Nooks' domain switches pay), as opposed to capacity misses.
    public var refillsAfterSwitch: UInt64 = 0
    public init() {}
    public var hits: UInt64 { lookups &- misses }
}

/// One modeled TLB (instruction or data).
public struct ModeledTLB: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var vpn: UInt32 = .max       // virtual page number (.max = invalid)
        public var ppn: UInt32 = 0
        public var writable = false
        public var user = false
        public var global = false
        public var dirty = false
        public var large = false
    }
    public let sets: Int
    public let ways: Int
    public internal(set) var entries: [Entry]
    var nextVictim: [UInt8]
    public internal(set) var counters = TLBCounters()
    /// Pages dropped by the last CR3-load flushes and not yet missed on again.
    var droppedBySwitch = Set<UInt32>()

    public init(entries n: Int, ways w: Int) {
        let ways = max(1, min(w, max(1, n)))
        let sets = max(1, n / ways)
        self.ways = ways
        self.sets = sets
        entries = [Entry](repeating: Entry(), count: sets * ways)
        nextVictim = [UInt8](repeating: 0, count: sets)
    }

    @inline(__always) func setIndex(_ vpn: UInt32) -> Int { Int(vpn) % sets }

    /// Slot index of `vpn`, if present.
    func find(_ vpn: UInt32) -> Int? {
        let s = setIndex(vpn) * ways
        for i in s..<(s + ways) where entries[i].vpn == vpn { return i }
        return nil
    }

    /// Insert an entry; returns the vpn it evicted, if any.
    mutating func insert(_ e: Entry) -> UInt32? {
        let set = setIndex(e.vpn)
        let s = set * ways
        for i in s..<(s + ways) where entries[i].vpn == .max || entries[i].vpn == e.vpn {
            entries[i] = e
            return nil
        }
        let slot = s + Int(nextVictim[set])
        nextVictim[set] = UInt8((Int(nextVictim[set]) + 1) % ways)
        let old = entries[slot].vpn
        entries[slot] = e
        counters.evictions &+= 1
        return old
    }

    /// Drop every entry (global ones too unless `keepGlobal`); calls `dropped` per vpn.
    mutating func flush(keepGlobal: Bool, _ dropped: (UInt32) -> Void) {
        counters.flushes &+= 1
        for i in entries.indices where entries[i].vpn != .max {
            if keepGlobal && entries[i].global { continue }
            dropped(entries[i].vpn)
            entries[i].vpn = .max
            counters.flushedEntries &+= 1
        }
    }

    /// Drop the entry for `vpn` (and, if it came from a 4 MiB page, its siblings).
    mutating func invalidate(_ vpn: UInt32, _ dropped: (UInt32) -> Void) {
        counters.invalidations &+= 1
        for i in entries.indices where entries[i].vpn != .max {
            let e = entries[i]
            if e.vpn == vpn || (e.large && e.vpn >> 10 == vpn >> 10) {
                dropped(e.vpn)
                entries[i].vpn = .max
            }
        }
    }

    /// Number of valid entries.
    public var occupancy: Int { entries.reduce(0) { $0 + ($1.vpn == .max ? 0 : 1) } }
}
