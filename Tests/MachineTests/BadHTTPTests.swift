// Malformed HTTP from the host: raw sockets through libslirp's hostfwd send
// kHTTPd garbage, an oversized request line, a request without a version, NUL
// bytes, a path escaping the volume, a header flood, a request trickled byte by
// byte, a half request dropped mid-way and more idle connections than the
// server has slots, natively and with khttpd.ko isolated. The server answers
// 4xx or closes, never faults, serves normal requests afterwards (curl), the
// workload passes and the volume is unchanged. Real host sockets: the test
// checks outcomes, never instruction counts.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

/// One raw exchange with a TCP server on 127.0.0.1: connect, send `chunks` (with
/// `pause` between them), optionally shut down the write side, and read the answer
/// until the server closes or `timeout` passes. "" if nothing came back.
enum RawHTTP {
    static func exchange(port: UInt16, _ chunks: [[UInt8]], pause: Double = 0, shutdownWrite: Bool = false,
                         closeEarly: Bool = false, timeout: Double = 8) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "socket failed" }
        defer { close(fd) }
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let ok = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { return "connect failed" }
        for (i, c) in chunks.enumerated() {
            if i > 0, pause > 0 { Thread.sleep(forTimeInterval: pause) }
            var off = 0
            while off < c.count {
                let n = c[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }   // the server may close on an oversized request: fine
                off += n
            }
        }
        if closeEarly { return "" }
        if shutdownWrite { shutdown(fd, Int32(SHUT_WR)) }
        var out = [UInt8]()
        let end = Date().addingTimeInterval(timeout)
        var buf = [UInt8](repeating: 0, count: 4096)
        while Date() < end {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { out += buf[0..<n]; continue }
            if n == 0 { break }
            if errno != EAGAIN && errno != EWOULDBLOCK { break }
        }
        return String(decoding: out.prefix(200), as: UTF8.self)
    }

    /// An idle connection (connected, nothing sent); the caller closes it.
    static func idleConnection(port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        _ = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }
}

@Suite("malformed HTTP requests from the host", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && HostFAT.fsckAvailable
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
                && FileManager.default.fileExists(atPath: TestImages.dir + "/net/khttpd")))
struct BadHTTPTests {
    /// One malformed request and what it must get back (a predicate on the answer's start).
    struct Case: Sendable {
        var name: String
        var chunks: [[UInt8]]
        var pause: Double
        var closeEarly: Bool
        var ok: @Sendable (String) -> Bool
        init(_ name: String, _ chunks: [[UInt8]], _ pause: Double, _ closeEarly: Bool, _ ok: @escaping @Sendable (String) -> Bool) {
            self.name = name; self.chunks = chunks; self.pause = pause; self.closeEarly = closeEarly; self.ok = ok
        }
    }

