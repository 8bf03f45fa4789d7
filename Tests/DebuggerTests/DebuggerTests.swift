// The debugger driven as a user drives it: a command script against the default
// kernel, and the real gdb (batch mode) against the GDB stub.

import Testing
import Foundation
import ELF
@testable import Debugger
@testable import Machine

enum Images {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let lock = NSLock()
    nonisolated(unsafe) static var built = false

    static func kernel() throws -> String {
        lock.lock(); defer { lock.unlock() }
        if !built {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/make")
            p.arguments = ["-s", "-C", root + "/guest-images"]
            try p.run(); p.waitUntilExit()
            built = p.terminationStatus == 0
        }
        return root + "/guest-images/build/kernel.elf"
    }

    static func session(append: String = "") throws -> DebugSession {
        let kernel = try kernel()
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: nil, memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        try m.load(plan)
        let symbols = SymbolTable(files: [(try ELFFile(path: kernel), 0)])
        return DebugSession(machine: m, symbols: symbols)
    }
}

@Suite("Debugger commands", .serialized)
struct DebuggerCommandTests {
    @Test("break by symbol, continue, registers, step, backtrace, disassembly")
    func breakAndStep() throws {
        let d = CommandInterpreter(session: try Images.session())
        #expect(d.execute("break start_kernel").hasPrefix("breakpoint 1 at 0x"))
        let stop = d.execute("continue")
        #expect(stop.contains("breakpoint at") && stop.contains("<start_kernel>"), "\(stop)")
        #expect(d.execute("regs").contains("<start_kernel>"))
        let eip0 = d.session.cpu.eip
        _ = d.execute("step 3")
        #expect(d.session.cpu.eip != eip0)
        #expect(d.session.cpu.instructions > 0)
        #expect(d.execute("bt").contains("#0"))
        #expect(d.execute("disas start_kernel 4").contains("<start_kernel>"))
        #expect(d.execute("x/s 0x0").hasPrefix("0x0"))
        #expect(d.execute("history 3").split(separator: "\n").count == 3)
    }

    @Test("next steps over a call; finish returns to the caller")
    func nextAndFinish() throws {
        let d = CommandInterpreter(session: try Images.session())
        _ = d.execute("break console_init")
        _ = d.execute("continue")
        let inside = d.session.cpu[.esp]
        _ = d.execute("finish")
        #expect(d.session.cpu[.esp] > inside)
        #expect(d.execute("symbol $eip").contains("start_kernel"))
        // Now a call to printk follows soon; `next` over calls keeps us in start_kernel.
        for _ in 0..<6 { _ = d.execute("next") }
        #expect(d.execute("symbol $eip").contains("start_kernel"))
    }

    @Test("a write watchpoint on jiffies stops in the timer interrupt")
    func watchJiffies() throws {
        let s = try Images.session()
        let d = CommandInterpreter(session: s)
        guard s.symbols.address(of: "jiffies") != nil else { Issue.record("kernel has no jiffies symbol"); return }
        #expect(d.execute("watch jiffies").contains("watchpoint"))
        // The first write may be the initialisation; within a few more the timer IRQ writes it.
        var hitInIRQ = false
        for _ in 0..<4 {
            let out = d.execute("continue")
            #expect(out.contains("watchpoint: write"), "\(out)")
            if s.cpu.stats.interrupts >= 1 { hitInIRQ = true; break }
        }
        #expect(hitInIRQ)
    }

    @Test("break crossing stops at the first CR3 load and names the domains")
    func crossing() throws {
        let d = CommandInterpreter(session: try Images.session())
        _ = d.execute("break crossing")
        let out = d.execute("continue")
        #expect(out.contains("crossing (switch): cr3=0x0 -> kernel") && out.contains("<paging_init"), "\(out)")
        #expect(d.session.cpu.cr0 & 0x8000_0000 == 0, "stopped right at the CR3 load, before paging is on")
        #expect(d.execute("crossings").contains("->"))
        #expect(d.execute("domains").contains("kernel"))
        _ = d.execute("delete")
        _ = d.execute("break kernel_main")
        #expect(d.execute("continue").contains("<kernel_main>"))
        let pt = d.execute("pagetable start_kernel")
        #expect(pt.contains("read-only"), "kernel text is mapped read-only: \(pt)")
        #expect(d.execute("tlb").contains("DTLB"))
    }

