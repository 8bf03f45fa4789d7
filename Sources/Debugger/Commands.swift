// The debugger's command language: one line in, text out (sans-IO, so tests
// and scripts drive it exactly as a user at the terminal does).
//
//   step [N] | s      next | n      continue | c      finish
//   break LOC | b LOC       break crossing [DOMAIN]      delete [N]
//   watch ADDR [LEN]  rwatch ...  awatch ...             info breakpoints
//   regs | info registers   x/NF ADDR (F: x w b s i)     disas [LOC] [N]
//   bt     tlb     pagetable ADDR [DOMAIN|CR3]     domains     crossings [N]
//   history [N]    symbol ADDR    help    quit

import Core
import Disasm
import ELF
import Machine

public final class CommandInterpreter {
    public let session: DebugSession
    public private(set) var quitRequested = false

    public init(session: DebugSession) {
        self.session = session
    }

    var cpu: CPU { session.cpu }

    /// Execute one command line and return what to print.
    public func execute(_ line: String) -> String {
        let words = line.trimmingCharacters().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let cmd = words.first else { return "" }
        let args = Array(words.dropFirst())
        switch cmd {
        case "s", "step", "si", "stepi":
            let n = args.first.flatMap { Int($0) } ?? 1
            var last = DebugStop.stepped
            for _ in 0..<max(1, n) {
                last = session.step()
                if last != .stepped { break }
            }
            return report(last)
        case "n", "next", "ni", "nexti": return report(session.next())
        case "c", "cont", "continue": return report(session.continue())
        case "finish": return report(session.finish())
        case "b", "break":
            guard let what = args.first else { return "usage: break LOCATION | break crossing [DOMAIN]" }
            if what == "crossing" {
                session.crossingFilter = args.count > 1 ? args[1] : ""
                return "will stop at every CR3 load" + (args.count > 1 ? " into or out of domain \(args[1])" : "")
            }
            if let a = session.resolve(what) {
                let n = session.addBreakpoint(a)
                return "breakpoint \(n) at \(addr(a))"
            }
            if session.moduleDefines(what) {
                session.addPendingBreakpoint(what)
                return "breakpoint pending on \(what) (set when its module loads)"
            }
            return "cannot resolve '\(what)'"
        case "d", "delete":
            if let s = args.first, let n = Int(s) {
                return session.deleteBreakpoint(n) ? "deleted breakpoint \(n)" : "no breakpoint \(n)"
            }
            for n in session.breakpoints.keys { _ = session.deleteBreakpoint(n) }
            session.deleteWatchpoints()
            session.crossingFilter = nil
            return "deleted all breakpoints, watchpoints and crossing breaks"
        case "watch", "rwatch", "awatch":
            guard let a = args.first.flatMap(session.resolve) else { return "usage: \(cmd) ADDR [LEN]" }
            let len = args.count > 1 ? (parseNumber(args[1]) ?? 4) : 4
            let kind: Watchpoint.Kind = cmd == "watch" ? .write : (cmd == "rwatch" ? .read : .access)
            session.addWatchpoint(Watchpoint(address: a, length: len, kind: kind))
            return "watchpoint (\(kind)) on \(addr(a)), \(len) bytes"
        case "info":
            switch args.first {
            case "registers", "regs", "r": return registers()
            case "breakpoints", "b", "break":
                var lines = session.breakpoints.sorted { $0.key < $1.key }.map { "\($0.key)  \(addr($0.value))" }
                lines += cpu.watchpoints.map { "watch \($0.kind) \(addr($0.address)) len \($0.length)" }
                if let f = session.crossingFilter { lines.append("crossing " + (f.isEmpty ? "(any domain)" : f)) }
                return lines.isEmpty ? "no breakpoints" : lines.joined(separator: "\n")
            case "symbol": return args.count > 1 ? symbol(args[1]) : "usage: info symbol ADDR"
            default: return "info registers | info breakpoints | info symbol ADDR"
            }
        case "regs", "r", "registers": return registers()
        case "symbol": return args.first.map(symbol) ?? "usage: symbol ADDR"
        case "disas", "disassemble", "u":
            let a = args.first.flatMap(session.resolve) ?? cpu.eip
            let n = args.count > 1 ? (Int(args[1]) ?? 10) : 10
            return disassembly(a, n)
        case "bt", "backtrace", "where": return backtrace()
        case "tlb": return tlb()
        case "pagetable", "pt":
            guard let a = args.first.flatMap(session.resolve) else { return "usage: pagetable ADDR [DOMAIN|CR3]" }
            return pageTable(a, args.count > 1 ? args[1] : nil)
        case "domains": return domains()
        case "modules":
            session.refreshModules()
            let list = session.loadedModules
            return list.isEmpty ? "no modules loaded" : list.map { m in
                "\(m.name.padded(16)) text 0x\(hex8(m.regions[0].base)) size \(m.regions[0].size)  loads \(m.loadCount)\(m.isolated ? "  isolated" : "")"
            }.joined(separator: "\n")
        case "crossings": return crossingLog(args.first.flatMap { Int($0) } ?? 10)
        case "history", "hist": return history(args.first.flatMap { Int($0) } ?? 20)
        case "q", "quit", "exit":
            quitRequested = true
            return ""
        case "help", "h", "?": return CommandInterpreter.help
        default:
            if cmd.hasPrefix("x") { return examine(cmd, args) }
            return "unknown command '\(cmd)' (try help)"
        }
    }

