// Campaigns end to end on the real guest (e1000 with workload=net): a small
// campaign in this process and through worker processes, replay of a trial,
// and the CI-sized campaign's claim that isolation turns native crashes into
// recoveries.

import Foundation
import Testing
@testable import Inject
@testable import NooksEmuCLI

/// The guest files (built on first use) and the nooks-emu executable next to the test bundle.
enum Guest {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static var files: GuestFiles {
        _ = GuestImages.ensure("kernel.elf")
        return GuestFiles(kernel: root + "/guest-images/build/kernel.elf", modulesDirectory: root + "/guest-images/build/modules")
    }

    /// .build/debug/nooks-emu (or release), if it was built.
    static var executable: String? {
        for c in ["debug", "release"] {
            let p = root + "/.build/\(c)/nooks-emu"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func context(_ target: String = "e1000") throws -> CampaignContext {
        try CampaignContext(targetName: target, files: files)
    }
}

@Suite("campaigns end to end", .serialized)
struct CampaignTests {
    @Test("golden runs pass in both modes and the module is found")
    func golden() throws {
        let ctx = try Guest.context()
        #expect(ctx.goldenNative.outcome == .noEffect && ctx.goldenIsolated.outcome == .noEffect)
        #expect(ctx.native.textBase != 0 && ctx.isolated.textBase != 0)
        #expect(ctx.goldenNative.counts[.entry] > 10 && ctx.goldenNative.counts[.alloc] > 0)
        #expect(ctx.image.callSites.contains { $0.callee == "kfree_skb" })
    }

    @Test("a small campaign: every trial runs in both modes, repeatably")
    func small() throws {
        let ctx = try Guest.context()
        var c = CampaignConfig()
        c.trials = 8
        c.types = [.irq, .interface, .alloc, .stack]
        let results = (0..<c.trials).map { ctx.runTrial(c.spec($0)) }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0.faults.count == 5 })
        // NOPping popf or argument loads in e1000 brings the kernel down natively.
        #expect(results.contains { $0.native.outcome == .crash })
        #expect(results.filter { $0.type == .alloc }.allSatisfy { !$0.native.fired.isEmpty })
        #expect(ctx.runTrial(c.spec(5)) == results[5])
        let report = CampaignReport(config: c, results: results, hostErrors: [], workers: 1, seconds: 0, budget: ctx.budget)
        #expect(report.total.trials == 8)
        #expect(report.table.contains("system crashes:"))
        let decoded = try JSONDecoder().decode(CampaignReport.self, from: report.json())
        #expect(decoded.results == results)
    }

    @Test("worker processes give the same results as one process")
    func workers() throws {
        let exe = try #require(Guest.executable, "nooks-emu is not built")
        let ctx = try Guest.context()
        var c = CampaignConfig()
        c.trials = 6
        c.types = [.text, .pointer, .leak]
        let local = (0..<c.trials).map { ctx.runTrial(c.spec($0)) }
        let args = ["inject", "--target", c.target, "--seed", String(c.seed), "--faults", String(c.faults),
                    "--trials", String(c.trials), "--types", "text,pointer,leak", "--worker"]
        let (remote, errors) = WorkerPool(executable: exe, arguments: args, jobs: 2, trials: c.trials).run()
        #expect(errors.isEmpty)
        #expect(remote == local)
    }

    @Test("a worker that dies costs only its trial: it is reported as an emulator error")
    func deadWorkers() {
        // A "worker" that reads its first trial index and exits without answering.
        let pool = WorkerPool(executable: "/bin/sh", arguments: ["-c", "read x; exit 3"], jobs: 2, trials: 5)
        let (results, errors) = pool.run()
        #expect(results.isEmpty && errors == [0, 1, 2, 3, 4])
        // One that is gone before it reads anything.
        let gone = WorkerPool(executable: "/bin/sh", arguments: ["-c", "exec 0<&-; exit 3"], jobs: 1, trials: 3).run()
        #expect(gone.results.isEmpty && gone.hostErrors == [0, 1, 2])
    }

    @Test("a replay reproduces a trial's outcome and output exactly")
    func replay() throws {
        let spec = try #require(TrialSpec(parsing: "e1000:1:10:5:interface"))
        let a = try Guest.context().run(spec, mode: .native)
        let b = try Guest.context()
        let again = b.run(spec, mode: .native)
        #expect(a.outcome == again.outcome && a.detail == again.detail)
        #expect(a.serial == again.serial && a.instructions == again.instructions)
        // The campaign's result for that trial is the replay's.
        var c = CampaignConfig()
        c.types = FaultType.allCases
        #expect(c.spec(10) == spec)
        let r = b.runTrial(spec)
        #expect(r.native.outcome == a.outcome && r.native.instructions == a.instructions)
        // And the command-line replay exits 1 exactly when the isolated run crashed.
        let iso = b.run(spec, mode: .isolated)
        var cmd = try NooksEmuCommand.parseAsRoot(["inject", "--replay", spec.description, "--mode", "isolated"])
        var status: Int32 = 0
        do { try cmd.run() } catch { status = NooksEmuCommand.exitCode(for: error).rawValue }
        #expect(status == (iso.outcome == .crash ? 1 : 0))
    }

    @Test("bad command lines exit with the usage status")
    func badArguments() {
        func status(_ args: [String]) -> Int32 {
            do {
                var cmd = try NooksEmuCommand.parseAsRoot(args)
                try cmd.run()
                return 0
            } catch { return NooksEmuCommand.exitCode(for: error).rawValue }
        }
        #expect(status(["inject", "--replay", "e1000:1:x:5:text"]) == ExitStatus.usage)
        #expect(status(["inject", "--preset", "huge"]) == ExitStatus.usage)
        #expect(status(["inject", "--types", "text,bogus"]) == ExitStatus.usage)
        #expect(status(["inject", "--target", "nosuch"]) == ExitStatus.usage)
    }

    /// Measured on e1000, seed 1, the ci preset (320 trials x 5 faults, 2026-11-24): 163 native
    /// crashes -> 2 isolated, 148 of the 163 (91%) recovered. Faults that hit the module while it
    /// is being unloaded now complete the unload (the guest's recovery reports it); hangs inside a
    /// domain are caught by the one-tick livelock limit. The 2 remaining crashes are triple faults
    /// when a fault corrupts ESP inside the domain (the #PF cannot be delivered on that stack).
    @Test("CI campaign: isolation turns >= 90% of native crashes into recoveries")
    func ciCampaign() throws {
        var c = CampaignConfig()
        c.trials = 320
        c.faults = 5
        let results: [TrialResult]
        if let exe = Guest.executable {
            let args = ["inject", "--target", c.target, "--seed", String(c.seed), "--faults", String(c.faults),
                        "--trials", String(c.trials), "--types", "all", "--worker"]
            results = WorkerPool(executable: exe, arguments: args, jobs: 2, trials: c.trials).run().results
        } else {
            let ctx = try Guest.context()
            results = (0..<c.trials).map { ctx.runTrial(c.spec($0)) }
        }
        let report = CampaignReport(config: c, results: results, hostErrors: [], workers: 2, seconds: 0, budget: 0)
        #expect(report.total.native.crash > 20)
        let rate = try #require(report.crashRecoveryRate)
        #expect(rate >= 0.9, "\(report.table)")
    }
}
