// Attribution of guest time by symbol: every block entry charges the counters
// accumulated since the previous entry (instructions, modeled cycles, TLB
// misses) to the previous block's function. Blocks are split at the symbols of
// interest, so attribution to them is exact.

import Core
import ELF

/// What one symbol (function or labelled phase) cost.
public struct SymbolCost: Sendable, Equatable {
    public var entries: UInt64 = 0
    public var instructions: UInt64 = 0
    public var cycles: UInt64 = 0
    public var dtlbMisses: UInt64 = 0
    public var itlbMisses: UInt64 = 0
    public init() {}
}

public final class SymbolProfiler {
    let cpu: CPU
    let symbols: () -> SymbolTable
    public private(set) var costs: [String: SymbolCost] = [:]
    var nameCache: [UInt32: String] = [:]
    var current: String?
    var last = (instructions: UInt64(0), cycles: UInt64(0), dmiss: UInt64(0), imiss: UInt64(0))
    /// Called after attribution with the entered block's symbol name and address.
    public var onEnter: ((String, UInt32) -> Void)?

    public init(cpu: CPU, symbols: @escaping () -> SymbolTable) {
        self.cpu = cpu
        self.symbols = symbols
    }

    /// Start observing; blocks are split at `splitAt` (e.g. phase labels).
    public func start(splitAt: Set<UInt32> = []) {
        snapshotCounters()
        cpu.observeBlocks({ [unowned self] eip in self.entered(eip) }, splitPoints: splitAt)
    }

    public func stop() {
        charge()
        current = nil
        cpu.observeBlocks(nil)
    }

    /// Forget cached symbol names (after modules moved).
    public func symbolsChanged() { nameCache.removeAll() }

    func name(_ eip: UInt32) -> String {
        if let n = nameCache[eip] { return n }
        let n = symbols().lookup(eip)?.name ?? "0x" + String(eip & 0xFFFF_F000, radix: 16)
        nameCache[eip] = n
        return n
    }

    func snapshotCounters() {
        last = (cpu.instructions, cpu.cycles, cpu.dtlb.counters.misses, cpu.itlb.counters.misses)
    }

    func charge() {
        guard let cur = current else { snapshotCounters(); return }
        var c = costs[cur] ?? SymbolCost()
        c.instructions &+= cpu.instructions &- last.instructions
        c.cycles &+= cpu.cycles &- last.cycles
        c.dtlbMisses &+= cpu.dtlb.counters.misses &- last.dmiss
        c.itlbMisses &+= cpu.itlb.counters.misses &- last.imiss
        costs[cur] = c
        snapshotCounters()
    }

    func entered(_ eip: UInt32) {
        charge()
        let n = name(eip)
        if symbols().lookup(eip)?.offset == 0 { costs[n, default: SymbolCost()].entries &+= 1 }
        current = n
        onEnter?(n, eip)
    }

    /// The costs, most cycles first.
    public var ranked: [(String, SymbolCost)] { costs.sorted { $0.value.cycles > $1.value.cycles } }
}
