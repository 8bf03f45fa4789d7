// The output of `bench workloads`: the measured table, the comparison with the
// paper's table and its legend, JSON and CSV.

import Debugger
import Foundation

struct WorkloadReport {
    var rows: [WorkloadRow]
    var parameters: WorkloadParameters

    // MARK: Text

    func table() -> String {
        var out = "Nooks performance table, native (nooks=none) vs isolated, same binaries; modeled time (cycles at 1 GHz)\n\n"
        out += "benchmark".padding(17) + "mode".padding(9) + "throughput".leftPad(16) + "XPC/s".leftPad(11) + "deferred/s".leftPad(11)
            + "CPU".leftPad(8) + "CR3 loads".leftPad(12) + "TLB miss/XPC".leftPad(13) + "modeled s".leftPad(11) + "host s".leftPad(8) + "  result\n"
        for r in rows {
            if let why = r.skipped {
                out += r.workload.title.padding(17) + "skipped: \(why)\n"
                continue
            }
            for (i, m) in [r.native, r.isolated].compactMap({ $0 }).enumerated() {
                let name = i == 0 ? r.workload.title : "  (" + r.workload.isolatedModule + ")"
                let mode = m.isolated ? "isolated" : "native"
                let through = m.passed ? fixed(m.throughput, m.workload == .fs ? 3 : 1) + " " + m.workload.unit : "-"
                let xpc = m.isolated ? grouped(Int(m.xpcPerSecond.rounded())) : "0"
                let deferred = m.isolated ? grouped(Int(m.deferredPerSecond.rounded())) : "0"
                out += name.padding(17) + mode.padding(9) + through.leftPad(16) + xpc.leftPad(11) + deferred.leftPad(11)
                    + (fixed(m.interval.busy * 100, 1) + "%").leftPad(8) + grouped(m.interval.cr3Loads).leftPad(12)
                    + (m.tlbMissesPerXPC.map { fixed($0, 1) } ?? "-").leftPad(13) + fixed(m.seconds, 3).leftPad(11)
                    + fixed(m.hostSeconds, 1).leftPad(8) + "  " + (m.passed ? "PASS" : "FAIL: " + (m.failure ?? "")) + "\n"
            }
            let rel = r.relative.map { fixed($0, 2) } ?? "-"
            var extra = "  relative \(rel)"
            if r.workload == .web, let n = r.native, let i = r.isolated, n.webClient == .host {
                extra += " (of requests per busy modeled second: \(fixed(n.capacity, 0)) native, \(fixed(i.capacity, 0)) isolated)"
            }
            if let n = r.native, n.interval.nativeCalls > 0 { extra += "; native run: \(fixed(n.nativeCallsPerSecond, 0)) calls/s through the Nooks call path with isolation off" }
            out += "".padding(17) + extra + "\n"
            for m in [r.native, r.isolated].compactMap({ $0 }) {
                for n in m.notes { out += "".padding(17) + "  " + (m.isolated ? "isolated" : "native") + " " + n + "\n" }
            }
        }
        out += "\nSide by side with the paper (Swift, Bershad, Levy, SOSP 2003; 1.7 GHz Pentium 4, Linux 2.4.18):\n\n"
        out += "".padding(17) + "ours".padding(39) + "| paper\n"
        out += "benchmark".padding(17) + "relative".leftPad(9) + "XPC/s".leftPad(10) + "CPU native -> Nooks".leftPad(20) + " |"
            + "relative".leftPad(9) + "XPC/s".leftPad(10) + "CPU native -> Nooks".leftPad(20) + "\n"
        for r in rows {
            let p = r.workload.paper
            var ours = "skipped".leftPad(39)
            if r.skipped == nil, let n = r.native, let i = r.isolated {
                ours = (r.relative.map { fixed($0, 2) } ?? "FAIL").leftPad(9) + grouped(Int(i.xpcPerSecond.rounded())).leftPad(10)
                    + (fixed(n.interval.busy * 100, 1) + " -> " + fixed(i.interval.busy * 100, 1) + " %").leftPad(20)
            }
            out += r.workload.title.padding(17) + ours + " |" + fixed(p.relative, 2).leftPad(9) + grouped(Int(p.xpcPerSecond)).leftPad(10)
                + (fixed(p.cpuNative, 1) + " -> " + fixed(p.cpuNooks, 1) + " %").leftPad(20) + "\n"
        }
        out += "\n" + legend()
        return out
    }

    /// "1 Gbit/s", "100 Mbit/s", "250 Mbit/s", "2.5 Gbit/s".
    static func rateText(_ bps: UInt64) -> String {
        if bps >= 1_000_000_000 { return bps % 1_000_000_000 == 0 ? "\(bps / 1_000_000_000) Gbit/s" : "\(Double(bps) / 1e9) Gbit/s" }
        if bps >= 1_000_000 { return bps % 1_000_000 == 0 ? "\(bps / 1_000_000) Mbit/s" : "\(Double(bps) / 1e6) Mbit/s" }
        return "\(bps) bit/s"
    }