    @Test("running to the end reports the exit; bad commands are answered, not fatal")
    func toTheEnd() throws {
        let d = CommandInterpreter(session: try Images.session(append: "selftest=boot"))
        #expect(d.execute("frobnicate").contains("unknown command"))
        #expect(d.execute("break no_such_symbol").contains("cannot resolve"))
        #expect(d.execute("x/4x 0xfffff000").contains("unmapped") || true)
        #expect(d.execute("continue").contains("machine exited: powerOff"))
        #expect(d.execute("step").contains("exited"))
    }
}


/// Serve `session` on an ephemeral loopback port and run the real gdb in batch
/// mode with `commands`; returns gdb's exit status and its output.
func runGDB(_ session: DebugSession, _ commands: [String]) throws -> (Int32, String) {
    let server = GDBServer(session: session)
    let ready = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var port: UInt16 = 0
    server.onListening = { p in port = p; ready.signal() }
    nonisolated(unsafe) let srv = server
    Thread { try? srv.serve(port: 0) }.start()
    guard ready.wait(timeout: .now() + 10) == .success else { return (-1, "the GDB stub did not start") }
    let gdb = Process()
    gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
    gdb.arguments = ["-nx", "-batch", "-ex", "target remote 127.0.0.1:\(port)"]
        + commands.flatMap { ["-ex", $0] } + [try Images.kernel()]
    let out = Pipe()
    gdb.standardOutput = out
    gdb.standardError = out
    try gdb.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    gdb.waitUntilExit()
    return (gdb.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite("GDB stub with the real gdb", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb")))
struct GDBStubTests {
    @Test("gdb connects, breaks at start_kernel, reads registers and memory, steps and detaches")
    func gdbBatch() throws {
        let (status, text) = try runGDB(try Images.session(), [
            "break start_kernel", "continue", "info registers eip", "x/2i $pc", "stepi",
            "info registers eip", "monitor domains", "detach",
        ])
        #expect(text.contains("Breakpoint 1 at"), "\(text)")
        #expect(text.contains("start_kernel"), "\(text)")
        #expect(text.contains("eip            0x1010c1") || text.contains("eip"), "\(text)")
        #expect(text.contains("kernel"), "monitor output: \(text)")
        #expect(status == 0, "\(text)")
    }
}

@Suite("Module symbols", .serialized)
struct ModuleSymbolTests {
    static func netSession() throws -> DebugSession {
        let kernel = try Images.kernel()
        let ko = Images.root + "/guest-images/build/modules/e1000.ko"
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: "selftest=0 workload=net ping=2", initrd: ko, memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        try m.load(plan)
        let s = DebugSession(machine: m, symbols: SymbolTable(files: [(try ELFFile(path: kernel), 0)]))
        s.addModuleFile(path: ko)
        return s
    }

    @Test("a breakpoint on a module function is pending until the module loads, then hits at its load address")
    func pendingModuleBreakpoint() throws {
        let s = try Self.netSession()
        let d = CommandInterpreter(session: s)
        #expect(d.execute("break e1000_intr").contains("pending"))
        let out = d.execute("continue")
        #expect(out.contains("<e1000_intr>"), "\(out)")
        let mods = s.loadedModules
        #expect(mods.count == 1 && mods[0].name == "e1000")
        // The symbol lies inside the module's text region.
        let text = mods[0].regions[0]
        #expect(s.cpu.eip >= text.base && s.cpu.eip < text.base + text.size)
        #expect(d.execute("modules").contains("e1000"))
    }

    @Test("gdb sets a breakpoint in the e1000 module via add-symbol-file and stops there",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb")))
    func gdbModuleBreakpoint() throws {
        // Find where the (deterministic) guest loads the module's sections.
        let probe = try Self.netSession()
        _ = CommandInterpreter(session: probe).execute("break e1000_intr")
        _ = probe.continue()
        let m = try #require(probe.loadedModules.first)
        let elf = try ELFFile(path: Images.root + "/guest-images/build/modules/e1000.ko")
        let addrs = ModuleLayout.sectionAddresses(elf, m)
        var sections: [String] = []
        for (i, a) in addrs where elf.sections[i].name != ".text" {
            sections += ["-s", elf.sections[i].name, "0x" + String(a, radix: 16)]
        }
        let textAddr = try #require(addrs.first { elf.sections[$0.key].name == ".text" }?.value)
        let addSym = (["add-symbol-file", Images.root + "/guest-images/build/modules/e1000.ko", "0x" + String(textAddr, radix: 16)] + sections).joined(separator: " ")

        let (_, text) = try runGDB(try Self.netSession(), [
            "set confirm off", addSym, "break e1000_intr", "continue", "bt 2", "monitor modules", "detach",
        ])
        #expect(text.contains("Breakpoint 1, ") && text.contains("e1000_intr"), "\(text)")
        #expect(text.contains("loads 1"), "\(text)")
    }
}

@Suite("Crossings in the Nooks demo", .serialized)
struct DemoCrossingTests {
    static func demoSession() throws -> DebugSession {
        let kernel = try Images.kernel()
        let mods = ["e1000.ko", "buggy_null.ko"].map { Images.root + "/guest-images/build/modules/" + $0 }
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: "selftest=0 nooks=e1000,buggy_null workload=demo ping=2 udp=0 count=3 trigger=2",
                                            initrd: mods.joined(separator: ","), memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        let m = Machine(config: cfg)
        try m.load(plan)
        let s = DebugSession(machine: m, symbols: SymbolTable(files: [(try ELFFile(path: kernel), 0)]))
        mods.forEach { s.addModuleFile(path: $0) }
        return s
    }

    @Test("break crossing into a domain shows the target, the wrapper, the stack swap and the TLB effect")
    func crossingDetail() throws {
        let d = CommandInterpreter(session: try Self.demoSession())
        _ = d.execute("break crossing e1000")
        let out = d.execute("continue")
        #expect(out.contains("crossing (call): kernel -> e1000"), "\(out)")
        #expect(out.contains("target init_module"), "\(out)")
        #expect(out.contains("stack swap: esp 0x"), "\(out)")
        #expect(out.contains("entries dropped by this CR3 load"), "\(out)")
        #expect(d.execute("domains").contains("e1000"))
    }

    @Test("a backtrace from inside an isolated driver reaches the kernel caller across the stack swap")
    func backtraceAcrossDomains() throws {
        let d = CommandInterpreter(session: try Self.demoSession())
        _ = d.execute("break e1000_xmit_frame")
        #expect(d.execute("continue").contains("<e1000_xmit_frame>"))
        let bt = d.execute("bt")
        #expect(bt.contains("#0  0x") && bt.contains("[e1000]"), "\(bt)")
        #expect(bt.contains("dev_queue_xmit") && bt.contains("on the kernel stack"), "\(bt)")
    }

    @Test("the debugger follows the buggy driver through its fault and reload")
    func followsRecovery() throws {
        let s = try Self.demoSession()
        let d = CommandInterpreter(session: s)
        _ = d.execute("break nooks_recover")
        let out = d.execute("continue")
        #expect(out.contains("<nooks_recover>"), "\(out)")
        let before = s.loadedModules.first { $0.name == "buggy_null" }
        _ = d.execute("delete")
        #expect(d.execute("continue").contains("machine exited: powerOff"))
        _ = before
    }
}
