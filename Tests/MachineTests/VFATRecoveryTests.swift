// VFAT recovered without corruption: vfat.ko faults in the middle of the fs
// workload (an invalid opcode patched over the entry of vfat_rename, which
// the workload first calls in round 6, after it created, verified and
// "compiled" its files). Isolated, Nooks catches the fault, aborts the mount
// (the kernel writes the dirty buffers back) and reloads vfat.ko; the
// workload carries on with errors and powers off, and on the host fsck.vfat
// finds the volume clean and mtools reads every file the guest wrote before
// the fault with the right content. Natively the same fault kills the kernel.

import Testing
import Foundation
import ELF
import Devices
@testable import Machine

/// The fs workload's files (guest-images/kernel/workload/fs.c: untar, compile), with seed=1 files=24.
enum FSWorkloadFiles {
    static let dirs = ["/src/kernel core", "/src/Drivers And Modules", "/src/lib", "/src/a_rather_long_directory_name_for_vfat"]

    /// fill(): n bytes of the file with seed s.
    static func content(seed s: UInt32, size: Int) -> [UInt8] {
        (0..<size).map { i in
            let k = UInt32(i)
            return UInt8(truncatingIfNeeded: ((s &* 2654435761) ^ (k &* 40503) ^ (k >> 7)) >> 5)
        }
    }

    /// (path, content) of source i after round 3, and of its object after round 5.
    static func source(_ i: Int) -> (String, [UInt8]) {
        let seed = UInt32(1000 + i)
        let size = i % 9 == 0 ? 0 : Int((seed &* 7919) % 24000)
        let name = "\(dirs[i % 4])/\(i % 2 == 1 ? "source_file" : "SRC")_\(i).\(i % 3 != 0 ? "c" : "h")"
        return (name, content(seed: seed, size: size))
    }
    static func object(_ i: Int) -> (String, [UInt8]) {
        ("/obj/object_\(i).o", source(i).1.map { ~$0 })
    }

    /// Source i after round 7 (append, truncate to a third, unlink) and round 9
    /// (everything in /src/lib unlinked); nil if it is gone.
    static func sourceAfterModify(_ i: Int) -> (String, [UInt8]?) {
        let (path, bytes) = source(i)
        if i % 4 == 2 { return (path, nil) }
        switch i % 5 {
        case 1: return (path, bytes + content(seed: UInt32(1001 + i), size: 3000 + i))
        case 2: return (path, Array(bytes.prefix(bytes.count / 3)))
        case 3: return (path, nil)
        default: return (path, bytes)
        }
    }

    /// Round 10's /out/pattern.bin: 100000 bytes, byte k = (7k + 3) & 255.
    static let pattern = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
}

enum HostFAT {
    static var fsckAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/fsck.vfat") }

    /// fsck.vfat -n: (exit status, output).
    static func fsck(_ image: String) throws -> (Int32, String) {
        try TestImages.run("/usr/sbin/fsck.vfat", ["-n", image])
    }