    func legend() -> String {
        var l: [String] = []
        l.append("What differs from the paper:")
        l.append("- Time is the emulator's cost model (1 cycle per instruction plus modeled page walks, CR3 loads,")
        l.append("  exceptions and port I/O, at 1 GHz), not a Pentium 4: a crossing's price here is mostly TLB refills")
        l.append("  after the CR3 load, as in the paper, but the absolute rates are the toy kernel's, not Linux 2.4's.")
        if let rate = parameters.linkBitsPerSecond {
            l.append("- The network is the in-emulator LAN peer with a fixed 10 us reply latency and a \(Self.rateText(rate)) wire")
            l.append("  (Ethernet serialization per direction, frame + 24 bytes, modeled; --link) for the stream and web rows;")
        } else {
            l.append("- The network is the in-emulator LAN peer with a fixed 10 us reply latency and no wire bandwidth;")
        }
        l.append("  the disk is the emulated IDE disk (no seek time); the guest kernel, drivers and workloads are small.")
        if rows.contains(where: { ($0.workload == .send || $0.workload == .receive) && ($0.native?.interval.busy ?? 0) > 0.9 }) {
            l.append("  So the streams are CPU-bound here (CPU near 100%), where the paper's were bound by a gigabit wire")
            l.append("  with CPU to spare (15-40%): our relative figure carries the whole crossing cost, theirs mostly did not.")
        } else if parameters.linkBitsPerSecond != nil,
                  rows.contains(where: { ($0.workload == .send || $0.workload == .receive) && $0.native != nil }) {
            l.append("  Streams the wire bounds (CPU below 100%) run at its rate native and isolated, as the paper's did:")
            l.append("  Nooks' cost shows in the CPU column, not in throughput. Throughput is measured between the guest's")
            l.append("  markers, so it can exceed the wire's TCP goodput (1460 of 1538 bytes per frame): the send row's end")
            l.append("  marker comes when the last write returns, up to a 64 KiB window before the peer has the data.")
        }
        l.append("- compile on VFAT: the guest's fs rounds (untar, verify, compile, rename, modify, readdir, rmdir),")
        l.append("  not gcc on Linux sources; the figure is the build's modeled seconds; relative = native/isolated time.")
        if let web = rows.first(where: { $0.workload == .web && $0.skipped == nil }) {
            let connections = parameters.keepAlive ? "persistent HTTP/1.1 connections" : "one connection per request"
            if web.native?.webClient == .host {
                l.append("- simple web page: \(parameters.clients) host client thread(s), \(parameters.requests) GETs of /index.html,")
                l.append("  \(connections); through slirp: NOT deterministic (host scheduling and sockets).")
                l.append("  The guest mostly waits for the host's clients (its idle time follows the host's clock), where the")
                l.append("  paper's server was saturated (96.6% CPU); so relative compares requests per busy modeled second")
                l.append("  (the server's capacity), and the req/s and CPU columns measure this host and slirp, not Nooks.")
            } else {
                l.append("- simple web page: \(parameters.clients) concurrent clients in the LAN peer, \(parameters.requests) GETs of")
                l.append("  /index.html (\(connections)), each answered request followed at once by the next: the guest is")
                l.append("  CPU-bound, as the paper's server was; req/s is requests per modeled second between the guest's")
                l.append("  first and last answers; relative = isolated / native req/s. Deterministic.")
            }
        }
        l.append("- XPC/s counts nooks_stats xpc_to_ext + xpc_to_kernel; deferred/s the deferred calls batched into")
        l.append("  later crossings. CPU = 1 - halted cycles / cycles of the measured interval.")
        if rows.contains(where: { $0.native?.webClient == .host }) {
            l.append("- Everything but the web row (host clients) is deterministic: the same options give the same figures on any host.")
        } else {
            l.append("- Every row is deterministic: the same options give the same figures on any host.")
        }
        return l.joined(separator: "\n") + "\n"
    }

    // MARK: JSON / CSV

