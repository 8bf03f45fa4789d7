// One measured guest workload run: boot a prepared machine, watch its serial
// output line by line, and snapshot the counters at the exact instruction
// that completes the workload's start and end marker lines (the serial sink
// runs inside the CPU loop, at the OUT to the UART's data port, so the
// snapshots are as deterministic as the run itself). Only the interval
// between the markers is measured; boot, module loading and teardown are not.

import Core
import ELF
import Machine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counters at one instant of a run.
public struct WorkloadCounters: Sendable, Equatable {
    public var cycles: UInt64 = 0
    public var instructions: UInt64 = 0
    public var haltCycles: UInt64 = 0
    public var tlbMisses: UInt64 = 0
    public var cr3Loads: UInt64 = 0
    /// The guest's `nooks_stats` (nil if the kernel has no such symbol or it is unreadable).
    public var nooks: NooksStats?

    public init() {}

    /// Read the counters of `machine` now.
    public init(machine: Machine, symbols: SymbolTable) {
        let cpu = machine.cpu
        cycles = cpu.cycles
        instructions = cpu.instructions
        haltCycles = cpu.stats.haltCycles
        tlbMisses = cpu.dtlb.counters.misses &+ cpu.itlb.counters.misses
        cr3Loads = cpu.stats.cr3Loads
        nooks = NooksLayout.readStats(symbols: symbols, cpu: cpu)
    }
}

/// What happened between the start and end markers of one run.
public struct WorkloadInterval: Sendable, Equatable {
    public var cycles: UInt64 = 0
    public var instructions: UInt64 = 0
    public var haltCycles: UInt64 = 0
    public var tlbMisses: UInt64 = 0
    public var cr3Loads: UInt64 = 0
    public var xpcToExtension: UInt64 = 0
    public var xpcToKernel: UInt64 = 0
    public var deferred: UInt64 = 0
    public var nativeCalls: UInt64 = 0
    public var faults: UInt64 = 0

    public init() {}

    public init(from a: WorkloadCounters, to b: WorkloadCounters) {
        cycles = b.cycles &- a.cycles
        instructions = b.instructions &- a.instructions
        haltCycles = b.haltCycles &- a.haltCycles
        tlbMisses = b.tlbMisses &- a.tlbMisses
        cr3Loads = b.cr3Loads &- a.cr3Loads
        if let x = a.nooks, let y = b.nooks {
            // u32 guest counters: wrapping differences.
            xpcToExtension = UInt64(y.xpcToExtension &- x.xpcToExtension)
            xpcToKernel = UInt64(y.xpcToKernel &- x.xpcToKernel)
            deferred = UInt64(y.deferredToExtension &- x.deferredToExtension) + UInt64(y.deferredToKernel &- x.deferredToKernel)
            nativeCalls = UInt64(y.nativeCalls &- x.nativeCalls)
            faults = UInt64(y.faults &- x.faults)
        }
    }

    /// Crossings in both directions.
    public var xpcs: UInt64 { xpcToExtension + xpcToKernel }
    /// Fraction of the interval the CPU was not halted (0...1).
    public var busy: Double { cycles == 0 ? 0 : 1 - Double(haltCycles) / Double(cycles) }
}

/// The outcome of one run.
public struct WorkloadRunResult: Sendable {
    public var exit: MachineExit = .stopped
    public var interval: WorkloadInterval? = nil
    public var startLine: String? = nil
    public var endLine: String? = nil
    /// The guest's overall verdict line ("workload: PASS" / "workload: FAIL"), if printed.
    public var verdictPassed: Bool? = nil
    /// Lines of interest the caller asked to keep (by prefix), in order.
    public var keptLines: [String] = []
    public var hostSeconds: Double = 0
    /// Why the host side gave up, if it did (wall-clock limit, ...).
    public var abortReason: String? = nil
    public var serialTail: String = ""
}

/// Runs a loaded machine to its end, measuring between two marker lines.
public final class WorkloadRunner {
    public let machine: Machine
    public let symbols: SymbolTable
    public let startPrefix: String
    public let endPrefix: String
    /// Lines starting with one of these are kept in the result.
    public var keepPrefixes: [String] = ["workload:"]
    /// Called with every complete serial line (after the counters were taken).
    public var onLine: ((String) -> Void)?
    /// Instructions per slice of `Machine.run`; between slices `shouldAbort` is asked.
    public var sliceInstructions: UInt64 = 200_000_000
    /// Asked between slices; a non-nil reason stops the run.
    public var shouldAbort: (() -> String?)?

    private var line: [UInt8] = []
    private var startCounters: WorkloadCounters?
    private var result = WorkloadRunResult()

    public init(machine: Machine, symbols: SymbolTable, startPrefix: String, endPrefix: String) {
        self.machine = machine
        self.symbols = symbols
        self.startPrefix = startPrefix
        self.endPrefix = endPrefix
    }

    private func lineDone() {
        let text = String(decoding: line, as: UTF8.self)
        line.removeAll(keepingCapacity: true)
        if startCounters == nil, text.hasPrefix(startPrefix) {
            startCounters = WorkloadCounters(machine: machine, symbols: symbols)
            result.startLine = text
        } else if let s = startCounters, result.interval == nil, text.hasPrefix(endPrefix) {
            result.interval = WorkloadInterval(from: s, to: WorkloadCounters(machine: machine, symbols: symbols))
            result.endLine = text
        }
        if text == "workload: PASS" { result.verdictPassed = true }
        if text == "workload: FAIL" { result.verdictPassed = false }
        if keepPrefixes.contains(where: { text.hasPrefix($0) }) { result.keptLines.append(text) }
        onLine?(text)
    }

    /// Run until the guest stops (or `maxInstructions`, or `shouldAbort` says so).
    public func run(maxInstructions: UInt64) -> WorkloadRunResult {
        machine.serialSink = { [unowned self] b in
            if b == 0x0A { self.lineDone() } else if b != 0x0D { self.line.append(b) }
        }
        let t0 = monotonicSeconds()
        let limit = machine.cpu.instructions &+ maxInstructions
        var exit: MachineExit = .instructionLimit
        while machine.cpu.instructions < limit {
            exit = machine.run(maxInstructions: min(sliceInstructions, limit - machine.cpu.instructions))
            guard exit == .instructionLimit else { break }
            if let why = shouldAbort?() { result.abortReason = why; break }
        }
        if !line.isEmpty { lineDone() }
        machine.serialSink = nil
        result.exit = exit
        result.hostSeconds = monotonicSeconds() - t0
        result.serialTail = String(machine.serialText.suffix(2000))
        return result
    }
}

/// Host monotonic clock in seconds (for host-time columns only; never fed to the guest).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
