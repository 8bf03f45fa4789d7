// Options shared by every command that boots a guest (boot, bench, debug, ...),
// and turning them into a loaded Machine.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Core
import Devices
import ELF
import Machine

struct BootOptions: ParsableArguments {
    @Argument(help: """
        Multiboot kernel (ELF32). Default: the toy kernel built in guest-images/; with no image, \
        modules or --append, the Nooks demo: e1000.ko and buggy_null.ko isolated, workload=demo.
        """)
    var image: String?

    @Option(name: .customLong("module"),
            help: ArgumentHelp("A Multiboot module, FILE or FILE:ARGS (repeatable, in order).", valueName: "FILE[:ARGS]"))
    var modules: [String] = []

    @Option(help: "Modules the QEMU way: \"a.ko args,b.ko\" (after any --module).")
    var initrd: String?

    @Option(help: "Kernel command line.")
    var append: String = ""

    @Option(help: "Guest RAM in MiB (2-3072).")
    var memory: Int = 128

    @Option(name: .customLong("max-instructions"), help: "Stop after this many guest instructions.")
    var maxInstructions: UInt64?

    @Option(help: ArgumentHelp("Modeled ITLB size: ENTRIES or ENTRIES/WAYS (default 64/4).", valueName: "N[/W]"))
    var itlb: String?

    @Option(help: ArgumentHelp("Modeled DTLB size: ENTRIES or ENTRIES/WAYS (default 64/4).", valueName: "N[/W]"))
    var dtlb: String?

    @Flag(name: .customLong("tagged-tlb"), help: "What-if: a tagged TLB (like PCID), CR3 loads keep translations.")
    var taggedTLB = false

    @Option(name: .customLong("cost"), help: ArgumentHelp(
        "Override a cost-model entry (repeatable): \(CostOption.keys.joined(separator: ", ")).", valueName: "KEY=CYCLES"))
    var costs: [String] = []

    @Option(help: ArgumentHelp("Network: 'peer[,tcp-sink=PORT|off][,tcp-source=PORT:BYTES][,http-load=CONNS:REQUESTS[:PATH]][,link=RATE]' "
        + "(an e1000 NIC and a LAN peer at 10.0.2.2 answering ARP, ping and UDP echo, with a TCP discard server on port 5001 "
        + "(tcp-sink), optionally a TCP stream of BYTES it sends to the guest's PORT (tcp-source) and an HTTP load of CONNS "
        + "concurrent clients sending REQUESTS GETs of PATH (default /index.html) to the guest's port 80, one connection per "
        + "request (http-load); deterministic), "
        + "'user[,hostfwd=tcp:127.0.0.1:HOSTPORT-:GUESTPORT]...' (the e1000 behind libslirp NAT like QEMU's -netdev user; "
        + "real host sockets, so NOT deterministic) or 'none'.", valueName: "MODE"))
    var net: String = "peer"

    @Option(help: ArgumentHelp("Write every network frame to this pcap file (virtual-time stamps).", valueName: "FILE"))
    var pcap: String?

    @Option(help: ArgumentHelp(
        "Raw disk image attached as the IDE primary master (like QEMU's -drive file=FILE,format=raw,if=ide). "
        + "Guest writes go to the file as each WRITE completes; a machine snapshot does not include the disk.",
        valueName: "FILE"))
    var disk: String?

    @Flag(name: .customLong("disk-readonly"), help: "Open the --disk image read-only: guest writes fail with an ATA abort.")
    var diskReadOnly = false

    func validate() throws {
        _ = try machineConfig()
        guard (2...3072).contains(memory) else {
            throw ValidationError("--memory must be between 2 and 3072 MiB (got \(memory))")
        }
        if diskReadOnly, disk == nil {
            throw ValidationError("--disk-readonly needs --disk FILE")
        }
        for m in modules where m.isEmpty || m.hasPrefix(":") {
            throw ValidationError("--module needs a file name (got '\(m)')")
        }
    }

    /// A bare `boot`: no image, modules or command line. It runs the Nooks demo.
    var isDefaultDemo: Bool { image == nil && modules.isEmpty && (initrd ?? "").isEmpty && append.isEmpty }

    /// The demo's modules and command line.
    static let demoModules = ["e1000.ko", "buggy_null.ko"]
    static let demoAppend = "selftest=0 nooks=e1000,buggy_null workload=demo ping=5 udp=5 count=4 trigger=2"

    /// The QEMU -initrd string for all modules: "path args,path2" (the demo's when `demo`).
    func initrdSpec(demo: Bool) -> String? {
        if demo {
            return BootOptions.demoModules.map { GuestImages.path("modules/" + $0) }.joined(separator: ",")
        }
        var entries = modules.map { m -> String in
            guard let colon = m.firstIndex(of: ":") else { return m.replacingOccurrences(",", ",,") }
            let file = String(m[..<colon]), args = String(m[m.index(after: colon)...])
            return (args.isEmpty ? file : file + " " + args).replacingOccurrences(",", ",,")
        }
        if let initrd, !initrd.isEmpty { entries.append(initrd) }
        return entries.isEmpty ? nil : entries.joined(separator: ",")
    }

    /// Host paths of all modules (from --module and --initrd).
    var modulePaths: [String] {
        guard let spec = initrdSpec(demo: isDefaultDemo) else { return [] }
        return MultibootLoader.parseInitrd(spec).map(\.path)
    }

