// `nooks-emu trace`: run a guest and log every domain crossing and exception
// (modeled-cycle timestamps, direction, domain, function) to a file, then
// summarise per function and per symbol.

import ArgumentParser
import Debugger
import ELF
import Machine

#if canImport(Glibc)
import Glibc
#endif

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Log domain crossings and faults (cycles, direction, domain, function) and summarise per function."
    )

    @OptionGroup var boot: BootOptions

    @Option(name: .shortAndLong, help: "Trace file (default: stdout).")
    var output: String?

    @Flag(help: "Include hardware interrupts in the log.")
    var interrupts = false

    @Option(help: "Symbols to show in the per-symbol cost summary (most cycles first).")
    var top: Int = 15

    func run() throws {
        var config = MachineConfig()
        config.echoSerial = false
        let (machine, _, kernel) = try boot.makeMachine(config: config)
        var symbols = SymbolTable()
        if let elf = try? ELFFile(path: kernel) { symbols = SymbolTable(files: [(elf, 0)]) }
        let session = DebugSession(machine: machine, symbols: symbols, historyCapacity: 16)
        for path in boot.modulePaths { session.addModuleFile(path: path) }
        let tracer = CrossingTracer(session: session)
        var out: UnsafeMutablePointer<FILE>? = nil
        if let output {
            guard let f = fopen(output, "w") else { throw fail("cannot write \(output)", status: ExitStatus.usage) }
            out = f
        }
        func emit(_ s: String) {
            if let out { fputs(s + "\n", out) } else { print(s) }
        }
        emit("# nooks-emu trace of \(kernel) \(boot.append)")
        emit("# cycle\tevent\tdomains\tfunction\tdetail")
        tracer.sink = { e in
            if e.kind == .interrupt && !interrupts { return }
            emit(CrossingTracer.format(e))
        }
        tracer.start()
        session.continueBudget = boot.maxInstructions ?? 20_000_000_000
        var stop = session.continue()
        while case .watchpoint = stop { stop = session.continue() }
        tracer.stop()
        if let out { fclose(out) }
        let exit: MachineExit = { if case .exited(let e) = stop { return e }; return .instructionLimit }()

        printError("--- trace summary (\(tracer.events.count) events) ---")
        let count = { (k: TraceEvent.Kind) in tracer.events.filter { $0.kind == k }.count }
        printError("XPCs into extensions: \(count(.call))   extension->kernel calls: \(count(.kcall))   other CR3 switches: \(count(.switchCR3))   faults: \(count(.fault))")
        printError("extension functions called by the kernel (cycles from the call's CR3 load to the return's):")
        for (fn, v) in tracer.perFunction.sorted(by: { $0.value.cycles > $1.value.cycles }) {
            printError("  \(fn.padding(32)) \(grouped(v.count)) calls, \(grouped(v.cycles)) cycles, \(grouped(v.cycles / max(1, v.count))) per call")
        }
        printError("kernel functions called by extensions:")
        for (fn, v) in tracer.perKernelFunction.sorted(by: { $0.value.cycles > $1.value.cycles }) {
            printError("  \(fn.padding(32)) \(grouped(v.count)) calls, \(grouped(v.cycles)) cycles, \(grouped(v.cycles / max(1, v.count))) per call")
        }
        printError("top symbols by modeled cycles:")
        for (name, c) in tracer.profiler.ranked.prefix(top) {
            printError("  \(name.padding(32)) \(grouped(c.cycles)) cycles, \(grouped(c.instructions)) instructions, \(grouped(c.dtlbMisses + c.itlbMisses)) TLB misses")
        }
        throw ExitCode(ExitStatus.status(for: exit))
    }
}