    public static let help = """
    step [N], s          execute N instructions        next, n      step over a call
    continue, c          run to a stop                 finish       run until the function returns
    break LOC, b LOC     LOC = symbol, symbol+off, 0xADDR
    break crossing [D]   stop at every CR3 switch (into or out of domain D)
    watch/rwatch/awatch ADDR [LEN]                     delete [N]   info breakpoints
    regs                 registers, flags, CRn, domain x/NF ADDR     F = x (words) b (bytes) s (string) i (instructions)
    disas [LOC] [N]      disassemble with symbols      bt           backtrace (frame pointers)
    tlb                  the modeled TLBs              pagetable ADDR [DOMAIN|CR3]   the walk and permissions
    domains              protection domains            crossings [N]  recent CR3 switches
    modules              loaded modules (symbols follow loads and reloads)
    history [N]          the last N instructions       symbol ADDR   quit
    """

    // MARK: Stop reports

    func report(_ stop: DebugStop) -> String {
        let here = location(cpu.eip)
        switch stop {
        case .stepped: return here
        case .breakpoint(let a): return "breakpoint at \(addr(a))\n" + here
        case .watchpoint(let h):
            return "watchpoint: \(h.isWrite ? "write" : "read") of 0x\(hex(h.value)) at \(addr(h.address))\n" + here
        case .crossing(let c): return describe(c) + "\n" + here
        case .exited(let e): return "machine exited: \(e)"
        case .budget: return "stopped after the continue budget (\(session.continueBudget) instructions)\n" + here
        case .interrupted: return "interrupted\n" + here
        }
    }

    public func describe(_ c: Crossing) -> String {
        let from = session.domains.describe(c.fromCR3, cpu: cpu), to = session.domains.describe(c.toCR3, cpu: cpu)
        var s = "crossing (\(c.xpc.kind.rawValue)): \(from) -> \(to) at \(addr(c.eip)) cycle \(c.cycle)"
        if let f = c.xpc.function { s += "\n  target \(f)" }
        if let w = c.xpc.caller { s += "  via \(w)" }
        if let a = c.xpc.fromESP, let b = c.xpc.toESP { s += "\n  stack swap: esp 0x\(hex(a)) -> 0x\(hex(b))" }
        s += "\n  TLB: \(c.flushedEntries) entries dropped by this CR3 load"
        return s
    }

    func location(_ a: UInt32) -> String {
        guard let i = session.instruction(at: a) else { return "\(addr(a)): <unmapped>" }
        return "\(addr(a)): \(i.text)"
    }

    func addr(_ a: UInt32) -> String {
        "0x" + hex(a) + (session.symbols.describe(a).map { " <\($0)>" } ?? "")
    }

    // MARK: Views

    func registers() -> String {
        let c = cpu
        let f = c.eflags
        let names: [(String, UInt32)] = [("EFLAGS.CF", EFLAGS.cf), ("PF", EFLAGS.pf), ("AF", EFLAGS.af), ("ZF", EFLAGS.zf),
                                         ("SF", EFLAGS.sf), ("TF", EFLAGS.tf), ("IF", EFLAGS.if), ("DF", EFLAGS.df), ("OF", EFLAGS.of)]
        let flags = names.filter { f & $0.1 != 0 }.map { $0.0.replacingOccurrences("EFLAGS.", "") }.joined(separator: " ")
        var lines: [String] = []
        lines.append("eax 0x\(hex8(c[.eax]))  ecx 0x\(hex8(c[.ecx]))  edx 0x\(hex8(c[.edx]))  ebx 0x\(hex8(c[.ebx]))")
        lines.append("esp 0x\(hex8(c[.esp]))  ebp 0x\(hex8(c[.ebp]))  esi 0x\(hex8(c[.esi]))  edi 0x\(hex8(c[.edi]))")
        lines.append("eip \(addr(c.eip))")
        lines.append("eflags 0x\(hex8(f)) [\(flags)]  cpl \(c.cpl)")
        lines.append(SegReg.allCases.map { "\($0.name) 0x\(String(c.seg[$0.rawValue].selector, radix: 16))" }.joined(separator: " "))
        lines.append("cr0 0x\(hex8(c.cr0))  cr2 0x\(hex8(c.cr2))  cr3 0x\(hex8(c.cr3))  cr4 0x\(hex8(c.cr4))")
        lines.append("domain \(session.domains.describe(c.cr3, cpu: c))  instructions \(c.instructions)  cycles \(c.cycles)")
        return lines.joined(separator: "\n")
    }