    /// Resolve the kernel path (building the default image if needed).
    func kernelPath(default name: String = "kernel.elf") throws -> String {
        if let image { return image }
        guard let p = GuestImages.ensure(name) else {
            throw fail("no IMAGE given and the default image \(GuestImages.path(name)) could not be built (run `make -C guest-images`)",
                       status: ExitStatus.kernelMissing)
        }
        return p
    }

    /// The TLB and cost-model settings given on the command line.
    func machineConfig() throws -> MachineConfig {
        var cfg = MachineConfig()
        cfg.memoryMiB = memory
        if let itlb { (cfg.tlb.itlbEntries, cfg.tlb.itlbWays) = try CostOption.tlbSize(itlb, "--itlb") }
        if let dtlb { (cfg.tlb.dtlbEntries, cfg.tlb.dtlbWays) = try CostOption.tlbSize(dtlb, "--dtlb") }
        cfg.tlb.taggedCR3 = taggedTLB
        switch net {
        case _ where net == "peer" || net.hasPrefix("peer,"):
            cfg.network = .peer
            do { cfg.peerTCP = try PeerTCPOptions.parse(String(net.dropFirst(4))) } catch {
                throw ValidationError("--net: \(error.description)")
            }
        case "none": cfg.network = .none
        case _ where net == "user" || net.hasPrefix("user,"):
            do { cfg.network = .user(try SlirpOptions.parse(String(net.dropFirst(4)))) } catch {
                throw ValidationError("--net: \(error.description)")
            }
        default: throw ValidationError("--net must be 'peer[,tcp-sink=PORT|off][,tcp-source=PORT:BYTES][,http-load=CONNS:REQUESTS[:PATH]][,link=RATE]', 'user[,hostfwd=tcp:127.0.0.1:HOSTPORT-:GUESTPORT]...' or 'none' (got '\(net)')")
        }
        for c in costs { try CostOption.apply(c, to: &cfg.costs) }
        return cfg
    }

    /// Build a machine and load the kernel and modules into it.
    func makeMachine(config: MachineConfig, defaultImage: String = "kernel.elf") throws -> (Machine, BootPlan, String) {
        let kernel = try kernelPath(default: defaultImage)
        let demo = isDefaultDemo && defaultImage == "kernel.elf"
        if demo {
            for m in BootOptions.demoModules where GuestImages.ensure("modules/" + m) == nil {
                throw fail("the demo module \(GuestImages.path("modules/" + m)) could not be built (run `make -C guest-images`)",
                           status: ExitStatus.moduleMissing)
            }
        }
        let plan: BootPlan
        do {
            plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: demo ? BootOptions.demoAppend : append, initrd: initrdSpec(demo: demo),
                                            memoryBytes: UInt64(memory) << 20)
        } catch {
            if case .noHeader = error, let refined = diagnoseNonMultiboot(kernel) { throw refined }
            throw fail(error.description, status: ExitStatus.status(for: error))
        }
        var cfg = try machineConfig()
        cfg.echoSerial = config.echoSerial
        let machine = Machine(config: cfg)
        if let e = machine.networkSetupError {
            throw fail("--net user: \(e.description)", status: ExitStatus.hostNetwork)
        }
        do { try machine.load(plan) } catch {
            throw fail(error.description, status: ExitStatus.doesNotFit)
        }
        if let disk {
            let backend: FileBlockBackend
            do { backend = try FileBlockBackend(path: disk, readOnly: diskReadOnly) } catch {
                throw fail(error.description, status: ExitStatus.diskUnusable)
            }
            if backend.hasPartialLastSector {
                printError("nooks-emu: warning: \(disk): \(backend.fileBytes) bytes is not a multiple of 512; "
                           + "the last sector reads as zeros past the end of the file")
            }
            var warned = false
            backend.onZeroFill = { sector, bytes in
                guard !warned else { return }
                warned = true
                printError("nooks-emu: warning: \(disk): the guest read \(bytes) bytes past the end of the file "
                           + "(from sector \(sector)); they read as zeros (file truncated?)")
            }
            machine.attachDisk(backend)
        }
        if let pcap {
            guard let f = fopen(pcap, "wb") else { throw fail("cannot write \(pcap)", status: ExitStatus.usage) }
            machine.capturePackets { bytes in
                bytes.withUnsafeBytes { _ = fwrite($0.baseAddress, 1, $0.count, f) }
                fflush(f)
            }
        }
        return (machine, plan, kernel)
    }
}

/// A file without a Multiboot header may not be a kernel at all: say what it is
/// (not ELF, 64-bit ELF, another machine) with that case's own status.
func diagnoseNonMultiboot(_ path: String) -> ExitCode? {
    guard let bytes = try? FileBytes.read(path: path) else { return nil }
    if bytes.count < 20 || bytes[0] != 0x7F || bytes[1] != 0x45 || bytes[2] != 0x4C || bytes[3] != 0x46 {
        return fail("\(path): not an ELF file (and no Multiboot header in the first 8 KiB)", status: ExitStatus.notELF)
    }
    if bytes[4] == 2 {
        return fail("\(path): 64-bit ELF; nooks-emu boots 32-bit i386 Multiboot kernels", status: ExitStatus.wrongClass)
    }
    let machine = UInt16(bytes[18]) | UInt16(bytes[19]) << 8
    if bytes[4] == 1 && machine != 3 {
        return fail("\(path): ELF for machine \(machine), not i386", status: ExitStatus.wrongMachine)
    }
    return nil
}

extension String {
    func replacingOccurrences(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
