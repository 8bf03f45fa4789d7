// End-to-end test against the installed gdb: a loopback TCP listener feeds a
// GDBSession over the fake target, gdb runs a batch script against it, and the
// test checks gdb's output and the packets it sent. Skipped without gdb.

import Foundation
import Testing
import GDBRemote
#if canImport(Glibc)
import Glibc
#endif

/// The gdb binary used by the end-to-end tests, if installed.
let gdbPath: String? = ["/usr/bin/gdb", "/usr/local/bin/gdb"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// A listening TCP socket on 127.0.0.1 with an ephemeral port.
final class LoopbackListener {
    let fd: Int32
    let port: UInt16

    init?() {
        #if canImport(Glibc)
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let s = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard s >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        guard bound == 0, listen(s, 1) == 0, named == 0 else { close(s); return nil }
        fd = s
        port = UInt16(bigEndian: addr.sin_port)
    }

    deinit { close(fd) }

    /// Waits up to `timeout` seconds for one connection.
    func accept(timeout: Double) -> Int32? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) == 1 else { return nil }
        let c = Glibc.accept(fd, nil, nil)
        return c >= 0 ? c : nil
    }
}

/// Runs gdb with `commands` against a session over `target`; the emulated
/// machine "runs" by jumping to the first software breakpoint (or exiting).
/// Returns gdb's output and every payload gdb sent.
func runGDB(_ commands: [String], target: FakeTarget) throws -> (output: String, packets: [String]) {
    guard let gdb = gdbPath, let listener = LoopbackListener() else { return ("", []) }
    let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("gdbremote-\(getpid())-\(listener.port).txt")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outURL) }
    let outFile = try FileHandle(forWritingTo: outURL)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: gdb)
    var args = ["-nx", "-batch", "-ex", "set confirm off", "-ex", "set pagination off",
                "-ex", "target remote 127.0.0.1:\(listener.port)"]
    for c in commands { args += ["-ex", c] }
    process.arguments = args
    process.standardOutput = outFile
    process.standardError = outFile
    try process.run()
    defer { if process.isRunning { process.terminate() } }

    var packets: [String] = []
    if let conn = listener.accept(timeout: 20) {
        defer { close(conn) }
        let session = GDBSession(target: target)
        var spy = PacketDecoder()
        let deadline = Date().addingTimeInterval(30)
        var buffer = [UInt8](repeating: 0, count: 4096)
        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(conn, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                sent += n
            }
        }
        var resumes = 0
        while !session.isFinished && Date() < deadline {
            var p = pollfd(fd: conn, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 else { break }
            if p.revents & Int16(POLLIN) == 0 { continue }
            let n = read(conn, &buffer, buffer.count)
            if n <= 0 { break }
            let chunk = Array(buffer[0..<n])
            for case .packet(let payload) in spy.feed(chunk) { packets.append(text(payload)) }
            send(session.receive(chunk))
            if target.resumes.count > resumes {
                resumes = target.resumes.count
                send(session.stopped(simulateRun(target, step: target.resumes.last!)))
            }
        }
    }
    // gdb exits once the connection closes; never wait on it forever.
    let exitDeadline = Date().addingTimeInterval(15)
    while process.isRunning && Date() < exitDeadline { usleep(10_000) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    try outFile.close()
    let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    return (output, packets)
}

/// One step advances eip by one byte; a continue stops at the lowest software
/// breakpoint above eip, or exits with status 0 if there is none.
func simulateRun(_ target: FakeTarget, step: Bool) -> StopReason {
    if step {
        target.registers[.eip] &+= 1
        return .trap
    }
    let eip = target.registers[.eip]
    let stops = target.breakpoints.compactMap { key -> UInt32? in
        guard key.hasPrefix("0@"), let end = key.firstIndex(of: "/") else { return nil }
        return UInt32(key[key.index(key.startIndex, offsetBy: 2)..<end], radix: 16)
    }.filter { $0 > eip }
    guard let next = stops.min() else { return .exited(0) }
    target.registers[.eip] = next
    return .softwareBreakpoint
}

