// `nooks-emu bench crossing`: the cost of one XPC round trip, isolated versus a
// native call of the same function, per call and by phase; deterministic.

import ArgumentParser
import Core
import Debugger
import ELF
import Machine

#if canImport(Glibc)
import Glibc
#endif

struct CrossingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossing",
        abstract: "Cost of a domain crossing: isolated vs native calls into the xpcbench module, by phase.",
        discussion: """
        Boots the default kernel with guest-images/build/modules/xpcbench.ko and workload=xpcbench,
        once with nooks=none (native) and once with nooks=xpcbench (isolated), and measures every
        call between the guest's xpcbench_mark markers. Figures are modeled (deterministic).
        """
    )

    @Option(help: "Calls of each kind.")
    var calls: Int = 1000

    @Option(help: "Bytes per read/write call (1-4096).")
    var size: Int = 256

    @Flag(name: .customLong("what-if-tagged"), help: "Also run isolated with a tagged TLB (like PCID): CR3 loads keep translations.")
    var whatIfTagged = false

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write per-call samples as CSV to this file (mode,kind,instructions,cycles,tlb_misses,refills,cr3_loads).")
    var csv: String?

    func validate() throws {
        guard (1...1_000_000).contains(calls) else { throw ValidationError("--calls must be 1...1000000") }
        guard (1...4096).contains(size) else { throw ValidationError("--size must be 1...4096") }
    }

    func run() throws {
        guard let kernel = GuestImages.ensure("kernel.elf") else {
            throw fail("the default kernel could not be built", status: ExitStatus.kernelMissing)
        }
        let module = GuestImages.path("modules/xpcbench.ko")
        guard GuestImages.exists(module) else { throw fail("missing \(module) (make -C guest-images)", status: ExitStatus.moduleMissing) }
        let symbols = SymbolTable(files: [(try ELFFile(path: kernel), 0)])

        var configs: [(String, Bool, Bool)] = [("native", false, false), ("isolated", true, false)]
        if whatIfTagged { configs.append(("isolated+tagged", true, true)) }
        var runs: [(String, CrossingRun)] = []
        for (name, isolated, tagged) in configs {
            let append = "selftest=0 nooks=\(isolated ? "xpcbench" : "none") workload=xpcbench calls=\(calls) size=\(size)"
            let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: module, memoryBytes: 128 << 20)
            var cfg = MachineConfig()
            cfg.echoSerial = false
            cfg.network = .none
            cfg.tlb.taggedCR3 = tagged
            let m = Machine(config: cfg)
            try m.load(plan)
            let r = CrossingBench.measure(machine: m, kernelSymbols: symbols, modulePath: module, isolated: isolated)
            guard r.samples.allSatisfy({ $0.count == calls }) else {
                throw fail("\(name) run did not complete its calls (\(r.samples.map(\.count))); guest: \(r.guestLine) exit: \(r.exit)",
                           status: ExitStatus.internalError)
            }
            runs.append((name, r))
        }
        printTable(runs)
        if let json { try writeJSON(runs, json) }
        if let csv { try writeCSV(runs, csv) }
    }

    func printTable(_ runs: [(String, CrossingRun)]) {
        print("crossing cost: \(calls) calls of each kind, \(size)-byte buffers; modeled cycles at 1 GHz (see README cost model)")
        for (k, kind) in CrossingBench.kinds.enumerated() {
            print("")
            print("\(kind)")
            print("  mode              instr/call  cycles/call   min  median    p90     max  TLB miss/call  refills/call  CR3 loads/call")
            let native = CrossingBench.mean(runs[0].1.samples[k]) { $0.cycles }
            for (name, r) in runs {
                let s = r.samples[k]
                let d = CrossingBench.distribution(s)
                let rel = native > 0 ? "  (\(fixed(d.mean / native, 1))x native)" : ""
                print("  " + name.padding(16) + fixed(CrossingBench.mean(s) { $0.instructions }, 0).leftPad(11)
                      + fixed(d.mean, 0).leftPad(13) + String(d.min).leftPad(6) + String(d.median).leftPad(8) + String(d.p90).leftPad(7)
                      + String(d.max).leftPad(8) + fixed(CrossingBench.mean(s) { $0.tlbMisses }, 1).leftPad(15)
                      + fixed(CrossingBench.mean(s) { $0.refills }, 1).leftPad(14) + fixed(CrossingBench.mean(s) { $0.cr3Loads }, 1).leftPad(16) + rel)
            }
            for (name, r) in runs where r.isolated {
                print("  \(name) by phase (per call):")
                let n = Double(max(1, r.samples[k].count))
                for p in CrossingPhase.allCases {
                    guard let c = r.phases[k][p] else { continue }
                    print("    " + p.rawValue.padding(28) + fixed(Double(c.instructions) / n, 1).leftPad(9) + " instr"
                          + fixed(Double(c.cycles) / n, 1).leftPad(10) + " cycles" + fixed(Double(c.dtlbMisses + c.itlbMisses) / n, 2).leftPad(8) + " TLB misses")
                }
            }
        }
    }

    func writeJSON(_ runs: [(String, CrossingRun)], _ path: String) throws {
        var modes: [String] = []
        for (name, r) in runs {
            var kinds: [String] = []
            for (k, kind) in CrossingBench.kinds.enumerated() {
                let s = r.samples[k]
                let d = CrossingBench.distribution(s)
                let phases = CrossingPhase.allCases.compactMap { p -> String? in
                    guard let c = r.phases[k][p] else { return nil }
                    return "\"\(p.rawValue)\": {\"instructions\": \(c.instructions), \"cycles\": \(c.cycles), \"tlb_misses\": \(c.dtlbMisses + c.itlbMisses)}"
                }.joined(separator: ", ")
                kinds.append("\"\(kind)\": {\"calls\": \(s.count), \"mean_cycles\": \(fixed(d.mean, 2)), \"min\": \(d.min), \"median\": \(d.median), \"p90\": \(d.p90), \"max\": \(d.max), \"mean_instructions\": \(fixed(CrossingBench.mean(s) { $0.instructions }, 2)), \"mean_tlb_misses\": \(fixed(CrossingBench.mean(s) { $0.tlbMisses }, 3)), \"mean_refills\": \(fixed(CrossingBench.mean(s) { $0.refills }, 3)), \"mean_cr3_loads\": \(fixed(CrossingBench.mean(s) { $0.cr3Loads }, 3)), \"phases\": {\(phases)}}")
            }
            modes.append("\"\(name)\": {" + kinds.joined(separator: ", ") + "}")
        }
        let text = "{\"calls\": \(calls), \"size\": \(size), \"modes\": {" + modes.joined(separator: ", ") + "}}\n"
        try writeText(text, to: path)
    }

    func writeCSV(_ runs: [(String, CrossingRun)], _ path: String) throws {
        var lines = ["mode,kind,instructions,cycles,tlb_misses,refills,cr3_loads"]
        for (name, r) in runs {
            for (k, s) in r.samples.enumerated() {
                for c in s { lines.append("\(name),\(k),\(c.instructions),\(c.cycles),\(c.tlbMisses),\(c.refills),\(c.cr3Loads)") }
            }
        }
        try writeText(lines.joined(separator: "\n") + "\n", to: path)
    }
}

func writeText(_ text: String, to path: String) throws {
    guard let f = fopen(path, "w") else { throw fail("cannot write \(path)", status: ExitStatus.usage) }
    fputs(text, f)
    fclose(f)
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? " " + self : String(repeating: " ", count: n - count) + self }
}
