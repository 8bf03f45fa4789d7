// `nooks-emu debug`: the interactive/scriptable debugger, or a GDB stub with --gdb.

import ArgumentParser
import Debugger
import ELF
import Machine

#if canImport(Glibc)
import Glibc
#endif

struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Step through a guest and its domain crossings, or serve GDB's remote protocol.",
        discussion: """
        Commands come from --ex (in order), then --script, then stdin (a prompt when it is a
        terminal). Type `help` for the command list. With --gdb the machine waits for gdb:
          gdb -ex 'target remote 127.0.0.1:PORT' guest-images/build/kernel.elf
        """
    )

    @OptionGroup var boot: BootOptions

    @Option(name: .customLong("ex"), help: "A debugger command to run first (repeatable).")
    var commands: [String] = []

    @Option(help: "A file of debugger commands, one per line.")
    var script: String?

    @Option(help: ArgumentHelp("Serve the GDB remote protocol on this loopback address.", valueName: "127.0.0.1:PORT"))
    var gdb: String?

    @Option(help: "Block entries kept for `history`.")
    var history: Int = 4096

    func run() throws {
        var config = MachineConfig()
        config.echoSerial = true
        let (machine, _, kernel) = try boot.makeMachine(config: config)
        var symbols = SymbolTable()
        if let elf = try? ELFFile(path: kernel) { symbols = SymbolTable(files: [(elf, 0)]) }
        let session = DebugSession(machine: machine, symbols: symbols, historyCapacity: max(16, history))
        if let maxI = boot.maxInstructions { session.continueBudget = maxI }
        for path in boot.modulePaths { session.addModuleFile(path: path) }

        if let gdb {
            let port: UInt16
            do { port = try GDBServer.parse(gdb) } catch { throw fail(error.description, status: ExitStatus.usage) }
            let server = GDBServer(session: session)
            server.onListening = { p in printError("nooks-emu: gdb stub listening on 127.0.0.1:\(p)") }
            do { try server.serve(port: port) } catch { throw fail(error.description, status: ExitStatus.internalError) }
            throw ExitCode(session.exited.map(ExitStatus.status(for:)) ?? 0)
        }

        let interp = CommandInterpreter(session: session)
        func run(_ line: String) -> Bool {
            let out = interp.execute(line)
            if !out.isEmpty { print(out) }
            return !interp.quitRequested
        }
        var going = true
        for c in commands where going { going = run(c) }
        if going, let script {
            guard let text = try? FileBytes.read(path: script) else {
                throw fail("cannot read script \(script)", status: ExitStatus.usage)
            }
            for line in String(decoding: text, as: UTF8.self).split(separator: "\n") where going {
                let l = line.trimmingWhitespace()
                if l.isEmpty || l.hasPrefix("#") { continue }
                going = run(l)
            }
        }
        let interactive = isatty(0) != 0
        while going {
            if interactive { print("(nooks) ", terminator: ""); fflush(nil) }
            guard let line = readLine() else { break }
            going = run(line)
        }
        throw ExitCode(session.exited.map(ExitStatus.status(for:)) ?? 0)
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