@Suite(.serialized, .enabled(if: gdbPath != nil, "gdb is not installed"))
struct RealGDBTests {
    func machine() -> FakeTarget {
        let (_, target) = makeSession()
        target.map(0x10_0000, Array(repeating: 0x90, count: 0x40))
        return target
    }

    @Test func gdbAcceptsTheTargetDescriptionAndReadsState() throws {
        let target = machine()
        let (output, packets) = try runGDB([
            "show architecture",
            "info registers",
            "x/4xb 0x100000",
            "info registers st0",
            "detach",
        ], target: target)
        #expect(!output.contains("rejected"), "\(output)")
        #expect(output.contains("(currently \"i386\")"), "\(output)")
        #expect(output.contains("eax            0x11223344          287454020"), "\(output)")
        #expect(output.contains("eip            0x100000"), "\(output)")
        #expect(output.contains("eflags         0x202               [ IF ]"), "\(output)")
        #expect(output.contains("gs             0x10                16"), "\(output)")
        #expect(output.contains("0x100000:\t0x90\t0x90\t0x90\t0x90"), "\(output)")
        #expect(output.contains("st0            <unavailable>"), "\(output)")
        #expect(packets.contains("QStartNoAckMode"))
        #expect(packets.contains { $0.hasPrefix("qXfer:features:read:target.xml:0,") })
        #expect(packets.last == "D")
        #expect(target.detached)
    }

    @Test func gdbWritesRegistersAndMemory() throws {
        let target = machine()
        let (output, _) = try runGDB([
            "set $ecx = 0x55aa",
            "p/x $ecx",
            "set {int}0x100004 = 0x12345678",
            "x/1xw 0x100004",
            "detach",
        ], target: target)
        #expect(target.registers[.ecx] == 0x55AA, "\(output)")
        #expect(output.contains("$1 = 0x55aa"), "\(output)")
        #expect((0..<4).map { target.memory[0x10_0004 + $0] } == [0x78, 0x56, 0x34, 0x12], "\(output)")
        #expect(output.contains("0x100004:\t0x12345678"), "\(output)")
    }

    @Test func gdbBreaksStepsAndRunsMonitorCommands() throws {
        let target = machine()
        let (output, packets) = try runGDB([
            "break *0x100010",
            "continue",
            "p/x $eip",
            "stepi",
            "p/x $eip",
            "monitor info tlb",
            "detach",
        ], target: target)
        #expect(output.contains("Breakpoint 1, 0x00100010 in ?? ()"), "\(output)")
        #expect(output.contains("$1 = 0x100010"), "\(output)")
        #expect(output.contains("$2 = 0x100011"), "\(output)")
        #expect(output.contains("ran info tlb"), "\(output)")
        #expect(target.monitorCommands == ["info tlb"])
        #expect(packets.contains("Z0,100010,1"), "\(packets)")
        #expect(packets.contains { $0.hasPrefix("vCont;c") }, "\(packets)")
        #expect(packets.contains { $0.hasPrefix("vCont;s") }, "\(packets)")
        #expect(target.breakpoints.isEmpty, "\(target.breakpoints)")
    }

    @Test func gdbSeesTheMachineExit() throws {
        let target = machine()
        let (output, _) = try runGDB(["continue"], target: target)
        #expect(output.contains("exited normally"), "\(output)")
    }

    @Test func transcriptOfAConnection() throws {
        // Prints what gdb 13 sends, for ConversationTests; checks the order of the opening.
        let (_, packets) = try runGDB(["break *0x100010", "continue", "detach"], target: machine())
        print("gdb sent:", packets.map { $0.count > 80 ? String($0.prefix(80)) + "…" : $0 })
        let opening = packets.prefix(4).map { String($0.prefix(10)) }
        #expect(opening == ["qSupported", "vMustReply", "QStartNoAc", "Hg0"], "\(packets)")
    }
}
