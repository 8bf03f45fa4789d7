// The Nooks paper's performance table (SOSP 2003, table 3), reproduced on the
// emulator: each workload runs on the same kernel and module binaries once
// with every module native (nooks=none) and once with the paper's extension
// isolated, and is measured between the guest's start and end markers (see
// WorkloadRun.swift): throughput in modeled time, crossings per modeled
// second, busy fraction of the modeled CPU, CR3 loads, TLB misses.
//
//   send     netstream tcpsend to the peer's TCP sink, e1000 isolated
//   receive  netstream tcprecv from the peer's TCP source, e1000 isolated
//   fs       workload=fs fsbench=1 (untar, verify, "compile", rename, ... on
//            VFAT over the IDE disk), vfat isolated (ide native, as in the paper)
//   web      workload=web, kHTTPd isolated; by default the LAN peer's HTTP
//            load generator (NetPeerHTTPClient: C concurrent clients, one
//            connection per request) keeps the guest busy; `webClient = .host`
//            puts host threads behind slirp instead (HTTPLoad.swift)
//
// Everything is deterministic (same options, same figures) except the web row
// with host clients.

import Core
import Devices
import ELF
import Machine

/// The benchmarks, in the paper's order.
public enum BenchWorkload: String, CaseIterable, Sendable {
    case receive, send, fs, web

    /// The row's name, as in the paper.
    public var title: String {
        switch self {
        case .receive: return "receive stream"
        case .send: return "send stream"
        case .fs: return "compile on VFAT"
        case .web: return "simple web page"
        }
    }

    /// The extension isolated in the Nooks run.
    public var isolatedModule: String {
        switch self {
        case .receive, .send: return "e1000"
        case .fs: return "vfat"
        case .web: return "khttpd"
        }
    }

    /// The paper's figures for this row.
    public var paper: PaperFigures {
        switch self {
        case .receive: return PaperFigures(benchmark: "receive stream (netperf TCP)", xpcPerSecond: 8_923, relative: 0.92, cpuNative: 15.2, cpuNooks: 15.5)
        case .send: return PaperFigures(benchmark: "send stream", xpcPerSecond: 60_352, relative: 0.91, cpuNative: 21.4, cpuNooks: 39.3)
        case .fs: return PaperFigures(benchmark: "compile on VFAT", xpcPerSecond: 22_653, relative: 0.78, cpuNative: 97.5, cpuNooks: 96.8)
        case .web: return PaperFigures(benchmark: "simple web page (kHTTPd)", xpcPerSecond: 61_183, relative: 0.44, cpuNative: 96.6, cpuNooks: 96.8)
        }
    }

    /// Unit of the throughput column.
    public var unit: String {
        switch self {
        case .receive, .send: return "Mbit/s"
        case .fs: return "s"
        case .web: return "req/s"
        }
    }
}

/// One row of the paper's table (1.7 GHz Pentium 4, Linux 2.4.18).
public struct PaperFigures: Sendable {
    public var benchmark: String
    public var xpcPerSecond: Double
    public var relative: Double
    /// CPU utilisation in percent.
    public var cpuNative: Double
    public var cpuNooks: Double
}

/// Who loads the web server.
public enum WebClient: String, Sendable, CaseIterable {
    /// The LAN peer's HTTP load generator: modeled time only, deterministic.
    case peer
    /// Host threads with sockets through libslirp hostfwd: the host's clock and scheduling.
    case host
}

/// Sizes of the workloads.
public struct WorkloadParameters: Sendable {
    /// Bytes of each stream.
    public var streamBytes: UInt64 = 2 << 20
    /// workload=fs files=N loops=N.
    public var fsFiles = 24
    public var fsLoops = 2
    /// Web: requests in total, concurrent clients, persistent connections or one per request.
    public var requests = 400
    public var clients = 4
    public var keepAlive = false
    /// Web: the peer's load generator (default) or host threads through slirp.
    public var webClient = WebClient.peer
    /// Give up on a web run after this much host time.
    public var webTimeoutSeconds: Double = 600
    /// Instruction budget of one run.
    public var maxInstructions: UInt64 = 60_000_000_000
    /// The LAN cable's rate in bits per second for the receive, send and web
    /// (peer clients) rows (`PeerTCPOptions.linkBitsPerSecond`); nil: unlimited.
    public var linkBitsPerSecond: UInt64? = nil
    public init() {}

    /// A small configuration (tests, smoke runs).
    public static var quick: WorkloadParameters {
        var p = WorkloadParameters()
        p.streamBytes = 256 << 10
        p.fsFiles = 4
        p.fsLoops = 1
        p.requests = 20
        p.clients = 2
        return p
    }
}

