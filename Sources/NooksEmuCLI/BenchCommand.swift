// `nooks-emu bench`: emulator speed (mips). Crossing-cost benchmarks come with Nooks.

import ArgumentParser
import Core
import Machine

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: emulator speed (mips), domain-crossing cost (crossing), the paper's workload table (workloads).",
        subcommands: [MipsBench.self, CrossingBenchCommand.self, WorkloadBenchCommand.self],
        defaultSubcommand: MipsBench.self
    )
}

struct MipsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mips",
        abstract: "Guest MIPS on the compute-bound bench image (timer interrupts on), optionally against qemu-system-i386."
    )

    @OptionGroup var boot: BootOptions

    @Option(help: "Repetitions; the best is reported.")
    var repeat_: Int = 1

    @Flag(help: "Also time the same image under qemu-system-i386 (TCG) and report the ratio.")
    var qemu = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        var best: (Double, UInt64, Machine)? = nil
        for _ in 0..<max(1, repeat_) {
            var config = MachineConfig()
            config.echoSerial = false
            let (machine, _, _) = try boot.makeMachine(config: config, defaultImage: "bench.elf")
            let clock = ContinuousClock()
            let t0 = clock.now
            let exit = machine.run(maxInstructions: boot.maxInstructions ?? .max)
            let d = clock.now - t0
            let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            guard exit == .powerOff || boot.maxInstructions != nil else {
                throw fail("bench image did not finish cleanly: \(exit)", status: ExitStatus.status(for: exit))
            }
            if best == nil || secs < best!.0 { best = (secs, machine.cpu.instructions, machine) }
        }
        let (secs, insns, machine) = best!
        let mips = Double(insns) / secs / 1e6
        var qemuSecs: Double? = nil
        if qemu { qemuSecs = try QemuTiming.time(kernel: try boot.kernelPath(default: "bench.elf"), append: boot.append, memoryMiB: boot.memory) }
        if json {
            var s = "{\"instructions\": \(insns), \"seconds\": \(fixed(secs, 4)), \"mips\": \(fixed(mips, 1))"
            if let q = qemuSecs { s += ", \"qemu_seconds\": \(fixed(q, 4)), \"speed_vs_qemu\": \(fixed(q / secs, 3))" }
            print(s + "}")
        } else {
            print("instructions      \(grouped(insns))")
            print("modeled cycles    \(grouped(machine.cpu.cycles))")
            print("host time         \(fixed(secs, 3)) s")
            print("speed             \(fixed(mips, 1)) guest MIPS")
            if let q = qemuSecs {
                print("qemu-system-i386  \(fixed(q, 3)) s (TCG, same image)")
                print("ratio             nooks-emu runs at \(fixed(q / secs, 2))x QEMU's speed")
            }
        }
    }
}
