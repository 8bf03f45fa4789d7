// `nooks-emu bench workloads`: the Nooks paper's performance table (receive
// stream, send stream, compile on VFAT, simple web page), native versus
// isolated on the same binaries, measured in modeled time and printed beside
// the paper's figures. The measuring is in Sources/Debugger/Workloads/.

import ArgumentParser
import Debugger
import Devices
import ELF
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ExitStatus {
    /// `bench workloads`: a guest workload failed (its row says FAIL).
    static let workloadFailed: Int32 = 92
}

struct WorkloadBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workloads",
        abstract: "The Nooks paper's performance table: workloads native vs isolated, in modeled time.",
        discussion: """
        Each workload boots the default kernel twice on the same binaries: nooks=none (native) \
        and with the paper's extension isolated (receive/send: e1000, fs: vfat, web: khttpd). \
        Only the interval between the guest's start and end markers is measured: throughput \
        in modeled time (cycles at the cost model's 1 GHz), relative = isolated/native, XPCs \
        (both directions) per modeled second, CPU = 1 - halted/total cycles, CR3 loads, TLB \
        misses per XPC, host seconds.

          receive  netstream tcprecv: the LAN peer's TCP source sends --bytes
          send     netstream tcpsend: --bytes to the LAN peer's TCP sink
          fs       workload=fs fsbench=1 (untar, verify, compile, rename, modify,
                   readdir, rmdir) on VFAT over IDE; a fresh FAT16 image from
                   guest-images/tests/mkdisk.sh per run (in memory); the figure
                   is modeled seconds, relative = native time / isolated time
          web      kHTTPd serves /index.html to --clients concurrent clients
                   of the LAN peer sending --requests GETs, one connection
                   per request ("Connection: close") or persistent ones with
                   --keep-alive; the guest is CPU-bound and the row is
                   deterministic. --web-client host: host threads through
                   slirp (hostfwd on a free loopback port) instead; then the
                   guest mostly waits for the host, and relative compares
                   requests per busy modeled second

        Every row is deterministic (same options, same figures), except web with --web-client \
        host, which depends on host scheduling (an idle guest's clock follows the host's then). \
        fs and web are skipped, with a message, when mkfs.vfat or mtools are missing.

        Exit status: 0 every row that ran passed; \(ExitStatus.workloadFailed) a guest workload \
        failed (its row says FAIL; the other rows are still printed); 64 bad arguments; 66 \
        kernel missing; 76 a module missing; 90 user networking (slirp) could not start.
        """
    )

    @Option(help: ArgumentHelp("Workloads to run, comma-separated: receive, send, fs, web (default: all).", valueName: "LIST"))
    var only: String?

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write the results as CSV to this file (one line per workload and mode).")
    var csv: String?

    @Option(help: ArgumentHelp("Write an SVG plot (relative performance and XPC rates, ours vs the paper's).", valueName: "F.svg"))
    var plot: String?

    @Option(help: "Web: requests in total (default 400; --quick: 20).")
    var requests: Int?

    @Option(help: "Web: concurrent clients (1-16; default 4; --quick: 2).")
    var clients: Int?

    @Option(name: .customLong("web-client"), help: ArgumentHelp(
        "Web: who sends the requests: peer (the LAN peer's load generator, deterministic; default) or host (host threads through slirp).",
        valueName: "peer|host"))
    var webClient: String = "peer"

    @Flag(name: .customLong("keep-alive"), help: "Web: persistent HTTP/1.1 connections instead of one connection per request.")
    var keepAlive = false

    @Option(help: "Send/receive: bytes per stream (default 2 MiB; --quick: 256 KiB).")
    var bytes: UInt64?

    @Option(help: "fs: files per build round (1-32; default 24; --quick: 4).")
    var files: Int?

    @Option(help: "fs: build loops (1-100; default 2; --quick: 1).")
    var loops: Int?

    @Option(help: ArgumentHelp("Receive, send and web (peer clients): the LAN cable's rate in bits per second, "
        + "each direction, like 100M, 1G or 250000000 (decimal units; default: unlimited).", valueName: "RATE"))
    var link: String?

    @Flag(help: "Small sizes (a smoke run; figures are noisier).")
    var quick = false

    func validate() throws {
        _ = try selected()
        if let requests, !(1...100_000).contains(requests) { throw ValidationError("--requests must be 1...100000") }
        if let clients, !(1...16).contains(clients) { throw ValidationError("--clients must be 1...16") }
        if WebClient(rawValue: webClient) == nil { throw ValidationError("--web-client must be 'peer' or 'host' (got '\(webClient)')") }
        if let bytes, !(1024...(1 << 30)).contains(bytes) { throw ValidationError("--bytes must be 1024...1073741824") }
        if let files, !(1...32).contains(files) { throw ValidationError("--files must be 1...32") }
        if let loops, !(1...100).contains(loops) { throw ValidationError("--loops must be 1...100") }
        if let link, PeerTCPOptions.parseLinkRate(link) == nil {
            throw ValidationError("--link must be a rate in bits per second from 1000 to 100G, like 100M, 1G or 250000000 (got '\(link)')")
        }
        for (name, path) in [("--json", json), ("--csv", csv), ("--plot", plot)] where path?.isEmpty == true {
            throw ValidationError("\(name) needs a file name")
        }
    }

    /// The workloads asked for, in the paper's order.
    func selected() throws -> [BenchWorkload] {
        guard let only else { return BenchWorkload.allCases }
        var set = Set<BenchWorkload>()
        for part in only.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let w = BenchWorkload(rawValue: name) else {
                throw ValidationError("--only: unknown workload '\(name)' (receive, send, fs, web)")
            }
            set.insert(w)
        }
        return BenchWorkload.allCases.filter(set.contains)
    }

    var parameters: WorkloadParameters {
        var p = quick ? WorkloadParameters.quick : WorkloadParameters()
        if let requests { p.requests = requests }
        if let clients { p.clients = clients }
        if let bytes { p.streamBytes = bytes }
        if let files { p.fsFiles = files }
        if let loops { p.fsLoops = loops }
        p.keepAlive = keepAlive
        p.linkBitsPerSecond = link.flatMap { PeerTCPOptions.parseLinkRate($0) }
        p.webClient = WebClient(rawValue: webClient) ?? .peer
        return p
    }

    func run() throws {
        let workloads = try selected()
        let params = parameters
        guard let kernel = GuestImages.ensure("kernel.elf") else {
            throw fail("the default kernel could not be built", status: ExitStatus.kernelMissing)
        }
        let moduleDir = GuestImages.path("modules")
        for w in workloads {
            for m in WorkloadSetup.modules(for: w) where !GuestImages.exists(moduleDir + "/" + m) {
                throw fail("missing \(moduleDir)/\(m) (make -C guest-images)", status: ExitStatus.moduleMissing)
            }
        }
        let symbols: SymbolTable
        do { symbols = SymbolTable(files: [(try ELFFile(path: kernel), 0)]) } catch {
            throw fail("\(kernel): \(error)", status: ExitStatus.status(for: error))
        }
        var disk: [UInt8]? = nil
        if workloads.contains(.fs) || workloads.contains(.web) {
            switch DiskTemplate.make(script: GuestImages.directory + "/tests/mkdisk.sh") {
            case .success(let bytes): disk = bytes
            case .failure(let why): printError("nooks-emu: bench workloads: skipping fs and web: \(why)")
            }
        }
        let setup = WorkloadSetup(kernelPath: kernel, moduleDirectory: moduleDir, kernelSymbols: symbols, diskImage: disk)

        var rows: [WorkloadRow] = []
        for w in workloads {
            if let why = WorkloadBench.unavailable(w, setup: setup) {
                printError("nooks-emu: bench workloads: skipping \(w.rawValue): \(why)")
                rows.append(WorkloadRow(workload: w, skipped: why))
                continue
            }
            var row = WorkloadRow(workload: w)
            for isolated in [false, true] {
                printError("nooks-emu: bench workloads: \(w.rawValue) \(isolated ? "isolated (nooks=\(w.isolatedModule))" : "native (nooks=none)") ...")
                let m: WorkloadMeasurement
                do { m = try WorkloadBench.measure(w, isolated: isolated, setup: setup, parameters: params) } catch {
                    switch error {
                    case .boot(let e): throw fail("\(e)", status: ExitStatus.status(for: e))
                    case .load(let e): throw fail("\(e)", status: ExitStatus.doesNotFit)
                    case .hostNetwork(let s): throw fail("web: \(s)", status: ExitStatus.hostNetwork)
                    case .noDisk: throw fail("\(w.rawValue): no disk image", status: ExitStatus.internalError)
                    }
                }
                if isolated { row.isolated = m } else { row.native = m }
            }
            rows.append(row)
        }
        let report = WorkloadReport(rows: rows, parameters: params)
        print(report.table(), terminator: "")
        if let json { try writeText(report.json(), to: json) }
        if let csv { try writeText(report.csv(), to: csv) }
        if let plot { try writeText(SVGPlot.workloads(rows), to: plot) }
        if rows.contains(where: { !$0.passed }) {
            throw fail("a guest workload failed (see the FAIL rows)", status: ExitStatus.workloadFailed)
        }
    }
}