/// Where the images are, and the disk the fs and web workloads use.
public struct WorkloadSetup {
    public var kernelPath: String
    /// Directory holding e1000.ko, ide.ko, vfat.ko, khttpd.ko.
    public var moduleDirectory: String
    public var kernelSymbols: SymbolTable
    /// A FAT volume made by guest-images/tests/mkdisk.sh (each run gets a fresh copy in memory).
    public var diskImage: [UInt8]?
    public init(kernelPath: String, moduleDirectory: String, kernelSymbols: SymbolTable, diskImage: [UInt8]?) {
        self.kernelPath = kernelPath
        self.moduleDirectory = moduleDirectory
        self.kernelSymbols = kernelSymbols
        self.diskImage = diskImage
    }

    public static func modules(for w: BenchWorkload) -> [String] {
        switch w {
        case .send, .receive: return ["e1000.ko"]
        case .fs: return ["ide.ko", "vfat.ko"]
        case .web: return ["ide.ko", "vfat.ko", "e1000.ko", "khttpd.ko"]
        }
    }
}

/// Problems that stop a run before it could measure anything.
public enum WorkloadBenchError: Error, CustomStringConvertible {
    case boot(MultibootError)
    case load(MachineError)
    case hostNetwork(String)
    case noDisk

    public var description: String {
        switch self {
        case .boot(let e): return "\(e)"
        case .load(let e): return "\(e)"
        case .hostNetwork(let s): return "user networking could not start: \(s)"
        case .noDisk: return "no disk image"
        }
    }
}

/// One mode (native or isolated) of one workload.
public struct WorkloadMeasurement: Sendable {
    public var workload: BenchWorkload
    public var isolated: Bool
    /// The guest workload that ran ("netstream tcpsend", "fs", ...).
    public var variant: String
    public var passed: Bool
    public var failure: String?
    public var interval: WorkloadInterval
    /// Units of work in the interval: bytes (streams), build loops (fs), requests (web).
    public var work: Double
    public var cyclesPerSecond: UInt64
    public var hostSeconds: Double
    public var deterministic: Bool
    /// Host-side notes (web clients' counts, peer TCP counters).
    public var notes: [String] = []
    /// Web: who sent the requests (nil for the other rows).
    public var webClient: WebClient?

    /// Modeled seconds of the measured interval.
    public var seconds: Double { Double(interval.cycles) / Double(max(1, cyclesPerSecond)) }

    /// Throughput: Mbit/s (streams), modeled seconds of the build (fs), requests/s (web).
    public var throughput: Double {
        guard seconds > 0 else { return 0 }
        switch workload {
        case .send, .receive: return work * 8 / seconds / 1e6
        case .fs: return seconds
        case .web: return work / seconds
        }
    }

    /// Modeled seconds the CPU was not halted in the interval.
    public var busySeconds: Double { Double(interval.cycles &- interval.haltCycles) / Double(max(1, cyclesPerSecond)) }

    /// Work per busy modeled second: the throughput if the CPU were saturated.
    /// For web with host clients this is the figure relative performance
    /// compares: the paper's kHTTPd run was CPU-bound (96.6%), that one waits
    /// on host clients and slirp.
    public var capacity: Double { busySeconds > 0 ? work / busySeconds : 0 }

    /// Higher is better: the figure relative performance compares.
    var rate: Double {
        guard seconds > 0 else { return 0 }
        switch workload {
        case .fs: return work / seconds
        case .web: return webClient == .host ? capacity : throughput
        case .send, .receive: return throughput
        }
    }

    private func perSecond(_ n: UInt64) -> Double { seconds > 0 ? Double(n) / seconds : 0 }
    /// XPCs (both directions) per modeled second.
    public var xpcPerSecond: Double { perSecond(interval.xpcs) }
    /// Deferred calls run, per modeled second.
    public var deferredPerSecond: Double { perSecond(interval.deferred) }
    /// Calls that went through Nooks' call path with isolation off, per modeled second.
    public var nativeCallsPerSecond: Double { perSecond(interval.nativeCalls) }
    /// TLB misses (I + D) per XPC; nil without crossings.
    public var tlbMissesPerXPC: Double? { interval.xpcs > 0 ? Double(interval.tlbMisses) / Double(interval.xpcs) : nil }
}

/// A workload's native and isolated measurements, or why it was skipped.
public struct WorkloadRow: Sendable {
    public var workload: BenchWorkload
    public var native: WorkloadMeasurement?
    public var isolated: WorkloadMeasurement?
    public var skipped: String?

    public init(workload: BenchWorkload, native: WorkloadMeasurement? = nil, isolated: WorkloadMeasurement? = nil, skipped: String? = nil) {
        self.workload = workload; self.native = native; self.isolated = isolated; self.skipped = skipped
    }

