// `boot --net peer,...`: the LAN peer's TCP options on the command line. Bad
// values are usage errors (exit status 64) with a message naming the problem;
// good ones boot.

import Testing
import ArgumentParser
@testable import NooksEmuCLI

@Suite("nooks-emu boot --net peer,tcp-...")
struct PeerNetOptionTests {
    @Test("bad tcp-sink / tcp-source values and unknown peer options are exit status 64", arguments: [
        "peer,tcp-source=5001", "peer,tcp-source=5001:0", "peer,tcp-source=0:100", "peer,tcp-source=70000:1M",
        "peer,tcp-source=5001:lots", "peer,tcp-sink=0", "peer,tcp-sink=", "peer,tcp-sink=65536", "peer,tcp=1", "peers",
    ])
    func badValues(spec: String) {
        #expect(nooksEmu(["boot", "--net", spec, "--max-instructions", "1000"]) == ExitStatus.usage)
    }

    @Test("the message names the bad item")
    func message() throws {
        #expect(throws: (any Error).self) { try BootCommand.parse(["--net", "peer,tcp-source=5001:0"]) }
        do {
            _ = try BootCommand.parse(["--net", "peer,tcp-source=5001:0"])
        } catch {
            let text = BootCommand.message(for: error)
            #expect(text.contains("tcp-source must be PORT:BYTES") && text.contains("5001:0"), "\(text)")
        }
    }

    @Test("good values parse into the machine configuration and boot")
    func goodValues() throws {
        let cmd = try BootCommand.parse(["--net", "peer,tcp-sink=off,tcp-source=5001:256K"])
        let cfg = try cmd.boot.machineConfig()
        #expect(cfg.network == .peer && cfg.peerTCP.sinkPort == nil)
        #expect(cfg.peerTCP.source == .init(guestPort: 5001, bytes: 262_144))
        #expect(try BootCommand.parse(["--net", "peer"]).boot.machineConfig().peerTCP == .init())
        #expect(nooksEmu(["boot", "--net", "peer,tcp-sink=9000", "--max-instructions", "1000"]) == ExitStatus.instructionLimit)
    }
}
