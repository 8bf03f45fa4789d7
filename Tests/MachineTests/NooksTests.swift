// Nooks in the guest, checked from outside: the same driver binaries run native
// and isolated; natively the buggy drivers crash the kernel, isolated they are
// caught, unwound, reloaded, and the workload carries on; the e1000 driver
// passes traffic both ways; the network workload also passes under QEMU.

import Testing
import Foundation
import Core
import ELF
@testable import Machine

func bootWithModules(_ modules: [String], append: String, maxInstructions: UInt64 = 300_000_000) throws -> (Machine, MachineExit) {
    let kernel = try TestImages.path("kernel.elf")
    let initrd = modules.map { TestImages.dir + "/build/modules/" + $0 }.joined(separator: ",")
    let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: initrd.isEmpty ? nil : initrd,
                                        memoryBytes: 128 << 20)
    var cfg = MachineConfig()
    cfg.echoSerial = false
    let m = Machine(config: cfg)
    try m.load(plan)
    return (m, m.run(maxInstructions: maxInstructions))
}

@Suite("Nooks: buggy drivers native vs isolated")
struct BuggyDriverTests {
    static let crashing = ["buggy_null", "buggy_uaf", "buggy_double_free", "buggy_wild"]

    @Test("natively, the bug crashes the kernel (oops or panic, debug-exit 0x7f)", arguments: crashing)
    func nativeCrash(driver: String) throws {
        let (m, exit) = try bootWithModules([driver + ".ko"], append: "selftest=0 nooks=none workload=buggy count=5 trigger=2")
        #expect(exit == .debugExit(value: 0x7F, status: 255), "\(exit)\n\(m.serialText.suffix(1500))")
        #expect(m.serialText.contains("Kernel panic"))
        #expect(!m.serialText.contains("workload: PASS"))
    }

    @Test("isolated, the fault is caught, the driver recovered, and every other round succeeds", arguments: crashing)
    func isolatedRecovery(driver: String) throws {
        let (m, exit) = try bootWithModules([driver + ".ko"], append: "selftest=0 nooks=\(driver) workload=buggy count=5 trigger=2")
        let text = m.serialText
        #expect(exit == .powerOff, "\(exit)\n\(text.suffix(2000))")
        #expect(text.contains("nooks: recovered domain=\(driver) restarts=1"), "\(text.suffix(2000))")
        #expect(text.contains("workload: PASS"))
        #expect(!text.contains("Kernel panic"))
        // The rounds after the recovery ran against the reloaded driver.
        #expect(text.contains("workload: buggy round 3 ok") || text.contains("round 3 ok"), "\(text.suffix(1500))")
    }
}

@Suite("Nooks: e1000 native and isolated")
struct E1000Tests {
    @Test("the e1000 driver passes ping and UDP traffic natively and isolated", arguments: ["none", "e1000"])
    func traffic(mode: String) throws {
        let (m, exit) = try bootWithModules(["e1000.ko"], append: "selftest=0 nooks=\(mode) workload=net ping=5 udp=5")
        let text = m.serialText
        #expect(exit == .powerOff, "\(exit)\n\(text.suffix(1500))")
        #expect(text.contains("workload: ping sent=5 received=5"))
        #expect(text.contains("workload: udp sent=5 echoed=5"))
        #expect(m.nic?.counters.framesSent ?? 0 >= 11)
        if mode == "e1000" {
            #expect(text.contains("isolated=1"))
            #expect(m.cpu.stats.cr3Loads > 10, "isolated traffic crosses domains")
        }
    }

    @Test("the same kernel and e1000 module pass the network workload under qemu-system-i386 -device e1000",
          .enabled(if: TestImages.qemuAvailable))
    func underQemu() throws {
        let kernel = try TestImages.path("kernel.elf")
        let (status, out) = try TestImages.run("/usr/bin/timeout", [
            "120", "qemu-system-i386", "-kernel", kernel, "-initrd", TestImages.dir + "/build/modules/e1000.ko",
            "-append", "selftest=0 workload=net ping=5", "-m", "128", "-display", "none", "-vga", "none",
            "-serial", "stdio", "-no-reboot", "-monitor", "none",
            "-netdev", "user,id=n0", "-device", "e1000,netdev=n0",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        ])
        #expect(out.contains("workload: ping sent=5 received=5"), "\(out.suffix(1500))")
        #expect(out.contains("workload: PASS"))
        #expect(status == 0)
    }
}

@Suite("Nooks: a driver that loops forever")
struct LivelockTests {
    @Test("natively the kernel hangs (caught only by the instruction budget)")
    func nativeHang() throws {
        let (m, exit) = try bootWithModules(["buggy_loop.ko"], append: "selftest=0 nooks=none workload=buggy count=5 trigger=2",
                                            maxInstructions: 60_000_000)
        #expect(exit == .instructionLimit, "\(exit)")
        #expect(!m.serialText.contains("workload: PASS"))
    }

    @Test("isolated, the livelock timeout catches it, the driver is recovered and the workload passes")
    func isolatedTimeout() throws {
        let (m, exit) = try bootWithModules(["buggy_loop.ko"], append: "selftest=0 nooks=buggy_loop nooks_timeout=3 workload=buggy count=5 trigger=2",
                                            maxInstructions: 200_000_000)
        let text = m.serialText
        #expect(exit == .powerOff, "\(exit)\n\(text.suffix(1500))")
        #expect(text.contains("why=timeout"))
        #expect(text.contains("nooks: recovered domain=buggy_loop restarts=1"))
        #expect(text.contains("workload: PASS"))
    }
}