/// The FAT volume the fs and web workloads use: made by guest-images/tests/mkdisk.sh
/// in a temporary directory, read into memory, and deleted.
enum DiskTemplate {
    static func make(script: String) -> Result<[UInt8], DiskTemplateError> {
        guard GuestImages.exists(script) else { return .failure(DiskTemplateError("\(script) is missing")) }
        var template = Array((NSTemporaryDirectory() + "/nooks-bench-XXXXXX").utf8CString)
        guard let dir = mkdtemp(&template) else { return .failure(DiskTemplateError("cannot make a temporary directory")) }
        let path = String(cString: dir)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let image = path + "/fat16.img"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script, image, "16"]
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = "946684800"   // mkfs.vfat: fixed timestamps
        p.environment = env
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        do { try p.run() } catch { return .failure(DiskTemplateError("cannot run \(script): \(error)")) }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, var bytes = FileManager.default.contents(atPath: image).map({ [UInt8]($0) }) else {
            return .failure(DiskTemplateError(message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? "\(script) failed (status \(p.terminationStatus))" : message.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        // FAT16 boot sector: a fixed volume serial number (mkfs.vfat picks a random one).
        if bytes.count > 0x2B { bytes.replaceSubrange(0x27..<0x2B, with: [0x4E, 0x4F, 0x4F, 0x4B]) }
        return .success(bytes)
    }
}

struct DiskTemplateError: Error, CustomStringConvertible {
    var description: String
    init(_ s: String) { description = s }
}