    /// The bytes of `path` on the volume (mcopy to a temporary file), nil if mcopy fails.
    static func read(_ image: String, _ path: String) throws -> [UInt8]? {
        let out = NSTemporaryDirectory() + "nooks-mcopy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        setenv("MTOOLS_SKIP_CHECK", "1", 1)
        let (status, _) = try TestImages.run("/usr/bin/mcopy", ["-n", "-i", image, "::" + path, out])
        guard status == 0 else { return nil }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// Are two FAT32 images from mkdisk.sh equal except for the FSInfo sector's free-count
    /// and next-free hints (sector 1, bytes 488..<496), which vfat.ko's mount marks unknown?
    static func sameExceptFSInfoHints(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count, a.count > 1024 else { return false }
        let hints = (512 + 488)..<(512 + 496)
        return a.prefix(hints.lowerBound) == b.prefix(hints.lowerBound)
            && a.dropFirst(hints.upperBound) == b.dropFirst(hints.upperBound)
    }

    /// mkdisk.sh's /big.bin: 1 MiB, byte k = k % 251.
    static let big = (0..<(1 << 20)).map { UInt8($0 % 251) }
}

@Suite("VFAT recovered without corruption", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && DiskFixture.guestDriverPresent && HostFAT.fsckAvailable))
struct VFATRecoveryTests {
    /// Boots ide.ko + vfat.ko with `nooks`, patches ud2 over vfat_rename once
    /// vfat.ko is loaded, runs to the end.
    func faultInRename(nooks: String, disk: String) throws -> (Machine, MachineExit) {
        let images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko"])
        let plan = try MultibootLoader.plan(kernelPath: images[0], cmdline: "selftest=0 nooks=\(nooks) workload=fs edge=0",
                                            initrd: images.dropFirst().joined(separator: ","), memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        m.attachDisk(try FileBlockBackend(path: disk))
        try m.load(plan)
        if let early = ModuleFault.run(m, until: "workload: fs round 5 ok") {
            throw TestImages.Failure(description: "stopped before round 6 (\(early)):\n\(m.serialText)")
        }
        #expect(!m.serialText.contains("workload: fs round 6"), "the patch must land before round 6")
        try ModuleFault.patch(m, module: "vfat", modulePath: images[2], function: "vfat_rename", bytes: ModuleFault.ud2)
        return (m, m.run(maxInstructions: 4_000_000_000))
    }

    @Test("isolated: vfat.ko is recovered, the workload ends, and the volume is clean with every file intact")
    func isolated() throws {
        let disk = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: disk) }
        let (m, exit) = try faultInRename(nooks: "vfat", disk: disk)
        let text = m.serialText
        // The workload reports FAIL (round 6 saw the fault; rounds 8 and 9 miss the renamed
        // objects) and ends with debug-exit 1; a crash would be 0x7f, a hang the limit.
        #expect(exit == .debugExit(value: 1, status: 3), "exit \(exit):\n\(text.suffix(3000))")
        #expect(text.contains("nooks: fault domain=vfat"), "\(text.suffix(3000))")
        #expect(text.contains("nooks: recovered domain=vfat restarts=1"), "\(text.suffix(3000))")
        #expect(!text.contains("Kernel panic") && !text.contains("Oops"))
        // Round 6 saw the fault; the VFS aborted the old mount (writing its dirty buffers);
        // the workload mounted the volume again with the reloaded vfat.ko and carried on.
        #expect(text.contains("workload: fs round 6 FAIL"))
        #expect(text.contains("vfs: mount of vfat on 0300 aborted (nooks recovery); sync 0"), "\(text.suffix(3000))")
        #expect(text.contains("workload: fs volume not mounted, mounting again"))
        for round in [7, 10, 12, 13] {
            #expect(text.contains("workload: fs round \(round) ok"), "round \(round) on the reloaded vfat.ko")
        }
        #expect(text.contains("workload: fs umount: 0"))

        let (status, report) = try HostFAT.fsck(disk)
        #expect(status == 0, "fsck.vfat -n:\n\(report)")
        #expect(!report.contains("differ") && !report.contains("Reclaimed") && !report.contains("lost"), "\(report)")
        #expect(try HostFAT.read(disk, "/big.bin") == HostFAT.big)
        #expect(try HostFAT.read(disk, "/docs/A Long Directory Name/Nested File With A Long Name.txt")
                == Array("hello from the host\n".utf8))
        var bad: [String] = []
        for i in 0..<24 {
            let (o, obj) = FSWorkloadFiles.object(i), (s, src) = FSWorkloadFiles.sourceAfterModify(i)
            if try HostFAT.read(disk, o) != obj { bad.append(o) }
            if try HostFAT.read(disk, s) != src { bad.append(s) }
        }
        #expect(bad.isEmpty, "files the host cannot read back as the guest left them: \(bad)")
        #expect(try HostFAT.read(disk, "/out/pattern.bin") == FSWorkloadFiles.pattern)
        #expect(try HostFAT.read(disk, "/out/abort.txt") == Array("written before the abort\n".utf8))
    }

    @Test("natively, the same fault crashes the kernel")
    func native() throws {
        let disk = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: disk) }
        let (m, exit) = try faultInRename(nooks: "none", disk: disk)
        #expect(exit == .debugExit(value: 0x7F, status: 255), "exit \(exit):\n\(m.serialText.suffix(2000))")
        #expect(m.serialText.contains("Kernel panic"))
        #expect(!m.serialText.contains("workload: fs files="))
    }
}
