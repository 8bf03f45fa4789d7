// Everything a process needs to run trials of one target: the module's pristine
// text and its code-fault planner, a machine per mode at the snapshot point,
// the golden (fault-free) runs that size the runtime-fault draws, and the
// instruction budget. Workers build their own; results do not depend on which
// worker ran a trial.

import Machine

/// A trial's result in one mode, as reported (and serialised by workers).
public struct ModeResult: Sendable, Codable, Equatable {
    public var outcome: Outcome
    public var detail: String
    public var instructions: UInt64
    public var fired: [String]
    /// The isolation manager reported a fault (`nooks: fault`), whether or not it recovered.
    public var detected: Bool
    /// Targets with a disk: did the run leave it damaged (fsck.vfat -n complained, or a
    /// file mkdisk.sh put there no longer reads back)? nil: no disk, or not checked.
    public var diskDamaged: Bool? = nil
    /// "clean" or what the disk check found.
    public var disk: String? = nil
}

/// One trial, native and isolated.
public struct TrialResult: Sendable, Codable, Equatable {
    public var spec: String
    public var type: FaultType
    public var faults: [String]
    public var native: ModeResult
    public var isolated: ModeResult
}

/// The per-process state of a campaign on one target.
public final class CampaignContext {
    public let target: InjectTarget
    public let targetName: String
    public let image: ModuleImage
    public let planner: CodeFaultPlanner
    public let native: TrialMachine
    public let isolated: TrialMachine
    public let goldenNative: TrialRun
    public let goldenIsolated: TrialRun
    /// Checks the disk after each run (targets with a disk).
    public let diskChecker: DiskChecker?
    /// Instruction budget per run, the same for both modes: 10x the longer golden run plus
    /// two million, plus 30 million (three timer ticks at 1 GHz modeled, so the isolated
    /// kernel's one-tick livelock detector has time to fire). Beyond it: a hang.
    public let budget: UInt64

    /// Boots both modes of the target called `targetName` and runs the golden trials.
    public init(targetName: String, files: GuestFiles) throws(InjectError) {
        guard let t = InjectTarget.named(targetName) else { throw InjectError("unknown target \(targetName)") }
        target = t
        self.targetName = targetName
        do { image = try ModuleImage(path: files.module(t)) } catch { throw InjectError("\(files.module(t)): \(error)") }
        guard let decoder = LayoutDecoder() else { throw InjectError("capstone could not be opened") }
        planner = CodeFaultPlanner(instructions: decoder.decode(image.text), textSize: image.text.count)
        let diskImage = try t.disk.map { spec throws(InjectError) in try DiskImages.image(spec, mkdisk: files.mkdisk) }
        let checker = try diskImage.map { bytes throws(InjectError) in try DiskChecker(base: bytes) }
        diskChecker = checker
        native = try TrialMachine(target: t, mode: .native, files: files, image: image, diskImage: diskImage)
        isolated = try TrialMachine(target: t, mode: .isolated, files: files, image: image, diskImage: diskImage)
        goldenNative = native.run(nil, budget: 200_000_000)
        let goldenNativeDisk = native.disk.flatMap { d in checker?.check(dirty: d.dirty) }
        goldenIsolated = isolated.run(nil, budget: 200_000_000)
        let goldenIsolatedDisk = isolated.disk.flatMap { d in checker?.check(dirty: d.dirty) }
        for (name, g) in [("native", goldenNative), ("isolated", goldenIsolated)] where g.outcome != .noEffect {
            throw InjectError("the fault-free \(name) run of \(targetName) does not pass (\(g.detail)):\n"
                              + String(decoding: g.serial, as: UTF8.self))
        }
        for (name, v) in [("native", goldenNativeDisk), ("isolated", goldenIsolatedDisk)] where v?.damaged == true {
            throw InjectError("the fault-free \(name) run of \(targetName) leaves a damaged disk: \(v!.reason)")
        }
        budget = max(goldenNative.instructions, goldenIsolated.instructions) * 10 + 2_000_000 + 30_000_000
    }

    /// The faults of a trial.
    public func plan(_ spec: TrialSpec) -> TrialPlan {
        TrialPlan(spec: spec, planner: planner, counts: goldenNative.counts)
    }

    /// The machine of a mode.
    public func machine(_ mode: InjectMode) -> TrialMachine { mode == .native ? native : isolated }

    /// Runs a trial in one mode.
    public func run(_ spec: TrialSpec, mode: InjectMode) -> TrialRun {
        machine(mode).run(plan(spec), budget: budget)
    }

    /// The disk check of a mode's machine as the last run left it (nil: no disk).
    public func diskVerdict(_ mode: InjectMode) -> DiskVerdict? {
        guard let diskChecker, let disk = machine(mode).disk else { return nil }
        return diskChecker.check(dirty: disk.dirty)
    }

    /// Runs a trial in both modes (and checks the disk after each run).
    public func runTrial(_ spec: TrialSpec) -> TrialResult {
        let plan = plan(spec)
        func result(_ mode: InjectMode) -> ModeResult {
            let r = machine(mode).run(plan, budget: budget)
            let v = diskVerdict(mode)
            return ModeResult(outcome: r.outcome, detail: r.detail, instructions: r.instructions, fired: r.fired,
                              detected: r.serial.contains("nooks: fault".utf8), diskDamaged: v?.damaged, disk: v?.reason)
        }
        let n = result(.native)
        return TrialResult(spec: spec.description, type: spec.type, faults: plan.describe(image),
                           native: n, isolated: result(.isolated))
    }
}

/// A campaign's parameters.
public struct CampaignConfig: Sendable, Equatable {
    public var target: String = "e1000"
    public var seed: UInt64 = 1
    public var trials: Int = 20
    public var faults: Int = 5
    public var types: [FaultType] = FaultType.allCases
    public init() {}

    /// Trial `i`: its type is types[i mod count], so every type gets its share.
    public func spec(_ i: Int) -> TrialSpec {
        TrialSpec(target: target, seed: seed, trial: i, faults: faults, type: types[i % types.count])
    }
}
