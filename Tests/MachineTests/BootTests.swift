// Full boots of the default guest image: it boots, its self-test passes, the run
// is deterministic, and qemu-system-i386 (the reference machine) prints the same.

import Testing
import Foundation
import Core
import ELF
@testable import Machine

func bootDefault(append: String = "", memoryMiB: Int = 128, maxInstructions: UInt64 = 2_000_000_000) throws -> (Machine, MachineExit) {
    let kernel = try TestImages.path("kernel.elf")
    let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: nil, memoryBytes: UInt64(memoryMiB) << 20)
    return try boot(plan, memoryMiB: memoryMiB, maxInstructions: maxInstructions)
}

/// Boot a machine from an already planned image (so two boots use the very same bytes).
func boot(_ plan: BootPlan, memoryMiB: Int = 128, maxInstructions: UInt64 = 2_000_000_000) throws -> (Machine, MachineExit) {
    var cfg = MachineConfig()
    cfg.echoSerial = false
    cfg.memoryMiB = memoryMiB
    let m = Machine(config: cfg)
    try m.load(plan)
    return (m, m.run(maxInstructions: maxInstructions))
}

@Suite("Boot the default image", .serialized)
struct BootTests {
    @Test("boots, passes its self-test and powers off")
    func boots() throws {
        let (m, exit) = try bootDefault()
        let text = m.serialText
        #expect(exit == .powerOff, "exit \(exit); output:\n\(text)")
        #expect(text.contains("nooks-toy kernel"))
        #expect(text.contains("reboot: Power down"))
        if text.contains("selftest:") {
            #expect(text.contains(" 0 failed"), "\(text)")
            #expect(!text.contains("FAIL"), "\(text)")
        }
        #expect(m.cpu.stats.interrupts > 0 || !text.contains("selftest:"))
    }

    @Test("two boots give the same instruction count, cycles, TLB counters and output")
    func deterministic() throws {
        let plan = try MultibootLoader.plan(kernelPath: try TestImages.path("kernel.elf"), cmdline: "", initrd: nil, memoryBytes: 128 << 20)
        let (a, ea) = try boot(plan)
        let (b, eb) = try boot(plan)
        #expect(ea == eb)
        #expect(a.cpu.instructions == b.cpu.instructions)
        #expect(a.cpu.cycles == b.cpu.cycles)
        #expect(a.cpu.dtlb.counters == b.cpu.dtlb.counters)
        #expect(a.cpu.itlb.counters == b.cpu.itlb.counters)
        #expect(a.serialOutput == b.serialOutput)
    }

    @Test("an instruction budget stops the machine at exactly that count")
    func budget() throws {
        let (m, exit) = try bootDefault(maxInstructions: 100_000)
        #expect(exit == .instructionLimit)
        #expect(m.cpu.instructions == 100_000)
    }

    @Test("the same image under qemu-system-i386 prints the same serial lines",
          .enabled(if: TestImages.qemuAvailable))
    func sameAsQemu() throws {
        let kernel = try TestImages.path("kernel.elf")
        let (m, exit) = try bootDefault(append: "qemu-compare")
        #expect(exit == .powerOff)
        let (status, qemuOut) = try TestImages.run("/usr/bin/timeout", [
            "120", "qemu-system-i386", "-kernel", kernel, "-append", "qemu-compare", "-m", "128",
            "-display", "none", "-vga", "none", "-serial", "stdio", "-no-reboot", "-monitor", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        ])
        #expect(status == 0, "QEMU exit status \(status)")
        let ours = normalize(m.serialText), theirs = normalize(qemuOut)
        #expect(ours.count == theirs.count, "line counts differ: ours \(ours.count), QEMU \(theirs.count)")
        for (i, (a, b)) in zip(ours, theirs).enumerated() where a != b {
            Issue.record("line \(i + 1) differs:\n  nooks-emu: \(a)\n  qemu:      \(b)")
        }
    }

    /// Lines that legitimately differ between the two machines are masked: the
    /// CPU identity (CPUID), the boot loader's name, and timing lines (QEMU's
    /// clock is the host's; ours is virtual).
    func normalize(_ s: String) -> [String] {
        s.replacingOccurrences(of: "\r", with: "")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
            .filter { !$0.isEmpty }
            .map { line in
                if line.hasPrefix("CPU:") { return "CPU: <identity>" }
                if line.hasPrefix("cpu: CPUID") { return "cpu: CPUID <identity>" }
                if line.hasPrefix("selftest-time:") || line.hasPrefix("bench-time:") || line.contains("tsc=") { return "<timing>" }
                // Where a livelock timeout lands depends on real time under QEMU.
                if line.contains("why=timeout"), let r = line.range(of: " eip=") {
                    return String(line[..<r.lowerBound]) + " eip=<timing>" + (line[r.upperBound...].drop { $0 != " " })
                }
                if let r = line.range(of: "loader '") , let end = line[r.upperBound...].firstIndex(of: "'") {
                    return line.replacingCharacters(in: r.upperBound..<end, with: "<loader>")
                }
                return line
            }
    }
}

@Suite("Snapshots")
struct SnapshotTests {
    @Test("restoring a mid-boot snapshot replays the rest identically")
    func replay() throws {
        let kernel = try TestImages.path("kernel.elf")
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: "selftest=irq,mmu,heap", initrd: nil, memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        try m.load(plan)
        #expect(m.run(maxInstructions: 3_000_000) == .instructionLimit)
        let snap = m.snapshot()
        let first = m.run()
        let out1 = m.serialOutput, n1 = m.cpu.instructions, c1 = m.cpu.cycles
        let t1 = (m.cpu.dtlb.counters.misses, m.cpu.dtlb.counters.flushes, m.cpu.dtlbHits, m.cpu.itlb.counters.misses, m.cpu.itlbHits)
        m.restore(snap)
        #expect(m.cpu.instructions == 3_000_000)
        let second = m.run()
        #expect(first == second)
        #expect(first == .powerOff)
        #expect(m.serialOutput == out1)
        #expect(m.cpu.instructions == n1)
        #expect(m.cpu.cycles == c1)
        // The modeled TLB figures (hits, misses, flushes) replay exactly; how hits split
        // between the host's fast path and slow path does not matter and may differ.
        #expect((m.cpu.dtlb.counters.misses, m.cpu.dtlb.counters.flushes, m.cpu.dtlbHits, m.cpu.itlb.counters.misses, m.cpu.itlbHits) == t1)
    }
}