    static let cases: [Case] = [
        Case("garbage", [[0, 1, 2, 0xFF, 0xFE] + Array("garbage\r\n\r\n".utf8)], 0, false, { $0.hasPrefix("HTTP/1.1 400") }),
        Case("no version", [Array("GET /\r\n\r\n".utf8)], 0, false, { $0.hasPrefix("HTTP/1.1 400") }),
        Case("100 KiB request line", [Array("GET /".utf8) + [UInt8](repeating: 0x41, count: 100 << 10)], 0, false,
         { $0.isEmpty || $0.hasPrefix("HTTP/1.1 414") }),
        Case("header flood", [Array("GET /index.html HTTP/1.1\r\n".utf8) + Array(String(repeating: "X-Junk: 0123456789\r\n", count: 300).utf8)],
         0, false, { $0.isEmpty || $0.hasPrefix("HTTP/1.1 400") || $0.hasPrefix("HTTP/1.1 414") }),
        Case("NUL in the path", [Array("GET /ind".utf8) + [0] + Array("ex.html HTTP/1.1\r\n\r\n".utf8)], 0, false,
         { $0.hasPrefix("HTTP/1.1 4") }),
        Case("path escaping the volume", [Array("GET /../../etc/passwd HTTP/1.1\r\n\r\n".utf8)], 0, false,
         { $0.hasPrefix("HTTP/1.1 4") }),
        Case("percent-encoded escape", [Array("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n\r\n".utf8)], 0, false,
         { $0.hasPrefix("HTTP/1.1 4") }),
        Case("unknown method", [Array("BREW /index.html HTTP/1.1\r\n\r\n".utf8)], 0, false, { $0.hasPrefix("HTTP/1.1 4") }),
        Case("POST with a body", [Array("POST /index.html HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".utf8)], 0, false,
         { $0.hasPrefix("HTTP/1.1 405") }),
        Case("trickled byte by byte", Array("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8).map { [$0] },
         0.01, false, { $0.hasPrefix("HTTP/1.1 200") }),
        Case("half a request, then gone", [Array("GET /index.ht".utf8)], 0, true, { _ in true }),
    ]

    @Test("kHTTPd answers 4xx or closes, keeps serving, and the volume is unchanged", arguments: ["none", "khttpd"])
    func malformedRequests(nooks: String) throws {
        // idle=3: connections that say nothing are closed after 3 s (the idle-slot case below).
        let web = try WebUnderLoad(append: "selftest=0 nooks=\(nooks) workload=web requests=40 webtime=90",
                                   moduleArgs: ["khttpd": "idle=3"])
        let before = try Data(contentsOf: URL(fileURLWithPath: web.disk))
        let port = web.port, serial = web.serial, results = web.results
        Thread {
            for _ in 0..<600 where !serial.text.contains("workload: web serving") { Thread.sleep(forTimeInterval: 0.05) }
            var answers: [String] = []
            for c in BadHTTPTests.cases {
                answers.append(RawHTTP.exchange(port: port, c.chunks, pause: c.pause, closeEarly: c.closeEarly))
            }
            results["answers"] = answers.joined(separator: "\u{1}")
            // More idle connections than kHTTPd has slots (16): new clients get in once the
            // idle ones are closed (idle=3), and normal requests are answered.
            let idle = (0..<20).map { _ in RawHTTP.idleConnection(port: port) }
            var codes: [String] = []
            for _ in 0..<60 {
                if serial.text.contains("workload: web requests=") || serial.text.contains("reboot:") { break }
                let code = (try? TestImages.run("/usr/bin/curl", ["-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
                                                                  "http://127.0.0.1:\(port)/index.html"]).1) ?? "err"
                codes.append(code)
            }
            idle.forEach { close($0) }
            results["codes"] = codes.joined(separator: " ")
            results["client"] = "done"
        }.start()
        let exit = web.runToEnd(seconds: 150)
        for _ in 0..<200 where web.results["client"] == nil { Thread.sleep(forTimeInterval: 0.05) }
        let text = web.serial.text
        #expect(exit == .powerOff, "exit \(exit):\n\(text.suffix(4000))")
        #expect(text.contains("workload: web requests=40 PASS"), "\(text.suffix(4000))")
        #expect(!text.contains("Kernel panic") && !text.contains("nooks: fault") && !text.contains("Oops"),
                "\(text.suffix(4000))")
        let answers = (results["answers"] ?? "").split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
        #expect(answers.count == BadHTTPTests.cases.count, "answers: \(answers)")
        for (c, a) in zip(BadHTTPTests.cases, answers) {
            #expect(c.ok(a), "\(c.name): got \(a.debugDescription)")
        }
        let codes = (results["codes"] ?? "").split(separator: " ").map(String.init)
        // (the last request may be in flight when the workload has its 40 answers and stops)
        #expect(codes.count >= 10 && codes.dropLast().allSatisfy { $0 == "200" } && ["200", "000"].contains(codes.last ?? ""),
                "normal requests after the bad ones: \(codes)")
        #expect(text.contains("workload: fs umount: 0"))
        let (status, report) = try HostFAT.fsck(web.disk)
        #expect(status == 0, "fsck.vfat -n:\n\(report)")
        #expect(HostFAT.sameExceptFSInfoHints(try Data(contentsOf: URL(fileURLWithPath: web.disk)), before),
                "the web workload only reads the volume")
    }
}
