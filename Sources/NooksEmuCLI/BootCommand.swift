// `nooks-emu boot`: boot a Multiboot kernel and run it to the end.

import ArgumentParser
import Core
import Machine

struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Boot a Multiboot kernel (default: the toy kernel) and run it until it exits.",
        discussion: "Exit status:\n" + ExitStatus.table
    )

    @OptionGroup var boot: BootOptions

    @Flag(help: "Print instructions, modeled cycles, host MIPS and TLB counters at the end (to stderr).")
    var stats = false

    @Flag(name: .customLong("no-stdin"), help: "Do not feed the host's stdin to COM1.")
    var noStdin = false

    func run() throws {
        var config = MachineConfig()
        config.echoSerial = true
        let (machine, _, kernel) = try boot.makeMachine(config: config)
        if !noStdin {
            let input = HostInput()
            input.start()
            machine.inputSource = { input.drain() }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let exit = machine.run(maxInstructions: boot.maxInstructions ?? .max)
        let elapsed = clock.now - start
        if machine.serialOutput.last != 10 && !machine.serialOutput.isEmpty { print("") }
        let status = ExitStatus.status(for: exit)
        report(exit, machine: machine)
        if stats {
            printError(RunStats(machine: machine, exit: exit, kernel: kernel, wall: elapsed).text)
        }
        throw ExitCode(status)
    }

    /// One line on stderr for outcomes that are not a plain guest exit.
    func report(_ exit: MachineExit, machine: Machine) {
        switch exit {
        case .tripleFault(let r): printError("nooks-emu: guest \(r.description)")
        case .hang(let why): printError("nooks-emu: guest hung: \(why) at eip=0x\(String(machine.cpu.eip, radix: 16))")
        case .instructionLimit: printError("nooks-emu: stopped after \(grouped(machine.cpu.instructions)) instructions (--max-instructions)")
        default: break
        }
        if machine.memory.unmappedReads + machine.memory.unmappedWrites > 0 {
            let first = machine.memory.firstUnmappedAddress.map { " (first at 0x\(String($0, radix: 16)))" } ?? ""
            printError("nooks-emu: note: guest touched unmapped physical memory \(machine.memory.unmappedReads + machine.memory.unmappedWrites) times\(first)")
        }
    }
}
