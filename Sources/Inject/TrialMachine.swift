// One mode of a campaign: boot once to the snapshot point (a breakpoint at the
// workload's entry), snapshot, run a fault-free golden trial, and then any
// number of trials, each from a restored snapshot with its faults applied and
// bounded by an instruction budget. A target with a disk runs on an overlay
// over the pristine image, snapshotted and restored with the machine.

import Core
import Devices
import ELF
import Foundation
import Machine

/// Why a campaign could not start.
public struct InjectError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Where the kernel and the module files are.
public struct GuestFiles: Sendable {
    public var kernel: String
    public var modulesDirectory: String
    /// guest-images/tests/mkdisk.sh (default: ../../tests/mkdisk.sh from the modules directory).
    public var mkdisk: String
    public init(kernel: String, modulesDirectory: String, mkdisk: String? = nil) {
        self.kernel = kernel; self.modulesDirectory = modulesDirectory
        self.mkdisk = mkdisk ?? (((modulesDirectory as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent as NSString).appendingPathComponent("tests/mkdisk.sh")
    }
    public func module(_ t: InjectTarget) -> String { module(named: t.module) }
    public func module(named name: String) -> String { modulesDirectory + "/" + name + ".ko" }
}

/// How one run of a trial went.
public struct TrialRun: Sendable {
    public var outcome: Outcome
    public var detail: String
    public var exit: MachineExit
    /// Guest instructions since the snapshot.
    public var instructions: UInt64
    /// Serial output since the snapshot.
    public var serial: [UInt8]
    /// What the runtime faults did.
    public var fired: [String]
    /// Events counted (the golden run's are the draw ranges).
    public var counts: EventCounts
}

/// A booted machine at the snapshot point for one target and mode.
public final class TrialMachine {
    public let target: InjectTarget
    public let mode: InjectMode
    public let machine: Machine
    public let snapshot: MachineSnapshot
    /// Where the module's text region is in the guest.
    public let textBase: UInt32
    public let image: ModuleImage
    /// Output up to the snapshot point.
    public var bootSerial: [UInt8] { snapshot.serialOutput }
    let decoder: LayoutDecoder?
    /// The module's heap blocks live at the snapshot point (allocated during its load and init).
    public private(set) var bootBlocks: [HeapBlock] = []
    /// The disk (copy-on-write over the pristine image) and its state at the snapshot point.
    public let disk: OverlayBlockBackend?
    let diskSnapshot: OverlayBlockBackend.Snapshot?

    /// Guest RAM for campaigns (restoring copies all of it each trial).
    public static let memoryMiB = 32

    /// Boots `target` in `mode` to the entry of its workload.
    /// `diskImage`: the pristine image, if the target has a disk.
    public init(target: InjectTarget, mode: InjectMode, files: GuestFiles, image: ModuleImage,
                diskImage: [UInt8]? = nil) throws(InjectError) {
        self.target = target
        self.mode = mode
        self.image = image
        decoder = LayoutDecoder()
        let kernelELF: ELFFile
        do { kernelELF = try ELFFile(path: files.kernel) } catch { throw InjectError("\(files.kernel): \(error)") }
        guard let entry = kernelELF.symbol(named: target.entrySymbol)?.value else {
            throw InjectError("the kernel has no symbol \(target.entrySymbol)")
        }
        var cfg = MachineConfig()
        cfg.memoryMiB = TrialMachine.memoryMiB
        cfg.echoSerial = false
        // Fixed names on the Multiboot command lines, so runs do not depend on where the checkout is.
        let plan: BootPlan
        do {
            let kernel = try FileBytes.read(path: files.kernel)
            let modules = try (target.modulesBefore + [target.module]).map { name in
                (bytes: try FileBytes.read(path: files.module(named: name)), cmdline: name + ".ko")
            }
            plan = try MultibootLoader.plan(kernel: kernel, kernelName: "kernel.elf",
                                            cmdline: target.commandLine(isolated: mode == .isolated),
                                            modules: modules, memoryBytes: UInt64(cfg.memoryMiB) << 20)
        } catch { throw InjectError("boot plan: \(error)") }
        let m = Machine(config: cfg)
        if let diskImage {
            let overlay = OverlayBlockBackend(base: MemoryBlockBackend(bytes: diskImage, readOnly: true))
            m.attachDisk(overlay)
            disk = overlay
        } else {
            disk = nil
        }
        do { try m.load(plan) } catch { throw InjectError("\(error)") }
        let loadedHook = kernelELF.symbol(named: "nooks_module_loaded")?.value
        var tracker: RuntimeInjector?
        m.cpu.breakpoints = Set([entry] + (loadedHook.map { [$0] } ?? []))
        var exit: MachineExit
        repeat {
            exit = m.run(maxInstructions: 500_000_000)
            guard case .breakpoint(let a) = exit, a != entry else { break }
            if a == loadedHook, tracker == nil, let base = TrialMachine.loadingModuleText(m.cpu, image: image) {
                // The module is relocated and about to be initialised: watch its allocations from here.
                let t = RuntimeInjector(image: image, textBase: base, faults: [], decoder: decoder, heapOnly: true)
                tracker = t
                m.cpu.breakpoints = t.breakpoints.union([entry])
            } else if a != loadedHook {
                _ = tracker?.handle(a, cpu: m.cpu)
            }
            m.cpu.skipBreakpointOnce()
        } while true
        m.cpu.breakpoints = []
        bootBlocks = tracker?.liveBlocks ?? []
        guard exit == .breakpoint(entry) else {
            throw InjectError("\(mode.rawValue) boot of \(target.module) did not reach \(target.entrySymbol) (\(exit)):\n" + m.serialText)
        }
        guard let base = TrialMachine.textBase(serial: m.serialText, module: target.module) else {
            throw InjectError("\(mode.rawValue) boot: no 'module: \(target.module) text' line:\n" + m.serialText)
        }
        machine = m
        textBase = base
        snapshot = m.snapshot()
        diskSnapshot = disk?.snapshot()
    }

    /// Did the guest print `nooks: fault` since byte `start` of its serial output?
    func caughtFault(from start: Int) -> Bool {
        let key = Array("nooks: fault".utf8), out = machine.serialOutput
        guard out.count >= start + key.count else { return false }
        var i = max(start, scanned - key.count)
        scanned = out.count
        while i + key.count <= out.count {
            if out[i] == key[0], Array(out[i..<i + key.count]) == key { return true }
            i += 1
        }
        return false
    }

    /// How far `caughtFault` has looked.
    var scanned = 0

    /// At the loader's nooks_module_loaded(mod): mod->sect[MOD_SECT_TEXT].addr, if mod is
    /// the target (its text size matches). struct module: name[32], args[128], argbuf[128], sect[4].
    static func loadingModuleText(_ cpu: CPU, image: ModuleImage) -> UInt32? {
        func word(_ a: UInt32) -> UInt32? {
            let b = cpu.peekLinear(a, count: 4)
            guard b.allSatisfy({ $0 != nil }) else { return nil }
            return b.enumerated().reduce(0) { $0 | UInt32($1.element!) << UInt32(8 * $1.offset) }
        }
        guard let mod = word(cpu[.esp] &+ 4), let addr = word(mod &+ 288), let size = word(mod &+ 292),
              Int(size) == image.text.count, addr != 0 else { return nil }
        let name = cpu.peekLinear(mod, count: 32).map { $0 ?? 0 }.prefix { $0 != 0 }
        return String(decoding: name, as: UTF8.self) == image.name ? addr : nil
    }

    /// The text address from the loader's `module: NAME text 0x... size N` line (the last one).
    static func textBase(serial: String, module: String) -> UInt32? {
        let key = "module: \(module) text 0x"
        var found: UInt32?
        for line in serial.split(separator: "\n") where line.hasPrefix(key) {
            let rest = line.dropFirst(key.count).prefix { $0.isHexDigit }
            found = UInt32(rest, radix: 16)
        }
        return found
    }

    /// Runs one trial from the snapshot: `plan`'s code patches applied, its runtime faults
    /// armed, at most `budget` instructions. An empty plan counts events (the golden run).
    public func run(_ plan: TrialPlan?, budget: UInt64) -> TrialRun {
        let cpu = machine.cpu
        machine.restore(snapshot)
        if let disk, let diskSnapshot { disk.restore(diskSnapshot) }
        cpu.breakpoints = []
        cpu.skipBreakpointOnce()   // clears any stale skip left by an earlier trial
        for p in plan?.code ?? [] {
            let at = textBase &+ UInt32(p.offset)
            let old = cpu.peekLinear(at, count: p.length).map { $0 ?? 0 }
            cpu.pokeLinear(at, p.apply(to: old))
        }
        let runtime = plan?.runtime ?? []
        let injector: RuntimeInjector? = plan == nil || !runtime.isEmpty
            ? RuntimeInjector(image: image, textBase: textBase, faults: runtime, decoder: decoder, blocks: bootBlocks) : nil
        if let injector { cpu.breakpoints = injector.breakpoints }
        let start = cpu.instructions
        scanned = snapshot.serialOutput.count
        var exit: MachineExit
        while true {
            let used = cpu.instructions &- start
            exit = used >= budget ? .instructionLimit : machine.run(maxInstructions: budget - used)
            guard case .breakpoint(let a) = exit, let injector else { break }
            if !injector.disarmed, plan != nil, caughtFault(from: snapshot.serialOutput.count) {
                injector.disarm()
                cpu.breakpoints = injector.done ? [] : injector.breakpoints
                if !cpu.breakpoints.contains(a) { continue }
            }
            let moved = injector.handle(a, cpu: cpu)
            if injector.done {
                cpu.breakpoints = []
            } else if injector.disarmed, cpu.breakpoints != injector.breakpoints {
                cpu.breakpoints = injector.breakpoints
            }
            if !moved, cpu.breakpoints.contains(a) { cpu.skipBreakpointOnce() }
        }
        cpu.breakpoints = []
        let serial = Array(machine.serialOutput.dropFirst(snapshot.serialOutput.count))
        let (outcome, detail) = Outcome.classify(exit: exit, serial: String(decoding: serial, as: UTF8.self))
        return TrialRun(outcome: outcome, detail: detail, exit: exit, instructions: cpu.instructions &- start,
                        serial: serial, fired: injector?.log ?? [], counts: injector?.counts ?? EventCounts())
    }
}
