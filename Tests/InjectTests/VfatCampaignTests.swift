// Campaigns on vfat.ko (after ide.ko, on a mkdisk.sh FAT16 disk): the golden runs
// pass and leave a clean disk, the overlay rolls the disk back between trials, a
// trial that isolation recovers from leaves a clean disk when recovery syncs the
// disk cache, replay and worker processes agree with the campaign, and the disk
// check does see damage.

import Foundation
import Testing
@testable import Inject
@testable import NooksEmuCLI

enum VfatFixture {
    static var toolsAvailable: Bool {
        DiskChecker.toolsAvailable && FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.vfat")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/mmd")
    }

    /// One context per target for the suite (booting both modes costs a few seconds in a debug build).
    nonisolated(unsafe) static var contexts: [String: CampaignContext] = [:]
    static func context(_ target: String = "vfat") throws -> CampaignContext {
        if let c = contexts[target] { return c }
        let c = try Guest.context(target)
        contexts[target] = c
        return c
    }

    /// A trial, found once with the release build (seed 1): a text fault in vfat.ko that
    /// oopses natively and that the isolated kernel recovers from (the mount is aborted).
    static let recoveredSpec = "vfat:1:0:5:text"
}

@Suite("vfat campaigns", .serialized, .enabled(if: VfatFixture.toolsAvailable))
struct VfatCampaignTests {
    @Test("golden runs pass in both modes, on a clean disk, with ide.ko loaded first")
    func golden() throws {
        let ctx = try VfatFixture.context()
        #expect(ctx.goldenNative.outcome == .noEffect && ctx.goldenIsolated.outcome == .noEffect)
        #expect(ctx.goldenNative.instructions < 100_000_000, "campaign-sized: \(ctx.goldenNative.instructions)")
        let serial = String(decoding: ctx.native.bootSerial + ctx.goldenNative.serial, as: UTF8.self)
        #expect(serial.contains("workload: fs read /big.bin size=1048576 ok"))
        #expect(ctx.native.disk != nil && ctx.diskChecker != nil)
        #expect(ctx.diskVerdict(.isolated) == DiskVerdict(damaged: false, reason: "clean"))
        #expect(ctx.target.commandLine(isolated: true).contains("nooks=vfat"))
        #expect(!ctx.target.commandLine(isolated: true).contains("nooks_fs_sync"))
    }

    @Test("the disk check sees damage: a zeroed FAT and a changed host file")
    func checkerSeesDamage() throws {
        let ctx = try VfatFixture.context()
        let checker = try #require(ctx.diskChecker)
        #expect(checker.check(dirty: [:]) == DiskVerdict(damaged: false, reason: "clean"))
        // FAT16 16 MiB from mkfs.vfat: 4 reserved sectors, the first FAT at sector 4.
        let zeroFAT = Dictionary(uniqueKeysWithValues: (UInt64(5)..<UInt64(20)).map { ($0, [UInt8](repeating: 0, count: 512)) })
        let v = checker.check(dirty: zeroFAT)
        #expect(v.damaged && v.reason.contains("fsck"), "\(v.reason)")
        // /big.bin's first sector, found by its content (byte k = k % 251).
        let base = checker.base
        let want = (0..<512).map { UInt8($0 % 251) }
        let sector = try #require((0..<base.count / 512).first { Array(base[$0 * 512..<$0 * 512 + 512]) == want })
        var changed = want
        changed[7] ^= 1
        let w = checker.check(dirty: [UInt64(sector): changed])
        #expect(w.damaged && w.reason.contains("/big.bin differs"), "\(w.reason)")
    }

    @Test("a trial the isolated kernel recovers from leaves a clean disk; replay gives the same result")
    func recoveredTrialCleanDisk() throws {
        let ctx = try VfatFixture.context()
        let spec = try #require(TrialSpec(parsing: VfatFixture.recoveredSpec))
        let r = ctx.runTrial(spec)
        #expect(r.native.outcome == .crash, "\(r.native.detail)")
        #expect(r.isolated.outcome == .recovered, "\(r.isolated.detail)")
        #expect(r.isolated.diskDamaged == false, "\(r.isolated.disk ?? "")")
        // Replay: the same trial again (the disk rolled back in between) gives the same result.
        #expect(ctx.runTrial(spec) == r)
        let iso = ctx.run(spec, mode: .isolated)
        #expect(String(decoding: iso.serial, as: UTF8.self).contains("nooks: aborted mount of vfat"))
        #expect(iso.outcome == r.isolated.outcome && iso.instructions == r.isolated.instructions)
        // And a golden run after it still finds the pristine disk.
        #expect(ctx.native.run(nil, budget: ctx.budget).outcome == .noEffect)
        #expect(ctx.diskVerdict(.native)?.damaged == false)
    }

    @Test("without the sync (nooks_fs_sync=0) recovery drops the dirty buffers")
    func noSyncDropsBuffers() throws {
        let ctx = try VfatFixture.context("vfat-nosync")
        #expect(ctx.target.commandLine(isolated: true).contains("nooks_fs_sync=0"))
        #expect(!ctx.target.commandLine(isolated: false).contains("nooks_fs_sync"))
        let spec = try #require(TrialSpec(parsing: "vfat-nosync:1:0:5:text"))
        let iso = ctx.run(spec, mode: .isolated)
        let text = String(decoding: iso.serial, as: UTF8.self)
        #expect(iso.outcome == .recovered && text.contains("no sync:"), "\(text)")
    }

    @Test("worker processes give the same vfat results as one process")
    func workers() throws {
        // The release build if there is one (a debug worker takes ~25 s to boot both modes);
        // the emulator is deterministic, so its results must equal this debug process's.
        let release = Guest.root + "/.build/release/nooks-emu"
        let exe = try #require(FileManager.default.isExecutableFile(atPath: release) ? release : Guest.executable,
                               "nooks-emu is not built")
        let ctx = try VfatFixture.context()
        var c = CampaignConfig()
        c.target = "vfat"
        c.trials = 2
        c.types = [.text, .heap]
        let local = (0..<c.trials).map { ctx.runTrial(c.spec($0)) }
        #expect(local.allSatisfy { $0.native.diskDamaged != nil && $0.isolated.diskDamaged != nil })
        let args = ["inject", "--target", "vfat", "--seed", "1", "--faults", "5", "--trials", "2",
                    "--types", "text,heap", "--worker"]
        let (remote, errors) = WorkerPool(executable: exe, arguments: args, jobs: 2, trials: c.trials).run()
        #expect(errors.isEmpty)
        #expect(remote == local)
        let report = CampaignReport(config: c, results: local, hostErrors: [], workers: 1, seconds: 0, budget: ctx.budget)
        #expect(report.disk?.nativeChecked == 2 && report.table.contains("disk damaged"))
    }

    @Test("old JSON without disk fields still decodes")
    func oldJSON() throws {
        let json = #"{"outcome":"crash","detail":"panic","instructions":5,"fired":[],"detected":false}"#
        let m = try JSONDecoder().decode(ModeResult.self, from: Data(json.utf8))
        #expect(m.diskDamaged == nil && m.disk == nil && m.outcome == .crash)
    }
}
