// The `nooks-emu` command: its subcommands live in their own files; this is the root.

import ArgumentParser

public struct NooksEmuCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "nooks-emu",
        abstract: "A full-system i386 emulator for running Nooks-style driver isolation.",
        discussion: """
        Boots Multiboot kernels (the same images qemu-system-i386 -kernel boots) on a
        deterministic virtual clock. Exit status: 0 when the guest powers off, the
        guest's ISA debug-exit status (value<<1)|1 (always odd), or one of the even
        statuses listed by `nooks-emu boot --help`.
        """,
        version: "0.1.0",
        subcommands: [BootCommand.self, DebugCommand.self, TraceCommand.self, BenchCommand.self, InjectCommand.self],
        defaultSubcommand: BootCommand.self
    )

    public init() {}
}
