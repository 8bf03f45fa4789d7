// Full boots with an IDE disk: the guest's ide.ko and vfat.ko run the fs
// workload on a FAT32 image made by guest-images/tests/mkdisk.sh; the run is
// deterministic (same output, same disk bytes) and leaves the image exactly as
// qemu-system-i386 with `-drive file=...,format=raw,if=ide` does.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

enum DiskFixture {
    static var toolsAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.vfat")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/mcopy")
    }

    /// A fresh FAT32 image from mkdisk.sh at a temporary path.
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "nooks-disk-\(UUID().uuidString).img"
        let (status, _) = try TestImages.run("/bin/bash", [TestImages.dir + "/tests/mkdisk.sh", path, "32"])
        guard status == 0 else { throw TestImages.Failure(description: "mkdisk.sh failed") }
        return path
    }

    /// Two identical images (mkfs.vfat picks a new volume ID each time, so copy one).
    static func makePair() throws -> (String, String) {
        let a = try make(), b = a + ".copy"
        try FileManager.default.copyItem(atPath: a, toPath: b)
        return (a, b)
    }

    /// Private copies of the kernel and modules, so a rebuild of guest-images/
    /// while a test runs (others work on the guest in parallel) cannot make two
    /// boots of one test run different images.
    static func frozenImages(_ names: [String]) throws -> [String] {
        let dir = NSTemporaryDirectory() + "nooks-disk-images-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return try names.map { name in
            let copy = dir + "/" + (name as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: try TestImages.path(name), toPath: copy)
            return copy
        }
    }

    /// Boots the kernel with ide.ko and vfat.ko and `append`, the disk at `path`.
    static func boot(disk path: String, append: String, readOnly: Bool = false,
                     images: [String]? = nil) throws -> (Machine, MachineExit, FileBlockBackend) {
        let files = try images ?? frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko"])
        let kernel = files[0]
        let mods = Array(files.dropFirst())
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: mods.joined(separator: ","),
                                            memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        let backend = try FileBlockBackend(path: path, readOnly: readOnly)
        m.attachDisk(backend)
        try m.load(plan)
        return (m, m.run(maxInstructions: 4_000_000_000), backend)
    }

    static var guestDriverPresent: Bool {
        FileManager.default.fileExists(atPath: TestImages.dir + "/drivers/block/ide.c")
            && FileManager.default.fileExists(atPath: TestImages.dir + "/fs")
            && FileManager.default.fileExists(atPath: TestImages.dir + "/tests/mkdisk.sh")
    }
}