    func json() -> String {
        func measurement(_ m: WorkloadMeasurement) -> String {
            var f: [String] = []
            f.append("\"variant\": \(jsonString(m.variant))")
            f.append("\"passed\": \(m.passed)")
            if let why = m.failure { f.append("\"failure\": \(jsonString(why))") }
            f.append("\"throughput\": \(jsonNumber(m.throughput))")
            f.append("\"unit\": \(jsonString(m.workload.unit))")
            f.append("\"work\": \(jsonNumber(m.work))")
            f.append("\"modeled_seconds\": \(jsonNumber(m.seconds))")
            f.append("\"busy_seconds\": \(jsonNumber(m.busySeconds))")
            f.append("\"work_per_busy_second\": \(jsonNumber(m.capacity))")
            f.append("\"cycles\": \(m.interval.cycles)")
            f.append("\"instructions\": \(m.interval.instructions)")
            f.append("\"halt_cycles\": \(m.interval.haltCycles)")
            f.append("\"cpu_busy\": \(jsonNumber(m.interval.busy))")
            f.append("\"xpc_to_ext\": \(m.interval.xpcToExtension)")
            f.append("\"xpc_to_kernel\": \(m.interval.xpcToKernel)")
            f.append("\"deferred\": \(m.interval.deferred)")
            f.append("\"native_calls\": \(m.interval.nativeCalls)")
            f.append("\"xpc_per_s\": \(jsonNumber(m.xpcPerSecond))")
            f.append("\"deferred_per_s\": \(jsonNumber(m.deferredPerSecond))")
            f.append("\"native_calls_per_s\": \(jsonNumber(m.nativeCallsPerSecond))")
            f.append("\"cr3_loads\": \(m.interval.cr3Loads)")
            f.append("\"tlb_misses\": \(m.interval.tlbMisses)")
            f.append("\"tlb_misses_per_xpc\": \(m.tlbMissesPerXPC.map(jsonNumber) ?? "null")")
            f.append("\"host_seconds\": \(jsonNumber(m.hostSeconds))")
            f.append("\"deterministic\": \(m.deterministic)")
            f.append("\"notes\": [" + m.notes.map(jsonString).joined(separator: ", ") + "]")
            return "{" + f.joined(separator: ", ") + "}"
        }
        var items: [String] = []
        for r in rows {
            let p = r.workload.paper
            var f = ["\"workload\": \(jsonString(r.workload.rawValue))", "\"benchmark\": \(jsonString(r.workload.title))",
                     "\"extension\": \(jsonString(r.workload.isolatedModule))"]
            if let why = r.skipped { f.append("\"skipped\": \(jsonString(why))") }
            if let n = r.native { f.append("\"native\": " + measurement(n)) }
            if let i = r.isolated { f.append("\"isolated\": " + measurement(i)) }
            f.append("\"relative\": \(r.relative.map(jsonNumber) ?? "null")")
            f.append("\"passed\": \(r.passed)")
            f.append("\"paper\": {\"benchmark\": \(jsonString(p.benchmark)), \"xpc_per_s\": \(jsonNumber(p.xpcPerSecond)), \"relative\": \(jsonNumber(p.relative)), \"cpu_native_percent\": \(jsonNumber(p.cpuNative)), \"cpu_nooks_percent\": \(jsonNumber(p.cpuNooks))}")
            items.append("{" + f.joined(separator: ", ") + "}")
        }
        let pr = parameters
        let params = "{\"stream_bytes\": \(pr.streamBytes), \"fs_files\": \(pr.fsFiles), \"fs_loops\": \(pr.fsLoops), \"requests\": \(pr.requests), \"clients\": \(pr.clients), \"keep_alive\": \(pr.keepAlive), \"web_client\": \(jsonString(pr.webClient.rawValue)), \"link_bits_per_second\": \(pr.linkBitsPerSecond.map(String.init) ?? "null")}"
        return "{\"clock_hz\": 1000000000, \"parameters\": \(params), \"rows\": [\n  " + items.joined(separator: ",\n  ") + "\n]}\n"
    }

    func csv() -> String {
        var lines = ["workload,mode,variant,passed,throughput,unit,relative,xpc_per_s,deferred_per_s,native_calls_per_s,cpu_busy,cr3_loads,tlb_misses_per_xpc,modeled_seconds,host_seconds,paper_relative,paper_xpc_per_s"]
        for r in rows {
            let p = r.workload.paper
            if r.skipped != nil {
                lines.append("\(r.workload.rawValue),skipped,,,,,,,,,,,,,,\(jsonNumber(p.relative)),\(jsonNumber(p.xpcPerSecond))")
                continue
            }
            for m in [r.native, r.isolated].compactMap({ $0 }) {
                lines.append([r.workload.rawValue, m.isolated ? "isolated" : "native", m.variant, m.passed ? "PASS" : "FAIL",
                              jsonNumber(m.throughput), m.workload.unit, m.isolated ? (r.relative.map(jsonNumber) ?? "") : "1",
                              jsonNumber(m.xpcPerSecond), jsonNumber(m.deferredPerSecond), jsonNumber(m.nativeCallsPerSecond), jsonNumber(m.interval.busy),
                              String(m.interval.cr3Loads), m.tlbMissesPerXPC.map(jsonNumber) ?? "", jsonNumber(m.seconds), jsonNumber(m.hostSeconds),
                              jsonNumber(p.relative), jsonNumber(p.xpcPerSecond)].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A JSON number (finite; 6 significant decimals).
func jsonNumber(_ v: Double) -> String {
    guard v.isFinite else { return "null" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return fixed(v, 6)
}

/// A JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
