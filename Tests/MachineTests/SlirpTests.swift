// User-mode networking through libslirp (`--net user`): option parsing, wild
// frames into slirp, hostfwd binding, and full boots of the kernel with
// e1000.ko that ping 10.0.2.2 (slirp answers for its own address), send UDP to
// an echo server on the host's loopback through slirp's NAT, and receive the
// SYN of a host connection forwarded to guest port 80. These runs touch real
// host sockets, so unlike `--net peer` they are not deterministic; the tests
// check outcomes, never instruction counts.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

@Suite struct SlirpOptionTests {
    @Test func parsesForwards() throws {
        #expect(try SlirpOptions.parse("") == SlirpOptions())
        let o = try SlirpOptions.parse(",hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp::5555-10.0.2.15:7,hostfwd=:127.0.0.1:2222-:22")
        #expect(o.forwards == [
            SlirpHostForward(udp: false, hostPort: 8080, guestPort: 80),
            SlirpHostForward(udp: true, hostPort: 5555, guestPort: 7),
            SlirpHostForward(udp: false, hostPort: 2222, guestPort: 22),
        ])
        #expect(o.forwards[0].description == "tcp:127.0.0.1:8080-10.0.2.15:80")
    }

    @Test func rejectsBadForwards() {
        #expect(throws: SlirpOptionError.hostAddressNotLoopback("0.0.0.0")) { try SlirpOptions.parse(",hostfwd=tcp:0.0.0.0:80-:80") }
        #expect(throws: SlirpOptionError.guestAddressOutsideNetwork("192.168.1.2")) {
            try SlirpOptions.parse(",hostfwd=tcp::80-192.168.1.2:80")
        }
        #expect(throws: SlirpOptionError.unknownOption("net=10.0.3.0/24")) { try SlirpOptions.parse(",net=10.0.3.0/24") }
        for bad in ["tcp:127.0.0.1:80", "sctp::80-:80", "tcp::0-:80", "tcp::80-:70000", "tcp::x-:80", "tcp:127.0.0.1:80-80"] {
            #expect(throws: SlirpOptionError.badForward(bad)) { try SlirpOptions.parse(",hostfwd=" + bad) }
        }
    }
}

/// A free TCP/UDP port number on the loopback (bind to 0, read it back, close).
func freeLoopbackPort(udp: Bool = false) -> UInt16 {
    let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var a = sockaddr_in()
    a.sin_family = sa_family_t(AF_INET)
    a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return UInt16(bigEndian: a.sin_port)
}

@Suite("libslirp user networking", .serialized)
struct SlirpTests {
    func userMachine(_ options: SlirpOptions, append: String) throws -> Machine {
        let kernel = try TestImages.path("kernel.elf")
        let e1000 = try TestImages.path("modules/e1000.ko")
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: append, initrd: e1000, memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.network = .user(options)
        let m = Machine(config: cfg)
        try m.load(plan)
        return m
    }

    @Test("wild frames into slirp: short, huge, garbage headers, bogus lengths; nothing traps")
    func wildFrames() throws {
        let s = try SlirpBackend(options: SlirpOptions(), nowNanoseconds: { 0 })
        var delivered = 0
        s.deliver = { _ in delivered += 1 }
        var rng = SystemRandomNumberGenerator()
        s.send([])
        s.send([UInt8](repeating: 0xFF, count: SlirpBackend.maxFrame + 1))
        #expect(s.counters.oversized == 2)
        for i in 0..<5000 {
            let n = Int.random(in: 1...1600, using: &rng)
            var f = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i % 2 == 0, n >= 34 {
                // Ethernet type IPv4 and a version-4 header with random lengths.
                f[12] = 0x08; f[13] = 0x00; f[14] = 0x40 | (f[14] & 0x0F)
                f[30] = 10; f[31] = 0; f[32] = 2; f[33] = UInt8.random(in: 0...3, using: &rng)
            }
            s.send(f)
            if i % 100 == 0 { s.poll(timeoutMilliseconds: 0) }
        }
        #expect(s.counters.framesToNet == 5000)
        _ = delivered
    }

