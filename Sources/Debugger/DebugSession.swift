// The debugger's model of a machine under debug: symbols, breakpoints,
// watchpoints, crossing breaks, and run control (step, next, continue, finish).
// It holds no I/O: the command language (Commands.swift) and the GDB server
// (GDBServer.swift) both drive it.

import Core
import Disasm
import ELF
import Machine

/// A domain crossing: a CR3 load, as the crossing tracer and `break crossing` see it.
public struct Crossing: Sendable, Equatable {
    public var cycle: UInt64
    public var instructions: UInt64
    public var eip: UInt32
    public var esp: UInt32
    public var fromCR3: UInt32
    public var toCR3: UInt32
    /// Modeled TLB entries the load dropped (ITLB + DTLB).
    public var flushedEntries: UInt64
    /// What the guest's isolation manager was doing (from its labels and XPC frame).
    public var xpc: XPCInfo = XPCInfo(kind: .switchCR3)
}

/// Why a run under the debugger stopped.
public enum DebugStop: Sendable, Equatable {
    case stepped
    case breakpoint(UInt32)
    case watchpoint(WatchHit)
    case crossing(Crossing)
    case exited(MachineExit)
    case budget
    case interrupted
}

public final class DebugSession {
    public let machine: Machine
    public var cpu: CPU { machine.cpu }
    /// Kernel symbols plus the loaded modules' symbols at their current addresses.
    public internal(set) var symbols: SymbolTable
    let kernelSymbols: SymbolTable
    let disassembler: Disassembler?
    /// Module ELF files by module name, and what the guest has loaded now.
    var modulePaths: [String: String] = [:]
    var moduleFiles: [String: ELFFile] = [:]
    public internal(set) var loadedModules: [LoadedModule] = []
    var moduleWatch: Watchpoint?
    /// Breakpoints on symbols of modules not loaded yet.
    public internal(set) var pending: [String] = []

    /// User breakpoints by number.
    public private(set) var breakpoints: [Int: UInt32] = [:]
    var nextBreakpoint = 1
    /// Temporary breakpoints (next/finish).
    var temporary = Set<UInt32>()
    /// Breakpoints owned by a GDB client.
    public var externalBreakpoints = Set<UInt32>() { didSet { syncBreakpoints() } }
    /// Called between run slices of `continue` (the GDB server polls its socket here).
    public var pollHook: (() -> Void)?
    /// Break at CR3 loads: nil = off; "" = any crossing; otherwise only crossings into or out of this domain.
    public var crossingFilter: String?
    /// The most recent crossings, newest last.
    public private(set) var crossings: [Crossing] = []
    public var crossingLogCapacity = 64
    var pendingCrossing: Crossing?
    /// Instructions a single `continue` may run before it gives up (a hang guard).
    public var continueBudget: UInt64 = 10_000_000_000
    /// Set from another context (Ctrl-C, a GDB interrupt) to stop a running continue.
    public var interruptRequested = false
    public private(set) var exited: MachineExit?
    public let domains: DomainTable

    public init(machine: Machine, symbols: SymbolTable, historyCapacity: Int = 4096) {
        self.machine = machine
        self.symbols = symbols
        self.kernelSymbols = symbols
        self.disassembler = try? Disassembler(syntax: .att)
        self.domains = DomainTable(symbols: symbols)
        machine.cpu.setHistory(capacity: historyCapacity)
        machine.cpu.onCR3Load = { [unowned self] old, new in self.noteCR3Load(old, new) }
        disassembler?.symbolizer = { [unowned self] a in self.symbols.describe(a) }
        watchModuleList()
    }

    /// Add a breakpoint on a symbol that may live in a module not loaded yet.
    public func addPendingBreakpoint(_ name: String) { pending.append(name) }

    /// Add symbols (e.g. a module's, at its load address).
    public func addSymbols(_ more: [PlacedSymbol]) {
        symbols.add(more)
    }

    // MARK: Crossings

    func noteCR3Load(_ old: UInt32, _ new: UInt32) {
        let flushed = cpu.itlb.counters.flushedEntries + cpu.dtlb.counters.flushedEntries
        var c = Crossing(cycle: cpu.cycles, instructions: cpu.instructions, eip: cpu.eip, esp: cpu[.esp],
                         fromCR3: old, toCR3: new, flushedEntries: flushed &- lastFlushed)
        if crossingFilter != nil || recordCrossingDetail { c.xpc = XPCView.classify(self) }
        lastFlushed = flushed
        crossings.append(c)
        if crossings.count > crossingLogCapacity { crossings.removeFirst(crossings.count - crossingLogCapacity) }
        guard let filter = crossingFilter else { return }
        if filter.isEmpty || domains.name(forCR3: old, cpu: cpu) == filter || domains.name(forCR3: new, cpu: cpu) == filter {
            pendingCrossing = c
            cpu.requestStop()
        }
    }
    var lastFlushed: UInt64 = 0
    /// Classify every crossing (slower), not only those a `break crossing` stops at.
    public var recordCrossingDetail = false

    // MARK: Breakpoints and watchpoints

    /// Add a breakpoint; returns its number.
    @discardableResult
    public func addBreakpoint(_ address: UInt32) -> Int {
        let n = nextBreakpoint
        nextBreakpoint += 1
        breakpoints[n] = address
        syncBreakpoints()
        return n
    }

    public func deleteBreakpoint(_ n: Int) -> Bool {
        guard breakpoints.removeValue(forKey: n) != nil else { return false }
        syncBreakpoints()
        return true
    }

    func syncBreakpoints() {
        cpu.breakpoints = Set(breakpoints.values).union(temporary).union(externalBreakpoints)
    }

