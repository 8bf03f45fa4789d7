// `boot --net peer,...`: the LAN peer's TCP options on the command line. Bad
// values are usage errors (exit status 64) with a message naming the problem;
// good ones boot.

import Testing
import ArgumentParser
import Devices
@testable import NooksEmuCLI

@Suite("nooks-emu boot --net peer,tcp-...")
struct PeerNetOptionTests {
    @Test("bad tcp-sink / tcp-source values and unknown peer options are exit status 64", arguments: [
        "peer,tcp-source=5001", "peer,tcp-source=5001:0", "peer,tcp-source=0:100", "peer,tcp-source=70000:1M",
        "peer,tcp-source=5001:lots", "peer,tcp-sink=0", "peer,tcp-sink=", "peer,tcp-sink=65536", "peer,tcp=1", "peers",
        "peer,http-load=", "peer,http-load=4", "peer,http-load=0:10", "peer,http-load=65:10", "peer,http-load=4:0",
        "peer,http-load=4:x", "peer,http-load=4:10:index.html", "peer,http-load=4:10:/a b", "peer,http-load=-1:10",
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
        do {
            _ = try BootCommand.parse(["--net", "peer,http-load=0:10"])
            Issue.record("http-load=0:10 parsed")
        } catch {
            let text = BootCommand.message(for: error)
            #expect(text.contains("http-load must be CONNS:REQUESTS[:PATH]") && text.contains("0:10"), "\(text)")
        }
    }

    @Test("good values parse into the machine configuration and boot")
    func goodValues() throws {
        let cmd = try BootCommand.parse(["--net", "peer,tcp-sink=off,tcp-source=5001:256K"])
        let cfg = try cmd.boot.machineConfig()
        #expect(cfg.network == .peer && cfg.peerTCP.sinkPort == nil)
        #expect(cfg.peerTCP.source == .init(guestPort: 5001, bytes: 262_144))
        #expect(try BootCommand.parse(["--net", "peer"]).boot.machineConfig().peerTCP == .init())
        let http = try BootCommand.parse(["--net", "peer,http-load=8:1000:/www/about.html"]).boot.machineConfig().peerTCP.http
        #expect(http == PeerHTTPLoad(guestPort: 80, path: "/www/about.html", connections: 8, requests: 1000, keepAlive: false))
        #expect(try BootCommand.parse(["--net", "peer,http-load=2:5"]).boot.machineConfig().peerTCP.http?.path == "/index.html")
        #expect(nooksEmu(["boot", "--net", "peer,tcp-sink=9000", "--max-instructions", "1000"]) == ExitStatus.instructionLimit)
    }
}

@Suite("nooks-emu boot --net peer,link=RATE")
struct PeerLinkOptionTests {
    @Test("bad link rates are exit status 64", arguments: [
        "peer,link=", "peer,link=fast", "peer,link=0", "peer,link=999", "peer,link=1T", "peer,link=200G",
        "peer,link=-1G", "peer,link=1.5", "peer,link=1.G", "peer,link=99999999999999G", "peer,link=1GG",
    ])
    func badValues(spec: String) {
        #expect(nooksEmu(["boot", "--net", spec, "--max-instructions", "1000"]) == ExitStatus.usage)
    }

    @Test("the message names the bad rate")
    func message() {
        do {
            _ = try BootCommand.parse(["--net", "peer,link=fast"])
            Issue.record("link=fast parsed")
        } catch {
            let text = BootCommand.message(for: error)
            #expect(text.contains("link must be a rate") && text.contains("fast"), "\(text)")
        }
    }

    @Test("good rates parse (decimal units) and boot; the default is unlimited")
    func goodValues() throws {
        func rate(_ spec: String) throws -> UInt64? { try BootCommand.parse(["--net", spec]).boot.machineConfig().peerTCP.linkBitsPerSecond }
        #expect(try rate("peer") == nil)
        #expect(try rate("peer,link=100M") == 100_000_000)
        #expect(try rate("peer,link=1G") == 1_000_000_000)
        #expect(try rate("peer,link=2.5G") == 2_500_000_000)
        #expect(try rate("peer,link=250000000") == 250_000_000)
        #expect(try rate("peer,tcp-source=5001:1M,link=10m") == 10_000_000)
        #expect(nooksEmu(["boot", "--net", "peer,link=1G", "--max-instructions", "1000"]) == ExitStatus.instructionLimit)
    }
}
