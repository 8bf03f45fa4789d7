// `nooks-emu inject`: fault-injection campaigns in the manner of Nooks (SOSP 2003
// §5): N trials of K faults each, every trial run native and isolated on the same
// module binary with the same faults, from a snapshot taken at the workload's
// entry; a table of outcomes per fault type; any trial replayable by its spec.

import ArgumentParser
import Debugger
import ELF
import Foundation
import Inject
import Machine

struct InjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inject",
        abstract: "Fault-injection campaigns: the same faults native and isolated, outcomes per fault type.",
        discussion: """
        Each trial draws K faults of one type (trial i gets type i mod the type count) from the seed \
        and its index; it runs native (nooks=none) and isolated (nooks=<module>) from a snapshot taken \
        at the workload's entry, each run bounded by an instruction budget (10x a fault-free run + 2M).

        Fault types: \(FaultType.allCases.map(\.rawValue).joined(separator: " ")) (also: all, code, runtime).
        Targets: \(InjectTarget.knownNames.joined(separator: " ")).

        vfat runs the fs workload (ide.ko loaded first) on a FAT16 image from guest-images/tests/mkdisk.sh, \
        copy-on-write and rolled back with the snapshot; after every run the disk is checked (fsck.vfat -n \
        and the files mkdisk.sh put there, read back with mtools) and the summary counts damaged disks. \
        --no-fs-sync (target vfat-nosync) makes isolated recovery drop the disk cache instead of syncing it.
        Presets: ci (e1000, 320 trials x 5 faults), paper (400 trials x 5 faults). Default: 20 trials x 5.

        Outcomes: crash (oops/panic, triple fault, hang), recovered (nooks: recovered and the workload ran \
        to its end), failure (workload failed, or the extension was disabled), no-effect.

        Every trial has a spec TARGET:SEED:TRIAL:FAULTS:TYPE. `inject --replay SPEC` re-runs it and prints \
        its faults and serial output (exit status 1 if the isolated run crashed); `inject --replay SPEC \
        --debug --mode native|isolated` opens the debugger at the snapshot with its code faults applied.
        """
    )

    @Option(help: "Target module: e1000 (workload=net), echo (workload=chr), vfat (workload=fs on a disk) or a buggy_* driver (workload=buggy).")
    var target: String?

    @Flag(name: .customLong("no-fs-sync"), help: "With --target vfat: recovery drops the dirty disk cache instead of syncing it (nooks_fs_sync=0; the target becomes vfat-nosync).")
    var noFsSync = false

    @Option(help: "Campaign seed.")
    var seed: UInt64 = 1

    @Option(help: "Number of trials.")
    var trials: Int?

    @Option(help: "Faults per trial.")
    var faults: Int?

    @Option(help: "Fault types, a comma list (all, code, runtime, or names).")
    var types: String = "all"

    @Option(help: "ci or paper.")
    var preset: String?

    @Option(help: "Worker processes (default: one per core).")
    var jobs: Int?

    @Flag(name: .customLong("in-process"), help: "Run the trials in this process instead of worker processes (no protection from emulator bugs).")
    var inProcess = false

    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "FILE"))
    var json: String?

    @Option(help: ArgumentHelp("Re-run one trial and print its serial output.", valueName: "SPEC"))
    var replay: String?

    @Option(help: "With --replay: native, isolated or both.")
    var mode: String = "both"

    @Option(name: .customLong("save-disk"), help: ArgumentHelp("With --replay on a target with a disk: write each mode's final disk to PREFIX-MODE.img.", valueName: "PREFIX"))
    var saveDisk: String?

    @Flag(help: "With --replay: open the debugger at the snapshot point with the trial's code faults applied.")
    var debug = false

    @Option(name: .customLong("ex"), help: "With --debug: a debugger command to run first (repeatable).")
    var commands: [String] = []

    @Flag(help: .hidden)
    var worker = false

    var files: GuestFiles {
        GuestFiles(kernel: GuestImages.path("kernel.elf"), modulesDirectory: GuestImages.path("modules"))
    }

    func config() throws -> CampaignConfig {
        var c = CampaignConfig()
        switch preset {
        case nil: break
        case "ci": c.trials = 320; c.faults = 5
        case "paper": c.trials = 400; c.faults = 5
        default: throw ValidationError("--preset must be ci or paper (got '\(preset!)')")
        }
        if let target { c.target = target }
        guard InjectTarget.named(c.target) != nil else {
            throw ValidationError("unknown --target \(c.target) (\(InjectTarget.knownNames.joined(separator: ", ")))")
        }
        if noFsSync {
            guard c.target == "vfat" || c.target == "vfat-nosync" else { throw ValidationError("--no-fs-sync needs --target vfat") }
            c.target = "vfat-nosync"
        }
        c.seed = seed
        if let trials { c.trials = trials }
        if let faults { c.faults = faults }
        guard c.trials >= 1, (1...100).contains(c.faults) else { throw ValidationError("need --trials >= 1 and 1 <= --faults <= 100") }
        guard let t = FaultType.parseList(types) else { throw ValidationError("bad --types '\(types)'") }
        c.types = t
        return c
    }

    func run() throws {
        _ = GuestImages.ensure("kernel.elf")
        if let replay { return try runReplay(replay) }
        let c = try config()
        if worker { return try runWorker(c) }
        try runCampaign(c)
    }

    func context(_ name: String) throws -> CampaignContext {
        do { return try CampaignContext(targetName: name, files: files) } catch {
            throw fail(error.description, status: ExitStatus.internalError)
        }
    }

    /// A worker: read trial indices from stdin, print one JSON line per trial.
    func runWorker(_ c: CampaignConfig) throws {
        let ctx = try context(c.target)
        let enc = JSONEncoder()
        while let line = readLine() {
            guard let i = Int(line), i >= 0 else { continue }
            let r = ctx.runTrial(c.spec(i))
            if let d = try? enc.encode(r) {
                FileHandle.standardOutput.write(d + Data([0x0A]))
            }
        }
    }

    func runCampaign(_ c: CampaignConfig) throws {
        let clock = ContinuousClock(), start = clock.now
        let jobs = inProcess ? 1 : max(1, self.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let bar = ProgressBar(enabled: isatty(2) != 0)
        var results: [TrialResult] = [], hostErrors: [Int] = []
        var budget: UInt64 = 0
        if inProcess {
            let ctx = try context(c.target)
            budget = ctx.budget
            for i in 0..<c.trials {
                results.append(ctx.runTrial(c.spec(i)))
                bar.update(i + 1, c.trials)
            }
        } else {
            // Check the target boots here first, so errors are reported once and clearly.
            budget = try context(c.target).budget
            let args = ["inject", "--target", c.target, "--seed", String(c.seed), "--faults", String(c.faults),
                        "--trials", String(c.trials), "--types", c.types.map(\.rawValue).joined(separator: ","), "--worker"]
            let pool = WorkerPool(executable: CommandLine.selfExecutable, arguments: args, jobs: jobs, trials: c.trials)
            pool.progress = { done, total in bar.update(done, total) }
            (results, hostErrors) = pool.run()
        }
        bar.finish()
        let seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
        let report = CampaignReport(config: c, results: results, hostErrors: hostErrors.map { c.spec($0).description },
                                    workers: jobs, seconds: seconds, budget: budget)
        print(report.table)
        let crashes = results.filter { $0.isolated.outcome == .crash }.prefix(5)
        if let first = results.first(where: { $0.native.outcome == .crash }) ?? results.first {
            print("replay a trial: nooks-emu inject --replay \(first.spec)")
        }
        for r in crashes { print("isolated crash: nooks-emu inject --replay \(r.spec)  (\(r.isolated.detail))") }
        if let json {
            guard FileManager.default.createFile(atPath: json, contents: report.json()) else {
                throw fail("cannot write \(json)", status: ExitStatus.usage)
            }
        }
    }

    func runReplay(_ s: String) throws {
        guard let spec = TrialSpec(parsing: s) else {
            throw fail("bad trial spec '\(s)' (TARGET:SEED:TRIAL:FAULTS:TYPE)", status: ExitStatus.usage)
        }
        let modes: [InjectMode]
        switch mode {
        case "both": modes = debug ? [.isolated] : [.native, .isolated]
        case "native": modes = [.native]
        case "isolated": modes = [.isolated]
        default: throw ValidationError("--mode must be native, isolated or both")
        }
        let ctx = try context(spec.target)
        let plan = ctx.plan(spec)
        print("trial \(spec): \(plan.code.count + plan.runtime.count) fault(s) of type \(spec.type.rawValue)")
        for line in plan.describe(ctx.image) { print("  fault: \(line)") }
        if debug { return try runDebugger(ctx, plan, modes[0]) }
        var status: Int32 = 0
        for m in modes {
            let tm = ctx.machine(m)
            let r = tm.run(plan, budget: ctx.budget)
            print("==== \(m.rawValue) (\(ctx.target.commandLine(isolated: m == .isolated))) ====")
            let text = String(decoding: tm.bootSerial + r.serial, as: UTF8.self)
            print(text, terminator: text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
            for f in r.fired { print("inject: fired \(f)") }
            if case .tripleFault(let report) = r.exit { print("inject: \(report.description)") }
            if case .hang(let why) = r.exit { print("inject: hang: \(why) at eip=0x\(String(tm.machine.cpu.eip, radix: 16))") }
            if case .instructionLimit = r.exit { print("inject: budget of \(ctx.budget) instructions exhausted at eip=0x\(String(tm.machine.cpu.eip, radix: 16))") }
            print("inject: \(m.rawValue) outcome \(r.outcome.rawValue) (\(r.detail)) after \(r.instructions) instructions")
            if let saveDisk, let checker = ctx.diskChecker, let disk = tm.disk {
                let path = "\(saveDisk)-\(m.rawValue).img"
                guard FileManager.default.createFile(atPath: path, contents: Data(checker.contents(dirty: disk.dirty))) else {
                    throw fail("cannot write \(path)", status: ExitStatus.usage)
                }
                print("inject: \(m.rawValue) disk written to \(path)")
            }
            if let v = ctx.diskVerdict(m) { print("inject: \(m.rawValue) disk \(v.damaged ? "DAMAGED" : "clean")\(v.damaged ? ": " + v.reason : "")") }
            if m == .isolated, r.outcome == .crash { status = 1 }
        }
        throw ExitCode(status)
    }

    /// The debugger on the restored machine with the code faults applied (runtime faults are listed, not armed).
    func runDebugger(_ ctx: CampaignContext, _ plan: TrialPlan, _ m: InjectMode) throws {
        let tm = ctx.machine(m)
        _ = tm.run(plan, budget: 0)   // restore and patch; no instructions run
        let machine = tm.machine
        machine.serialSink = { b in FileHandle.standardOutput.write(Data([b])) }
        var symbols = SymbolTable()
        if let k = try? ELFFile(path: files.kernel) { symbols.add(k) }
        if let mod = try? ELFFile(path: files.module(ctx.target)) {
            symbols.add(mod, sectionAddresses: ctx.image.sectionOffsets.mapValues { tm.textBase &+ UInt32($0) })
        }
        print("debugger: \(m.rawValue) machine at \(ctx.target.entrySymbol) with the code faults applied; budget \(ctx.budget)")
        fflush(nil)
        let session = DebugSession(machine: machine, symbols: symbols)
        let interp = CommandInterpreter(session: session)
        var going = true
        for c in commands where going {
            let out = interp.execute(c)
            if !out.isEmpty { print(out) }
            going = !interp.quitRequested
        }
        while going, let line = readLine() {
            let out = interp.execute(line)
            if !out.isEmpty { print(out) }
            going = !interp.quitRequested
        }
    }
}

/// A one-line progress bar on stderr (only when it is a terminal).
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    let lock = NSLock()
    init(enabled: Bool) { self.enabled = enabled }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 40, filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) trials".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

extension CommandLine {
    /// This process's executable (workers run it again).
    static var selfExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
    }
}