    public func addWatchpoint(_ w: Watchpoint) {
        cpu.setWatchpoints(cpu.watchpoints + [w])
    }

    /// Remove the user's watchpoints (the internal module_list watch stays).
    public func deleteWatchpoints() { cpu.setWatchpoints(moduleWatch.map { [$0] } ?? []) }

    public func removeWatchpoint(_ w: Watchpoint) -> Bool {
        guard let i = cpu.watchpoints.firstIndex(of: w) else { return false }
        var list = cpu.watchpoints
        list.remove(at: i)
        cpu.setWatchpoints(list)
        return true
    }

    // MARK: Run control

    /// Execute one instruction.
    public func step() -> DebugStop {
        if let e = exited { return .exited(e) }
        cpu.skipBreakpointOnce()
        let r = machine.run(maxInstructions: 1)
        if case .watchpoint(let h) = r, h.watchpoint == moduleWatch {
            refreshModules()
            return .stepped
        }
        return convert(r, stepping: true)
    }

    /// Run until a breakpoint, watchpoint, crossing, exit, interrupt or the budget.
    public func `continue`() -> DebugStop {
        if let e = exited { return .exited(e) }
        cpu.skipBreakpointOnce()
        interruptRequested = false
        var left = continueBudget
        while left > 0 {
            let slice = min(left, 5_000_000)
            let before = cpu.instructions
            let r = machine.run(maxInstructions: slice)
            left -= min(left, cpu.instructions &- before)
            if case .watchpoint(let h) = r, h.watchpoint == moduleWatch {
                refreshModules()
                continue
            }
            if case .instructionLimit = r {
                pollHook?()
                if interruptRequested { interruptRequested = false; return .interrupted }
                continue
            }
            return convert(r, stepping: false)
        }
        return .budget
    }

    /// Step over a call: run to the instruction after it.
    public func next() -> DebugStop {
        guard let insn = instruction(at: cpu.eip), insn.flow == .call else { return step() }
        return runTo(cpu.eip &+ UInt32(insn.bytes.count))
    }

    /// Run until the current function returns. The return address is at [ESP]
    /// on the first instruction, [ESP+4] after `push %ebp`, else [EBP+4] (frame
    /// pointers: the guest is built with -fno-omit-frame-pointer). Recursion is
    /// handled by stopping only once the stack has unwound past this frame.
    public func finish() -> DebugStop {
        let esp = cpu[.esp]
        let slot: UInt32
        if let (_, off) = symbols.lookup(cpu.eip), off <= 1 {
            slot = off == 0 ? esp : esp &+ 4
        } else {
            slot = cpu[.ebp] &+ 4
        }
        guard let ret = readU32(slot) else { return step() }
        while true {
            let stop = runTo(ret)
            guard case .breakpoint(let a) = stop, a == ret, cpu[.esp] <= slot else { return stop }
        }
    }

    func runTo(_ address: UInt32) -> DebugStop {
        temporary.insert(address)
        syncBreakpoints()
        defer { temporary.remove(address); syncBreakpoints() }
        return `continue`()
    }

    func convert(_ r: MachineExit, stepping: Bool) -> DebugStop {
        if let c = pendingCrossing {
            pendingCrossing = nil
            if r == .stopped || r == .instructionLimit { return .crossing(c) }
        }
        switch r {
        case .instructionLimit: return stepping ? .stepped : .budget
        case .breakpoint(let a): return .breakpoint(a)
        case .watchpoint(let h): return .watchpoint(h)
        case .stopped: return .interrupted
        default:
            exited = r
            return .exited(r)
        }
    }

    // MARK: Memory and code

    /// Read `count` bytes at linear `address` through the current page tables (nil if unmapped).
    public func read(_ address: UInt32, count: Int) -> [UInt8]? {
        let bytes = cpu.peekLinear(address, count: count)
        guard !bytes.contains(where: { $0 == nil }) else { return nil }
        return bytes.map { $0! }
    }

    public func readU32(_ address: UInt32) -> UInt32? {
        guard let b = read(address, count: 4) else { return nil }
        return UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    public func instruction(at address: UInt32) -> Instruction? {
        disassemble(at: address, count: 1).first
    }

    public func disassemble(at address: UInt32, count: Int) -> [Instruction] {
        guard let d = disassembler else { return [] }
        var bytes: [UInt8] = []
        for b in cpu.peekLinear(address, count: count * 15) {
            guard let b else { break }
            bytes.append(b)
        }
        return d.disassemble(bytes, address: address, maxCount: count)
    }

    /// Resolve `symbol`, `symbol+off`, `0xADDR`, `*0xADDR` or a decimal number.
    public func resolve(_ text: String) -> UInt32? {
        var t = text.trimmingCharacters()
        if t.hasPrefix("*") { t.removeFirst() }
        if let v = parseNumber(t) { return v }
        if let plus = t.firstIndex(of: "+") {
            let name = String(t[..<plus]), off = String(t[t.index(after: plus)...])
            guard let base = symbols.address(of: name), let o = parseNumber(off) else { return nil }
            return base &+ o
        }
        if let r = try? registerValue(t) { return r }
        return symbols.address(of: t)
    }

    func registerValue(_ name: String) throws -> UInt32? {
        let n = name.hasPrefix("$") ? String(name.dropFirst()) : name
        if let g = GPR.allCases.first(where: { $0.name == n }) { return cpu[g] }
        if n == "eip" || n == "pc" { return cpu.eip }
        return nil
    }
}

func parseNumber(_ s: String) -> UInt32? {
    let t = s.lowercased()
    if t.hasPrefix("0x") { return UInt32(t.dropFirst(2), radix: 16) }
    if let v = UInt32(t) { return v }
    return nil
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