@Suite("IDE disk boots", .serialized, .enabled(if: DiskFixture.toolsAvailable && DiskFixture.guestDriverPresent))
struct DiskTests {
    @Test("the fs workload passes on the IDE disk, deterministically")
    func fsWorkload() throws {
        let (a, b) = try DiskFixture.makePair()
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko"])
        let (m1, e1, d1) = try DiskFixture.boot(disk: a, append: "selftest=0 workload=fs", images: images)
        let text = m1.serialText
        #expect(e1 == .powerOff, "exit \(e1):\n\(text)")
        #expect(text.contains("ide: hda: NOOKS-EMU HARDDISK"), "\(text)")
        #expect(text.contains("workload: fs files=") && text.contains("workload: PASS"), "\(text)")
        #expect(m1.ide.counters.sectorsWritten > 0 && m1.ide.counters.flushes > 0)
        #expect(m1.ide.counters.aborted == 0)
        #expect(d1.stats.zeroFilledBytes == 0)
        let (m2, e2, _) = try DiskFixture.boot(disk: b, append: "selftest=0 workload=fs", images: images)
        #expect(e2 == e1)
        #expect(m2.serialOutput == m1.serialOutput)
        #expect(m2.cpu.instructions == m1.cpu.instructions)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test("the disk after the fs workload is byte-identical to QEMU's", .enabled(if: TestImages.qemuAvailable))
    func sameDiskAsQEMU() throws {
        let (ours, theirs) = try DiskFixture.makePair()
        defer { try? FileManager.default.removeItem(atPath: ours); try? FileManager.default.removeItem(atPath: theirs) }
        let images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko"])
        let (m, exit, _) = try DiskFixture.boot(disk: ours, append: "selftest=0 workload=fs", images: images)
        #expect(exit == .powerOff)
        let (_, out) = try TestImages.run("/usr/bin/qemu-system-i386", [
            "-kernel", images[0], "-initrd", images.dropFirst().joined(separator: ","),
            "-append", "selftest=0 workload=fs", "-serial", "stdio", "-display", "none", "-vga", "none", "-m", "128",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-drive", "file=\(theirs),format=raw,if=ide"])
        #expect(out.contains("workload: PASS"), "\(out)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ours)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
        // Apart from the model string, the guest prints the same lines.
        func lines(_ s: String) -> [String] {
            s.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("multiboot:") && !$0.hasPrefix("CPU:") }
                .map { $0.replacingOccurrences(of: "QEMU HARDDISK", with: "NOOKS-EMU HARDDISK") }
        }
        #expect(lines(m.serialText) == lines(out))
    }

    @Test("a read-only disk: the guest's writes fail with an ATA abort and the file is untouched")
    func readOnly() throws {
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let (m, exit, _) = try DiskFixture.boot(disk: path, append: "selftest=0 workload=fs", readOnly: true)
        #expect(exit != .instructionLimit, "\(m.serialText)")
        #expect(m.ide.counters.ioErrors > 0)
        #expect(!m.serialText.contains("workload: PASS"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a truncated image: reads past its end are zeros, counted, and nothing traps")
    func truncated() throws {
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (m0, _, backend) = try DiskFixture.boot(disk: path, append: "selftest=0 workload=none")
        _ = m0
        // Cut the file to 1 MiB + 100 bytes after opening: the disk keeps its size.
        #expect(truncate(path, (1 << 20) + 100) == 0)
        let ch = IDEChannel(irq: { _ in })
        ch.attach(backend)
        ch.write(port: 0x1F6, size: 1, value: 0xE0)
        ch.write(port: 0x1F2, size: 1, value: 8)
        ch.write(port: 0x1F3, size: 1, value: 0); ch.write(port: 0x1F4, size: 1, value: 0x08); ch.write(port: 0x1F5, size: 1, value: 0)
        ch.write(port: 0x1F7, size: 1, value: 0x20)
        for _ in 0..<(8 * 256) { _ = ch.read(port: 0x1F0, size: 2) }
        #expect(ch.read(port: 0x1F7, size: 1) == 0x50)
        #expect(backend.stats.zeroFilledBytes == 8 * 512 - 100)
        // The guest now mounts a volume whose tail is gone: it must end cleanly.
        let (m, exit, b2) = try DiskFixture.boot(disk: path, append: "selftest=0 workload=fs")
        #expect(exit != .instructionLimit, "\(m.serialText)")
        if case .tripleFault = exit { Issue.record("triple fault:\n\(m.serialText)") }
        #expect(b2.sectorCount == UInt64((1 << 20) / 512 + 1) && b2.hasPartialLastSector)
    }
}

@Suite("IDE disk snapshots", .serialized, .enabled(if: DiskFixture.toolsAvailable && DiskFixture.guestDriverPresent))
struct DiskSnapshotTests {
    @Test("machine + overlay snapshot mid-workload: restoring both replays the rest exactly; the image is untouched")
    func overlayRollsBackWithTheMachine() throws {
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let kernel = try TestImages.path("kernel.elf")
        let mods = try ["ide.ko", "vfat.ko"].map { try TestImages.path("modules/" + $0) }
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: "selftest=0 workload=fs", initrd: mods.joined(separator: ","),
                                            memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        let overlay = OverlayBlockBackend(base: try FileBlockBackend(path: path, readOnly: true))
        m.attachDisk(overlay)
        try m.load(plan)
        // Run into the middle of the workload (after some writes), then snapshot.
        var exit = m.run(maxInstructions: 5_000_000)
        while exit == .instructionLimit, overlay.dirty.isEmpty || m.ide.state.transfer != nil {
            exit = m.run(maxInstructions: 500_000)
        }
        try #require(exit == .instructionLimit, "the workload ended before any write: \(m.serialText)")
        let snap = m.snapshot(), disk = overlay.snapshot()
        let first = m.run(maxInstructions: 4_000_000_000)
        let out1 = m.serialOutput, written1 = overlay.dirty, count1 = m.cpu.instructions
        #expect(first == .powerOff)
        #expect(m.serialText.contains("workload: PASS"), "\(m.serialText)")
        m.restore(snap)
        overlay.restore(disk)
        let second = m.run(maxInstructions: 4_000_000_000)
        #expect(second == first)
        #expect(m.serialOutput == out1)
        #expect(m.cpu.instructions == count1)
        #expect(overlay.dirty == written1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "writes never reach the base image")
    }
}
