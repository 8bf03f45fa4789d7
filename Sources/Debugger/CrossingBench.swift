// The crossing-cost benchmark: drive the guest's xpcbench workload (an empty
// call and buffer-passing calls into the xpcbench module, N each), native and
// isolated on the same binary, and measure every call separately between the
// guest's `xpcbench_mark` markers: instructions, modeled cycles, TLB misses,
// refills after CR3 switches, CR3 loads; plus a breakdown of the isolated
// calls by XPC phase, from the guest's phase symbols.

import Core
import ELF
import Machine

/// One measured call.
public struct CallSample: Sendable, Equatable {
    public var instructions: UInt64 = 0
    public var cycles: UInt64 = 0
    public var tlbMisses: UInt64 = 0
    public var refills: UInt64 = 0
    public var cr3Loads: UInt64 = 0
}

/// The phases a crossing is broken into.
public enum CrossingPhase: String, CaseIterable, Sendable {
    case caller = "caller (kernel)"
    case wrapper = "wrappers, checks, tracker"
    case copy = "object copy-in/out"
    case xpc = "XPC entry/exit"
    case cr3 = "CR3 switch"
    case stack = "stack swap"
    case callee = "callee (extension)"

    /// Classify a symbol; `inModule` says whether it lies in the measured module.
    static func of(_ name: String, inModule: Bool) -> CrossingPhase {
        if inModule { return .callee }
        switch name {
        case "nooks_xpc_cr3_load", "nooks_xpc_cr3_back", "nooks_kcall_cr3_kernel", "nooks_kcall_cr3_domain": return .cr3
        case "nooks_xpc_stack_swap", "nooks_xpc_stack_back": return .stack
        case "memcpy", "memmove", "copy_from_user", "copy_to_user", "__copy_user": return .copy
        default: break
        }
        if name.hasPrefix("nooks_xpc") || name.hasPrefix("nooks_driver_call") || name.hasPrefix("nooks_kernel_call")
            || name.hasPrefix("xpc_") || name.hasPrefix("nooks_setjmp") || name.hasSuffix("_trampoline") { return .xpc }
        if name.hasPrefix("nooks_") || name.hasPrefix("fop_") || name.hasPrefix("shadow_") || name.hasPrefix("wrap_") { return .wrapper }
        return .caller
    }
}

/// Results for one mode (native or isolated).
public struct CrossingRun: Sendable {
    public var isolated: Bool
    /// Samples per kind: 0 = empty call (ioctl), 1 = write, 2 = read.
    public var samples: [[CallSample]] = [[], [], []]
    /// Per kind, per phase: summed cost over all calls of that kind.
    public var phases: [[CrossingPhase: SymbolCost]] = [[:], [:], [:]]
    public var guestLine: String = ""
    public var exit: MachineExit = .stopped
}

public enum CrossingBench {
    public static let kinds = ["empty call (ioctl)", "write (buffer in)", "read (buffer out)"]

    /// Run the xpcbench workload in one machine and measure every call.
    public static func measure(machine: Machine, kernelSymbols: SymbolTable, modulePath: String, isolated: Bool) -> CrossingRun {
        var run = CrossingRun(isolated: isolated)
        let session = DebugSession(machine: machine, symbols: kernelSymbols, historyCapacity: 16)
        session.addModuleFile(path: modulePath)
        session.continueBudget = 20_000_000_000
        let cpu = machine.cpu
        let profiler = SymbolProfiler(cpu: cpu, symbols: { [unowned session] in session.symbols })
        guard let mark = kernelSymbols.address(of: "xpcbench_mark"), let done = kernelSymbols.address(of: "xpcbench_done") else {
            run.exit = machine.run()
            return run
        }
        var splits: Set<UInt32> = [mark, done]
        for n in ["nooks_xpc_switch", "nooks_xpc_cr3_load", "nooks_xpc_stack_swap", "nooks_xpc_call", "nooks_xpc_return",
                  "nooks_xpc_stack_back", "nooks_xpc_cr3_back", "nooks_kcall_cr3_kernel", "nooks_kcall_cr3_domain"] {
            if let a = kernelSymbols.address(of: n) { splits.insert(a) }
        }
        var currentKind: Int? = nil
        var start = CallSample()
        var phaseStart: [String: SymbolCost] = [:]
        func counters() -> CallSample {
            CallSample(instructions: cpu.instructions, cycles: cpu.cycles,
                       tlbMisses: cpu.dtlb.counters.misses + cpu.itlb.counters.misses,
                       refills: cpu.dtlb.counters.refillsAfterSwitch + cpu.itlb.counters.refillsAfterSwitch,
                       cr3Loads: cpu.stats.cr3Loads)
        }
        func close() {
            guard let k = currentKind else { return }
            let now = counters()
            run.samples[k].append(CallSample(instructions: now.instructions - start.instructions, cycles: now.cycles - start.cycles,
                                             tlbMisses: now.tlbMisses - start.tlbMisses, refills: now.refills - start.refills,
                                             cr3Loads: now.cr3Loads - start.cr3Loads))
            let moduleText = session.loadedModules.first?.regions[0]
            for (name, c) in profiler.costs {
                let before = phaseStart[name] ?? SymbolCost()
                var d = SymbolCost()
                d.instructions = c.instructions - before.instructions
                d.cycles = c.cycles - before.cycles
                d.dtlbMisses = c.dtlbMisses - before.dtlbMisses
                d.itlbMisses = c.itlbMisses - before.itlbMisses
                guard d.cycles > 0 || d.instructions > 0 else { continue }
                let addr = session.symbols.address(of: name) ?? 0
                let inModule = moduleText.map { addr >= $0.base && addr < $0.base + $0.size } ?? false
                let p = CrossingPhase.of(name, inModule: inModule)
                var acc = run.phases[k][p] ?? SymbolCost()
                acc.instructions += d.instructions; acc.cycles += d.cycles
                acc.dtlbMisses += d.dtlbMisses; acc.itlbMisses += d.itlbMisses
                run.phases[k][p] = acc
            }
        }
        profiler.onEnter = { name, eip in
            if eip == mark {
                close()
                currentKind = Int(session.readU32(cpu[.esp] &+ 4) ?? 0)
                if currentKind! > 2 { currentKind = nil }
                start = counters()
                phaseStart = profiler.costs
            } else if eip == done {
                close()
                currentKind = nil
            }
        }
        profiler.start(splitAt: splits)
        var stop = session.continue()
        while case .watchpoint = stop { stop = session.continue() }
        profiler.stop()
        if case .exited(let e) = stop { run.exit = e }
        run.guestLine = machine.serialText.split(separator: "\n").first { $0.hasPrefix("workload: xpcbench") }.map(String.init) ?? ""
        return run
    }

    /// mean, min, median, p90, max of cycles.
    public static func distribution(_ s: [CallSample]) -> (mean: Double, min: UInt64, median: UInt64, p90: UInt64, max: UInt64) {
        guard !s.isEmpty else { return (0, 0, 0, 0, 0) }
        let c = s.map(\.cycles).sorted()
        let mean = Double(c.reduce(0, +)) / Double(c.count)
        return (mean, c[0], c[c.count / 2], c[min(c.count - 1, c.count * 9 / 10)], c[c.count - 1])
    }

    public static func mean(_ s: [CallSample], _ f: (CallSample) -> UInt64) -> Double {
        s.isEmpty ? 0 : Double(s.map(f).reduce(0, +)) / Double(s.count)
    }
}
