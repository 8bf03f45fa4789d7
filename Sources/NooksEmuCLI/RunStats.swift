// The `--stats` report: what ran, how long in modeled and host time, and the MMU counters.

import Core
import Debugger
import ELF
import Machine

struct RunStats {
    let machine: Machine
    let exit: MachineExit
    let kernel: String
    let wall: Duration

    var wallSeconds: Double {
        Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    }

    var text: String {
        let cpu = machine.cpu
        let hz = machine.config.costs.cyclesPerSecond
        let insns = cpu.instructions
        let mips = wallSeconds > 0 ? Double(insns) / wallSeconds / 1e6 : 0
        var lines: [String] = ["--- nooks-emu stats ---"]
        func row(_ k: String, _ v: String) { lines.append(k.padding(18) + v) }
        row("image", kernel)
        row("exit", describe(exit))
        row("instructions", grouped(insns))
        row("modeled cycles", grouped(cpu.cycles) + "  (\(fixed(Double(cpu.cycles) / Double(hz), 4)) s at \(hz / 1_000_000) MHz)")
        row("  extra cycles", grouped(cpu.extraCycles) + "  (page walks, exceptions, I/O, CR3 loads; halted: \(grouped(cpu.stats.haltCycles)))")
        row("host time", fixed(wallSeconds, 3) + " s")
        row("host speed", fixed(mips, 1) + " guest MIPS")
        for (name, t, hits) in [("ITLB", cpu.itlb, cpu.itlbHits), ("DTLB", cpu.dtlb, cpu.dtlbHits)] {
            let c = t.counters
            row(name, "\(t.sets * t.ways) entries/\(t.ways)-way\(cpu.taggedCR3 ? " (tagged what-if)" : ""): \(grouped(hits)) hits, \(grouped(c.misses)) misses (\(grouped(c.refillsAfterSwitch)) refills after CR3 switches), \(grouped(c.walkAccesses)) PDE/PTE reads, \(grouped(c.flushes)) flushes (\(grouped(c.flushedEntries)) entries dropped), \(grouped(c.invalidations)) invlpg")
        }
        let s = cpu.stats
        row("CR3 loads", grouped(s.cr3Loads))
        row("exceptions", grouped(s.exceptions) + vectorSummary(s.byVector))
        row("interrupts", grouped(s.interrupts))
        row("port I/O", grouped(s.portIOs))
        row("decode cache", "\(grouped(s.blocksDecoded)) blocks decoded, \(grouped(s.codeInvalidations)) code-page invalidations")
        if let nic = machine.nic {
            let c = nic.counters
            row("e1000", "\(grouped(c.framesSent)) frames sent, \(grouped(c.framesReceived)) received, \(grouped(c.dmaErrors)) DMA refused\(c.lastDMAError.map { " (last: \($0))" } ?? "")")
        }
        if let peer = machine.peer {
            let t = peer.tcpCounters
            row("peer TCP", "\(t.connectionsAccepted) accepted, \(t.connectionsMade) made; sink \(grouped(t.sinkBytes)) bytes, \(t.patternErrors) pattern errors\(t.sinkClosed ? ", closed" : ""); source \(grouped(t.sourceBytesAcked)) bytes acked\(t.sourceDone ? ", done" : ""); \(t.retransmits) retransmits, \(t.resetsSent) RSTs, \(t.malformed) malformed")
            if let h = peer.httpCounters {
                row("peer HTTP", "\(grouped(h.requestsSent)) requests sent, \(grouped(h.responses)) responses (\(grouped(h.status2xx)) 2xx, \(grouped(h.status3xx)) 3xx, \(grouped(h.status4xx)) 4xx, \(grouped(h.status5xx)) 5xx), \(grouped(h.bodyBytes)) body bytes, \(grouped(h.connections)) connections; errors: \(h.resets) RST, \(h.timeouts) timeouts, \(h.malformed) malformed, \(h.connectFailures) no connection; \(h.retries) retries, \(h.failed) failed\(h.done ? ", done" : "")\(h.lastError.map { " (last error: \($0))" } ?? "")")
            }
        }
        lines += nooksLines(row)
        return lines.joined(separator: "\n")
    }

    /// The guest isolation manager's own counters, read through the kernel's symbols.
    func nooksLines(_ row: (String, String) -> Void) -> [String] {
        guard let elf = try? ELFFile(path: kernel) else { return [] }
        let symbols = SymbolTable(files: [(elf, 0)])
        guard let n = NooksLayout.readStats(symbols: symbols, cpu: machine.cpu) else { return [] }
        var out: [String] = []
        func r(_ k: String, _ v: String) { out.append(k.padding(18) + v) }
        r("nooks XPCs", "\(grouped(n.xpcToExtension)) kernel->extension, \(grouped(n.xpcToKernel)) extension->kernel, \(grouped(n.nativeCalls)) native calls")
        r("nooks switches", "\(grouped(n.cr3Loads)) domain switches (CR3 loads by the isolation manager)")
        r("nooks deferred", "\(grouped(n.deferredToExtension)) to extensions, \(grouped(n.deferredToKernel)) to the kernel")
        r("nooks recovery", "\(grouped(n.faults)) faults, \(grouped(n.recoveries)) recoveries, \(grouped(n.unwinds)) unwinds, \(grouped(n.checksFailed)) failed checks")
        let table = DomainTable(symbols: symbols)
        for d in table.list(cpu: machine.cpu) where d.id > 0 {
            let c = NooksLayout.domainCounters(symbols: symbols, cpu: machine.cpu, id: d.id) ?? [:]
            r("  domain \(d.name)", "\(d.state): xpc in \(c["xpc_in"] ?? 0), out \(c["xpc_out"] ?? 0), faults \(c["faults"] ?? 0), restarts \(c["restarts"] ?? 0)")
        }
        return out
    }

    func vectorSummary(_ v: [UInt64]) -> String {
        let parts = v.enumerated().filter { $0.element > 0 }.map { "\(Vector.name(UInt8($0.offset)))×\($0.element)" }
        return parts.isEmpty ? "" : "  (" + parts.joined(separator: " ") + ")"
    }

    func describe(_ e: MachineExit) -> String {
        switch e {
        case .powerOff: return "guest powered off (status 0)"
        case .debugExit(let v, let s): return "guest debug-exit value \(v) (status \(s))"
        case .tripleFault(let r): return r.description
        case .hang(let why): return "hang: \(why)"
        case .instructionLimit: return "instruction limit"
        case .breakpoint(let a): return "breakpoint at 0x\(String(a, radix: 16))"
        case .watchpoint(let h): return "watchpoint at 0x\(String(h.address, radix: 16))"
        case .stopped: return "stopped"
        }
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
