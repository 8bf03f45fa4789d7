// Debugger support in the CPU: data watchpoints and an execution history.
//
// Watchpoints: pages holding a watched range never get fast-TLB entries, so every
// access to them takes the slow path, which checks the ranges. A hit stops the
// run after the accessing instruction completes (like an x86 data breakpoint,
// which is a trap), with `.watchpoint`.
//
// History: when enabled, the run loop records every block entry (its EIP and the
// instruction count at entry) in a ring; the debugger re-decodes the blocks to
// show the last N instructions. Cost when disabled: one predictable branch per block.

public struct Watchpoint: Sendable, Equatable, Hashable {
    public enum Kind: Sendable, Equatable, Hashable { case write, read, access }
    public var address: UInt32
    public var length: UInt32
    public var kind: Kind
    public init(address: UInt32, length: UInt32, kind: Kind) {
        self.address = address; self.length = max(1, length); self.kind = kind
    }
    func overlaps(_ a: UInt32, _ n: Int) -> Bool {
        UInt64(a) < UInt64(address) + UInt64(length) && UInt64(address) < UInt64(a) + UInt64(n)
    }
}

/// A watchpoint hit: which watchpoint, the accessed address and whether it was a write.
public struct WatchHit: Sendable, Equatable {
    public var watchpoint: Watchpoint
    public var address: UInt32
    public var isWrite: Bool
    public var value: UInt32
}

/// One entry of the execution history: a block entered at `eip` when `instructions` had retired.
public struct HistoryEntry: Sendable, Equatable {
    public var eip: UInt32
    public var instructions: UInt64
    public var cr3: UInt32
}

extension CPU {
    /// Replace the watchpoints (flushes the fast TLB so watched pages take the slow path).
    public func setWatchpoints(_ list: [Watchpoint]) {
        watchpoints = list
        watchedPages = Set(list.flatMap { w -> [UInt32] in
            let first = w.address >> 12, last = (w.address &+ w.length &- 1) >> 12
            return first <= last ? Array(first...last) : [first, last]
        })
        fast.flushAll()
        deadline = 0
    }

    @inline(__always) func checkWatch(_ la: UInt32, _ size: Int, write: Bool, value: UInt32) {
        guard !watchpoints.isEmpty else { return }
        for w in watchpoints where w.overlaps(la, size) {
            if w.kind == .write && !write { continue }
            if w.kind == .read && write { continue }
            if watchHit == nil { watchHit = WatchHit(watchpoint: w, address: la, isWrite: write, value: value) }
            deadline = 0
        }
    }

    /// Turn the execution-history ring on (capacity entries) or off (0).
    public func setHistory(capacity: Int) {
        history = capacity > 0 ? [HistoryEntry](repeating: HistoryEntry(eip: 0, instructions: 0, cr3: 0), count: capacity) : []
        historyNext = 0
        historyCount = 0
        recordHistory = capacity > 0
        observingBlocks = recordHistory || blockObserver != nil
    }

    /// Observe every block entry (tracing, profiling). Blocks are split at
    /// `splitPoints`, so a block never spans two of those addresses.
    public func observeBlocks(_ observer: ((UInt32) -> Void)?, splitPoints: Set<UInt32> = []) {
        blockObserver = observer
        blockSplits = splitPoints
        hasBlockSplits = !splitPoints.isEmpty
        observingBlocks = recordHistory || observer != nil
        cache.flush()
        deadline = 0
    }

    @inline(__always) func blockEntered(_ eip: UInt32) {
        if recordHistory { noteBlockEntry(eip) }
        blockObserver?(eip)
    }

    @inline(__always) func noteBlockEntry(_ eip: UInt32) {
        history[historyNext] = HistoryEntry(eip: eip, instructions: instructions, cr3: cr3)
        historyNext = historyNext + 1 == history.count ? 0 : historyNext + 1
        if historyCount < history.count { historyCount += 1 }
    }

    /// The recorded block entries, oldest first.
    public var historyEntries: [HistoryEntry] {
        guard historyCount > 0 else { return [] }
        let start = (historyNext - historyCount + history.count) % history.count
        return (0..<historyCount).map { history[(start + $0) % history.count] }
    }
}