    @Test("a hostfwd port already in use is a setup error, not a crash")
    func forwardConflict() throws {
        let port = freeLoopbackPort()
        let opts = SlirpOptions(forwards: [SlirpHostForward(hostPort: port, guestPort: 80)])
        let first = try SlirpBackend(options: opts, nowNanoseconds: { 0 })
        #expect(throws: SlirpSetupError.forward(opts.forwards[0])) {
            _ = try SlirpBackend(options: opts, nowNanoseconds: { 0 })
        }
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.network = .user(opts)
        let m = Machine(config: cfg)
        #expect(m.networkSetupError == .forward(opts.forwards[0]))
        _ = first
    }

    @Test("ping 10.0.2.2 through slirp")
    func ping() throws {
        let m = try userMachine(SlirpOptions(), append: "selftest=0 workload=net ping=5")
        let exit = m.run(maxInstructions: 2_000_000_000)
        let text = m.serialText
        #expect(exit == .powerOff, "exit \(exit):\n\(text)")
        #expect(text.contains("workload: ping sent=5 received=5"), "\(text)")
        #expect(text.contains("workload: PASS"))
        #expect(m.peer == nil)
        #expect((m.hostNet?.counters.framesToGuest ?? 0) >= 6)
    }

    @Test("UDP to an echo server on the host's loopback, through slirp's NAT")
    func udpToHost() throws {
        let port = freeLoopbackPort(udp: true)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        a.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let server = Thread {
            var buf = [UInt8](repeating: 0, count: 2048)
            for _ in 0..<3 {
                var from = sockaddr_storage()
                var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let n = withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buf, buf.count, 0, $0, &len) }
                }
                if n <= 0 { return }
                _ = withUnsafePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buf, n, 0, $0, len) }
                }
            }
        }
        server.start()
        let m = try userMachine(SlirpOptions(), append: "selftest=0 workload=net ping=1 udp=3 udpport=\(port)")
        let exit = m.run(maxInstructions: 2_000_000_000)
        let text = m.serialText
        #expect(exit == .powerOff, "exit \(exit):\n\(text)")
        #expect(text.contains("workload: udp sent=3 echoed=3"), "\(text)")
    }

    @Test("a host connection to a hostfwd port reaches the guest as a SYN to 10.0.2.15:80")
    func forwardedSyn() throws {
        let port = freeLoopbackPort()
        let m = try userMachine(SlirpOptions(forwards: [SlirpHostForward(hostPort: port, guestPort: 80)]),
                                append: "selftest=0 workload=net ping=20")
        nonisolated(unsafe) var syns = 0
        m.nic?.tap = { f, dir in
            // Ethernet IPv4 TCP to 10.0.2.15 port 80 with SYN set.
            guard dir == .toGuest, f.count >= 54, f[12] == 0x08, f[13] == 0x00, f[23] == 6 else { return }
            let ihl = Int(f[14] & 0x0F) * 4, t = 14 + ihl
            guard f.count >= t + 14, Array(f[30..<34]) == [10, 0, 2, 15] else { return }
            if Int(f[t + 2]) << 8 | Int(f[t + 3]) == 80, f[t + 13] & 0x02 != 0 { syns += 1 }
        }
        // Connect before the guest runs: the listener is slirp's, the host kernel
        // completes the handshake, and slirp forwards it once it polls.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        a.sin_port = port.bigEndian
        let r = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(r == 0, "connect to the hostfwd listener on 127.0.0.1:\(port)")
        let exit = m.run(maxInstructions: 2_000_000_000)
        #expect(exit == .powerOff, "exit \(exit):\n\(m.serialText)")
        #expect(syns > 0, "no forwarded SYN reached the guest")
    }
}

/// Serial output shared between the machine's thread and a client thread.
final class SharedText: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func append(_ b: UInt8) { lock.lock(); bytes.append(b); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
}

/// Results a client thread hands back.
final class SharedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: String] = [:]
    subscript(key: String) -> String? {
        get { lock.lock(); defer { lock.unlock() }; return items[key] }
        set { lock.lock(); items[key] = newValue; lock.unlock() }
    }
}

@Suite("kHTTPd through libslirp hostfwd", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
                && FileManager.default.fileExists(atPath: TestImages.dir + "/net/khttpd")))
struct SlirpWebTests {
    @Test("curl on the host gets index.html, a 1 MiB file and a 404 from khttpd.ko on the IDE disk")
    func curlThroughHostfwd() throws {
        let disk = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: disk) }
        let port = freeLoopbackPort()
        let kernel = try TestImages.path("kernel.elf")
        let mods = try ["ide.ko", "vfat.ko", "e1000.ko", "khttpd.ko"].map { try TestImages.path("modules/" + $0) }
        let plan = try MultibootLoader.plan(kernelPath: kernel, cmdline: "selftest=0 workload=web requests=3",
                                            initrd: mods.joined(separator: ","), memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.network = .user(SlirpOptions(forwards: [SlirpHostForward(hostPort: port, guestPort: 80)]))
        let m = Machine(config: cfg)
        #expect(m.networkSetupError == nil)
        m.attachDisk(try FileBlockBackend(path: disk))
        try m.load(plan)
        let serial = SharedText()
        m.serialSink = { serial.append($0) }
        let results = SharedResults()
        let bigPath = disk + ".big.out"
        defer { try? FileManager.default.removeItem(atPath: bigPath) }
        let client = Thread {
            for _ in 0..<600 where !serial.text.contains("workload: web serving") { Thread.sleep(forTimeInterval: 0.1) }
            let url = "http://127.0.0.1:\(port)"
            results["index"] = try? TestImages.run("/usr/bin/curl", ["-s", "-m", "60", url + "/"]).1
            results["big"] = try? TestImages.run("/usr/bin/curl", ["-s", "-m", "120", "-o", bigPath, "-w", "%{http_code}", url + "/big.bin"]).1
            results["404"] = try? TestImages.run("/usr/bin/curl", ["-s", "-m", "60", "-o", "/dev/null", "-w", "%{http_code}", url + "/nothere"]).1
        }
        client.start()
        let exit = m.run(maxInstructions: 20_000_000_000)
        #expect(exit == .powerOff, "exit \(exit):\n\(serial.text)")
        #expect(serial.text.contains("workload: web requests=3 PASS"), "\(serial.text)")
        #expect(results["index"]?.contains("Hello from kHTTPd") == true, "\(results["index"] ?? "nil")")
        #expect(results["big"] == "200")
        let big = try Data(contentsOf: URL(fileURLWithPath: bigPath))
        #expect(big == Data((0..<(1 << 20)).map { UInt8($0 % 251) }))
        #expect(results["404"] == "404")
    }
}