    func symbol(_ text: String) -> String {
        guard let a = session.resolve(text) else { return "cannot resolve '\(text)'" }
        return session.symbols.describe(a).map { "0x\(hex(a)) is \($0)" } ?? "no symbol matches 0x\(hex(a))"
    }

    func disassembly(_ a: UInt32, _ n: Int) -> String {
        let insns = session.disassemble(at: a, count: max(1, min(n, 500)))
        if insns.isEmpty { return "\(addr(a)): <unmapped>" }
        return insns.map { i in
            let mark = i.address == cpu.eip ? "=> " : "   "
            let sym = session.symbols.lookup(i.address).map { $0.offset == 0 ? "<\($0.name)>:\n" : "" } ?? ""
            let bytes = i.bytes.map { String(format2: $0) }.joined(separator: " ")
            return sym + mark + "0x\(hex8(i.address))  \(bytes.padded(24)) \(i.text)"
        }.joined(separator: "\n")
    }

    func examine(_ cmd: String, _ args: [String]) -> String {
        // x/NF: N count, F format
        var count = 8, format: Character = "x"
        if let slash = cmd.firstIndex(of: "/") {
            let spec = cmd[cmd.index(after: slash)...]
            let digits = spec.prefix { $0.isNumber }
            if let n = Int(digits) { count = max(1, min(n, 4096)) }
            if let f = spec.drop(while: { $0.isNumber }).first { format = f }
        }
        guard let a = args.first.flatMap(session.resolve) else { return "usage: x/NF ADDR" }
        switch format {
        case "i": return disassembly(a, count)
        case "s":
            var bytes: [UInt8] = []
            for b in cpu.peekLinear(a, count: 256) { guard let b, b != 0 else { break }; bytes.append(b) }
            return "\(addr(a)): \"\(String(decoding: bytes, as: UTF8.self))\""
        case "b":
            guard let bytes = session.read(a, count: count) else { return "\(addr(a)): <unmapped>" }
            return stride(from: 0, to: bytes.count, by: 16).map { i in
                "0x\(hex8(a &+ UInt32(i))): " + bytes[i..<min(i + 16, bytes.count)].map { String(format2: $0) }.joined(separator: " ")
            }.joined(separator: "\n")
        default:
            var lines: [String] = []
            var row: [String] = []
            for k in 0..<count {
                let at = a &+ UInt32(4 * k)
                row.append(session.readU32(at).map { "0x" + hex8($0) } ?? "<unmapped>")
                if row.count == 4 || k == count - 1 {
                    lines.append("0x\(hex8(at &- UInt32(4 * (row.count - 1)))): " + row.joined(separator: " "))
                    row = []
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Frame-pointer backtrace. Frames may hop between the kernel stack and a
    /// domain's stacks (an XPC swaps stacks but keeps the EBP chain), so each
    /// frame is labelled with the stack it lives on; loops are cut off.
    func backtrace() -> String {
        var lines = ["#0  \(addr(cpu.eip))  [\(session.domains.stackOwner(cpu[.esp], cpu: cpu))]"]
        var ebp = cpu[.ebp]
        var seen = Set<UInt32>()
        for depth in 1..<64 {
            guard ebp != 0, !seen.contains(ebp), let ret = session.readU32(ebp &+ 4), let next = session.readU32(ebp), ret != 0 else { break }
            seen.insert(ebp)
            lines.append("#\(depth)  \(addr(ret))  [frame 0x\(hex(ebp)) on the \(session.domains.stackOwner(ebp, cpu: cpu)) stack]")
            ebp = next
        }
        return lines.joined(separator: "\n")
    }

    func tlb() -> String {
        var out: [String] = []
        for (name, t, hits) in [("ITLB", cpu.itlb, cpu.itlbHits), ("DTLB", cpu.dtlb, cpu.dtlbHits)] {
            let c = t.counters
            out.append("\(name): \(t.sets * t.ways) entries, \(t.ways)-way; \(t.occupancy) valid; \(hits) hits, \(c.misses) misses, \(c.flushes) flushes")
            for e in t.entries where e.vpn != .max {
                let flags = (e.writable ? "W" : "-") + (e.user ? "U" : "-") + (e.global ? "G" : "-") + (e.dirty ? "D" : "-") + (e.large ? "L" : "-")
                out.append("  0x\(hex8(e.vpn << 12)) -> 0x\(hex8(e.ppn << 12))  \(flags)")
            }
        }
        return out.joined(separator: "\n")
    }

    func pageTable(_ a: UInt32, _ domain: String?) -> String {
        var root: UInt32? = nil
        if let d = domain {
            if let v = parseNumber(d) { root = v }
            else if let dom = session.domains.list(cpu: cpu).first(where: { $0.name == d }) { root = dom.pageDirectory }
            else { return "no domain '\(d)'" }
        }
        let w = cpu.inspectTranslation(a, cr3: root)
        var lines = ["linear 0x\(hex8(a)) in \(session.domains.describe(root ?? cpu.cr3, cpu: cpu))"]
        if let pa = w.pdeAddress, let pde = w.pde { lines.append("  PDE @0x\(hex8(pa)) = 0x\(hex8(pde)) \(entryFlags(pde))") }
        if let pa = w.pteAddress, let pte = w.pte { lines.append("  PTE @0x\(hex8(pa)) = 0x\(hex8(pte)) \(entryFlags(pte))") }
        if let p = w.physical {
            lines.append("  -> physical 0x\(hex8(p))\(w.large ? " (4 MiB page)" : "")  \(w.writable ? "read-write" : "read-only")  \(w.user ? "user" : "supervisor")\(w.global ? "  global" : "")")
        } else {
            lines.append("  -> not mapped")
        }
        return lines.joined(separator: "\n")
    }

    func entryFlags(_ e: UInt32) -> String {
        let bits: [(UInt32, String)] = [(1, "P"), (2, "RW"), (4, "US"), (0x20, "A"), (0x40, "D"), (0x80, "PS"), (0x100, "G")]
        return "[" + bits.filter { e & $0.0 != 0 }.map(\.1).joined(separator: " ") + "]"
    }

    func domains() -> String {
        let list = session.domains.list(cpu: cpu)
        if list.isEmpty { return "no domains (paging is off)" }
        return list.map { d in
            let cur = d.pageDirectory & 0xFFFF_F000 == cpu.cr3 & 0xFFFF_F000 ? "*" : " "
            return "\(cur) \(d.id)  \(d.name.padded(16)) pgdir 0x\(hex8(d.pageDirectory))  \(d.state)"
        }.joined(separator: "\n")
    }

    func crossingLog(_ n: Int) -> String {
        let list = session.crossings.suffix(max(1, n))
        return list.isEmpty ? "no crossings yet" : list.map(describe).joined(separator: "\n")
    }

    func history(_ n: Int) -> String {
        let entries = cpu.historyEntries
        guard !entries.isEmpty else { return "no history" }
        // Each entry's instruction count is up to the next entry (or now).
        var lines: [String] = []
        for (i, e) in entries.enumerated().reversed() {
            let end = i + 1 < entries.count ? entries[i + 1].instructions : cpu.instructions
            var left = end &- e.instructions
            guard left > 0 else { continue }
            // Walk the block: one instruction per count, a REP string op takes the rest
            // (each iteration counts), and a control transfer ends the block.
            var text: [String] = []
            for insn in session.disassemble(at: e.eip, count: 64) {
                guard left > 0 else { break }
                let rep = insn.mnemonic.hasPrefix("rep")
                text.append("0x\(hex8(insn.address)): \(insn.text)" + (rep && left > 1 ? "   ; \(left) iterations" : ""))
                left = rep ? 0 : left - 1
                if insn.flow != .none { break }
            }
            lines.insert(contentsOf: text, at: 0)
            if lines.count >= n { break }
        }
        return lines.suffix(n).joined(separator: "\n")
    }
}

func hex(_ v: UInt32) -> String { String(v, radix: 16) }
func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}

extension String {
    init(format2 b: UInt8) {
        let s = String(b, radix: 16)
        self = s.count == 1 ? "0" + s : s
    }
    func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
