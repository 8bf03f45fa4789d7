// kHTTPd and the NIC recovered under load: khttpd.ko serves the IDE disk's
// VFAT volume through libslirp hostfwd to curl on the host (as in
// SlirpWebTests), with khttpd.ko and e1000.ko isolated. After a few answered
// requests an invalid opcode is patched over the entry of a function of one
// of them (khttpd's request handler, or the e1000's transmit routine); the
// next call faults, Nooks recovers the module, and the client's later
// requests are answered by the reloaded one. The workload reaches PASS, the
// guest powers off, and the volume is unchanged.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

/// A booted web server, a client thread fetching pages in a loop, and the machine run in slices.
final class WebUnderLoad {
    let machine: Machine
    let serial = SharedText()
    let results = SharedResults()
    let port = freeLoopbackPort()
    let images: [String]
    let disk: String

    /// Boots kernel + ide, vfat, e1000, khttpd with `append` on a fresh disk; `moduleArgs`
    /// gives a module (by name) its arguments.
    init(append: String, moduleArgs: [String: String] = [:]) throws {
        disk = try DiskFixture.make()
        images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko", "modules/e1000.ko",
                                               "modules/khttpd.ko"])
        let initrd = images.dropFirst().map { path -> String in
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return moduleArgs[name].map { path + " " + $0 } ?? path
        }
        let plan = try MultibootLoader.plan(kernelPath: images[0], cmdline: append,
                                            initrd: initrd.joined(separator: ","), memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.network = .user(SlirpOptions(forwards: [SlirpHostForward(hostPort: port, guestPort: 80)]))
        machine = Machine(config: cfg)
        if let e = machine.networkSetupError { throw TestImages.Failure(description: "slirp: \(e)") }
        machine.attachDisk(try FileBlockBackend(path: disk))
        try machine.load(plan)
        let serial = self.serial
        machine.serialSink = { serial.append($0) }
    }

    deinit { try? FileManager.default.removeItem(atPath: disk) }

    func image(_ module: String) -> String { images.first { $0.hasSuffix("/\(module).ko") }! }

    /// Starts a client: once the guest serves, `count` fetches of `path` (curl, a fresh
    /// connection each), each status code appended to results["codes"] (000 for none).
    func startClient(count: Int, path: String = "/") {
        let serial = self.serial, results = self.results, port = self.port
        results["codes"] = ""
        Thread {
            for _ in 0..<600 where !serial.text.contains("workload: web serving") { Thread.sleep(forTimeInterval: 0.05) }
            for _ in 0..<count {
                if serial.text.contains("workload: web requests=") || serial.text.contains("reboot:") { break }
                let code = (try? TestImages.run("/usr/bin/curl", ["-s", "-m", "3", "-o", "/dev/null", "-w", "%{http_code}",
                                                                  "http://127.0.0.1:\(port)\(path)"]).1) ?? "err"
                results["codes"] = (results["codes"] ?? "") + code + " "
            }
            results["client"] = "done"
        }.start()
    }

    /// Runs until the serial output contains `marker` (nil) or the machine stops (its exit).
    func run(until marker: String, limit: UInt64 = 8_000_000_000) -> MachineExit? {
        ModuleFault.run(machine, until: marker, serial: { self.serial.text }, slice: 1_000_000, limit: limit)
    }

    /// Runs until the machine stops, at most `seconds` of host time (a guest waiting for
    /// the network halts in real time); `.instructionLimit` if it is still running.
    func runToEnd(seconds: Double = 45) -> MachineExit {
        let deadline = Date().addingTimeInterval(seconds)
        var exit = MachineExit.instructionLimit
        while exit == .instructionLimit, Date() < deadline { exit = machine.run(maxInstructions: 2_000_000) }
        return exit
    }

    /// How many lines of the serial output start with `prefix`.
    func lines(_ prefix: String) -> Int { serial.text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.count }

    var codes: [String] { (results["codes"] ?? "").split(separator: " ").map(String.init) }
}

@Suite("kHTTPd and the NIC recovered under load", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && HostFAT.fsckAvailable
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
                && FileManager.default.fileExists(atPath: TestImages.dir + "/net/khttpd")))
struct WebRecoveryTests {
    /// Boots, waits for `before` answered requests, patches ud2 over `function` of `module`,
    /// runs to the end; checks recovery, later requests, PASS and the disk.
    func faultUnderLoad(module: String, function: String, requests: Int = 12, before: Int = 3) throws {
        let web = try WebUnderLoad(append: "selftest=0 nooks=khttpd,e1000 workload=web requests=\(requests) webtime=40")
        let m = web.machine
        let before0 = try Data(contentsOf: URL(fileURLWithPath: web.disk))
        web.startClient(count: 60)
        // Small slices: an idle guest waits for the host in hlt, so a slice can span many requests.
        let start = m.cpu.instructions
        while web.lines("khttpd: ") - 1 < before {   // (one line is "khttpd: listening")
            let e = m.run(maxInstructions: 10_000)
            if e != .instructionLimit || m.cpu.instructions - start > 4_000_000_000 {
                Issue.record("stopped before the fault (\(e)):\n\(web.serial.text.suffix(3000))"); return
            }
        }
        try ModuleFault.patch(m, module: module, modulePath: web.image(module), function: function,
                              bytes: ModuleFault.ud2, serial: web.serial.text)
        let exit = web.runToEnd()
        for _ in 0..<100 where web.results["client"] == nil { Thread.sleep(forTimeInterval: 0.05) }
        let text = web.serial.text
        #expect(exit == .powerOff, "exit \(exit):\n\(text.suffix(4000))")
        #expect(text.contains("nooks: fault domain=\(module)"), "\(text.suffix(4000))")
        #expect(text.contains("nooks: recovered domain=\(module) restarts=1"), "\(text.suffix(4000))")
        #expect(text.contains("workload: web requests=\(requests) PASS"), "\(text.suffix(4000))")
        #expect(!text.contains("Kernel panic"))
        // The reloaded module served the later requests (a request in flight at the fault
        // may fail, or TCP may retransmit what a dead NIC dropped); the client saw them answered.
        let recovered = try #require(text.range(of: "nooks: recovered domain=\(module)"))
        let after = text[recovered.upperBound...].split(separator: "\n")
        #expect(after.filter { $0.hasPrefix("khttpd: 10.0.2.2:") && $0.contains(" 200 ") }.count >= requests - before - 1,
                "\(text.suffix(3000))")
        if module == "e1000" {
            #expect(after.contains { $0.hasPrefix("e1000: eth0 link up") }, "the NIC re-initialised")
        }
        let codes = web.codes
        #expect(codes.filter { $0 == "200" }.count >= requests - 1, "codes: \(codes)")
        #expect(text.contains("workload: fs umount: 0"), "the service's files were closed")
        let (status, report) = try HostFAT.fsck(web.disk)
        #expect(status == 0, "fsck.vfat -n:\n\(report)")
        #expect(HostFAT.sameExceptFSInfoHints(try Data(contentsOf: URL(fileURLWithPath: web.disk)), before0),
                "the web workload only reads the volume")
    }

    @Test("khttpd.ko faults in its request handler; recovered, it answers the later requests")
    func khttpdFault() throws {
        try faultUnderLoad(module: "khttpd", function: "content_type")
    }

    @Test("e1000.ko faults in its transmit routine; recovered, the NIC re-initialises and traffic resumes")
    func e1000Fault() throws {
        try faultUnderLoad(module: "e1000", function: "e1000_xmit_frame")
    }
}