    /// Isolated / native throughput (fs: native time / isolated time; web with host clients:
    /// requests per busy second), as the paper's "relative".
    public var relative: Double? {
        guard let n = native, let i = isolated, n.passed, i.passed, n.rate > 0 else { return nil }
        return i.rate / n.rate
    }

    public var passed: Bool { skipped != nil || (native?.passed == true && isolated?.passed == true) }
}

public enum WorkloadBench {
    /// Whether this workload can run here (nil) or why not.
    public static func unavailable(_ w: BenchWorkload, setup: WorkloadSetup) -> String? {
        if (w == .fs || w == .web) && setup.diskImage == nil { return "no FAT disk image (mkfs.vfat and mtools are needed)" }
        return nil
    }

    /// Run `w` native or isolated and measure it.
    public static func measure(_ w: BenchWorkload, isolated: Bool, setup: WorkloadSetup,
                               parameters p: WorkloadParameters) throws(WorkloadBenchError) -> WorkloadMeasurement {
        var cfg = MachineConfig()
        cfg.echoSerial = false
        var append = "selftest=0 nooks=\(isolated ? w.isolatedModule : "none") "
        var start = "", end = ""
        var variant = ""
        var webPort: UInt16 = 0
        var modules = WorkloadSetup.modules(for: w)
        switch w {
        case .send:
            variant = "netstream tcpsend"
            append += "workload=netstream mode=tcpsend bytes=\(p.streamBytes) port=5001"
            cfg.peerTCP = PeerTCPOptions(sinkPort: 5001)
            start = "workload: netstream start "
            end = "workload: netstream end "
        case .receive:
            variant = "netstream tcprecv"
            append += "workload=netstream mode=tcprecv bytes=\(p.streamBytes) port=5001"
            cfg.peerTCP = PeerTCPOptions(sinkPort: 5001, source: PeerTCPSource(guestPort: 5001, bytes: p.streamBytes))
            start = "workload: netstream start "
            end = "workload: netstream end "
        case .fs:
            variant = "fs"
            cfg.network = .none
            append += "workload=fs fsbench=1 files=\(p.fsFiles) loops=\(p.fsLoops)"
            start = "workload: fs build start"
            end = "workload: fs build end"
        case .web where p.webClient == .peer:
            variant = "web (peer clients)"
            cfg.peerTCP = PeerTCPOptions(sinkPort: nil, http: PeerHTTPLoad(path: "/index.html", connections: p.clients,
                                                                          requests: UInt64(p.requests), keepAlive: p.keepAlive))
            append += "workload=web requests=\(p.requests)"
            modules[modules.count - 1] += " quiet=1"
            start = "workload: web first requests="
            end = "workload: web served requests="
        case .web:
            variant = "web (host clients)"
            guard let port = HTTPLoad.freeLoopbackPort() else { throw .hostNetwork("no free loopback port") }
            webPort = port
            cfg.network = .user(SlirpOptions(forwards: [SlirpHostForward(hostPort: port, guestPort: 80)]))
            append += "workload=web requests=\(p.requests)"
            modules[modules.count - 1] += " quiet=1"
            start = "workload: web first requests="
            end = "workload: web served requests="
        }
        if let rate = p.linkBitsPerSecond, cfg.network == .peer, w != .fs { cfg.peerTCP.linkBitsPerSecond = rate }
        let initrd = modules.map { setup.moduleDirectory + "/" + $0 }.joined(separator: ",")
        let plan: BootPlan
        do { plan = try MultibootLoader.plan(kernelPath: setup.kernelPath, cmdline: append, initrd: initrd, memoryBytes: 128 << 20) }
        catch { throw .boot(error) }
        let m = Machine(config: cfg)
        if let e = m.networkSetupError { throw .hostNetwork("\(e)") }
        if w == .fs || w == .web {
            guard let image = setup.diskImage else { throw .noDisk }
            m.attachDisk(MemoryBlockBackend(bytes: image))
        }
        do { try m.load(plan) } catch { throw .load(error) }

        let runner = WorkloadRunner(machine: m, symbols: setup.kernelSymbols, startPrefix: start, endPrefix: end)
        var load: HTTPLoad? = nil
        if w == .web, p.webClient == .host {
            var o = HTTPLoad.Options(port: webPort, clients: p.clients, requests: p.requests, keepAlive: p.keepAlive)
            o.path = "/index.html"
            let l = HTTPLoad(options: o)
            l.start()
            load = l
            runner.sliceInstructions = 100_000
            runner.onLine = { line in if line.hasPrefix("workload: web serving") { l.go() } }
            let t0 = monotonicSeconds(), limit = p.webTimeoutSeconds
            runner.shouldAbort = {
                monotonicSeconds() - t0 > limit ? "no end after \(Int(limit)) s of host time (\(l.snapshot.ok) answers, last error: \(l.snapshot.lastError ?? "none"))" : nil
            }
        }
        let r = runner.run(maxInstructions: p.maxInstructions)
        load?.stop()

        var meas = WorkloadMeasurement(workload: w, isolated: isolated, variant: variant, passed: false, failure: nil,
                                       interval: r.interval ?? WorkloadInterval(), work: 0,
                                       cyclesPerSecond: cfg.costs.cyclesPerSecond, hostSeconds: r.hostSeconds,
                                       deterministic: w != .web || p.webClient == .peer)
        if w == .web { meas.webClient = p.webClient }
        switch w {
        case .send, .receive:
            meas.work = Double(value(of: "bytes", in: r.endLine) ?? 0)
        case .fs:
            meas.work = Double(p.fsLoops)
        case .web:
            let first = value(of: "requests", in: r.startLine) ?? 0, last = value(of: "requests", in: r.endLine) ?? 0
            meas.work = Double(last > first ? last - first : 0)
            if let l = load {
                let c = l.snapshot
                meas.notes.append("clients: \(c.ok) answers, \(c.connections) connections, \(c.errors) errors" + (c.lastError.map { " (last: \($0))" } ?? ""))
            }
        }
        var peerProblem: String? = nil
        if w == .send || w == .receive, let c = m.peer?.tcpCounters {
            meas.notes.append("peer TCP: sink \(c.sinkBytes) bytes, source acked \(c.sourceBytesAcked), pattern errors \(c.patternErrors), retransmits \(c.retransmits)")
            if c.patternErrors > 0 { peerProblem = "the peer saw \(c.patternErrors) bytes off the pattern" }
            if w == .send && c.sinkBytes != p.streamBytes { peerProblem = "the peer's sink got \(c.sinkBytes) of \(p.streamBytes) bytes" }
            if w == .receive && c.sourceBytesAcked != p.streamBytes { peerProblem = "the guest acknowledged \(c.sourceBytesAcked) of \(p.streamBytes) bytes" }
        }
        if w == .web, p.webClient == .peer, let h = m.peer?.httpCounters {
            meas.notes.append("peer HTTP: \(h.responses) responses (\(h.status2xx) 2xx, \(h.status4xx) 4xx, \(h.status5xx) 5xx), \(h.bodyBytes) body bytes, \(h.connections) connections, \(h.errors) errors, \(h.retries) retries"
                              + (h.lastError.map { " (last: \($0))" } ?? ""))
            let want = UInt64(p.requests)
            if h.status2xx != want || h.failed > 0 { peerProblem = "the peer's clients got \(h.status2xx) of \(want) answers 200" + (h.lastError.map { " (last error: \($0))" } ?? "") }
            else if h.errors > 0 { peerProblem = "the peer's clients saw \(h.errors) errors" + (h.lastError.map { " (last: \($0))" } ?? "") }
        }
        let guestResult = r.keptLines.last { $0.hasPrefix(resultPrefix(w)) }
        if let why = r.abortReason {
            meas.failure = why
        } else if r.exit != .powerOff {
            meas.failure = "guest did not finish: \(r.exit)"
        } else if r.verdictPassed != true {
            meas.failure = "guest workload failed: " + (guestResult ?? r.keptLines.last { $0.contains("FAIL") } ?? "workload: FAIL")
        } else if r.interval == nil {
            meas.failure = "no start/end markers ('\(start)', '\(end)') in the guest's output"
        } else if meas.work <= 0 {
            meas.failure = "no work measured between the markers"
        } else if let why = peerProblem {
            meas.failure = why
        } else if r.interval!.faults > 0 {
            meas.failure = "\(r.interval!.faults) Nooks fault(s) during the run"
        }
        meas.passed = meas.failure == nil
        if !meas.passed, meas.failure?.hasPrefix("guest") == true || meas.failure?.hasPrefix("no start") == true {
            meas.notes.append("serial tail: " + r.serialTail.split(separator: "\n").suffix(6).joined(separator: " | "))
        }
        return meas
    }

    static func resultPrefix(_ w: BenchWorkload) -> String {
        switch w {
        case .send, .receive: return "workload: netstream"
        case .fs: return "workload: fs files="
        case .web: return "workload: web requests="
        }
    }

    /// `key=N` in a marker line.
    static func value(of key: String, in line: String?) -> UInt64? {
        guard let line else { return nil }
        for word in line.split(separator: " ") where word.hasPrefix(key + "=") {
            return UInt64(word.dropFirst(key.count + 1))
        }
        return nil
    }
}
