// A small HTTP load generator for the web workload: C client threads with
// plain blocking sockets issue N GETs of one small page in total against a
// server on 127.0.0.1 (kHTTPd in the guest, reached through slirp's hostfwd).
// Either one connection per request ("Connection: close", the way the web
// load generators of the Nooks era fetched a simple page) or persistent
// HTTP/1.1 connections. Host threads and host sockets: not deterministic.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class HTTPLoad: @unchecked Sendable {
    public struct Options: Sendable {
        public var port: UInt16
        public var path: String = "/index.html"
        public var clients: Int = 4
        public var requests: Int = 100
        public var keepAlive: Bool = false
        /// Per-socket receive/send timeout.
        public var timeoutSeconds: Int = 30
        public init(port: UInt16, path: String = "/index.html", clients: Int = 4, requests: Int = 100, keepAlive: Bool = false) {
            self.port = port; self.path = path; self.clients = clients; self.requests = requests; self.keepAlive = keepAlive
        }
    }

    /// What the clients saw.
    public struct Counts: Sendable, Equatable {
        public var ok = 0
        public var errors = 0
        public var connections = 0
        public var bodyBytes = 0
        public var lastError: String? = nil
    }

    public let options: Options
    private let cond = NSCondition()
    private var released = false
    private var stopped = false
    private var claimed = 0
    private var running = 0
    private var counts = Counts()

    public init(options: Options) { self.options = options }

    /// Start the client threads; they wait for `go()`.
    public func start() {
        for _ in 0..<max(1, options.clients) {
            cond.lock(); running += 1; cond.unlock()
            let t = Thread { [self] in
                client()
                cond.lock(); running -= 1; cond.broadcast(); cond.unlock()
            }
            t.start()
        }
    }

    /// Let the clients start sending.
    public func go() {
        cond.lock(); released = true; cond.broadcast(); cond.unlock()
    }

    /// Ask the clients to stop after their current request, and wait up to `seconds` for them.
    public func stop(wait seconds: Double = 2) {
        cond.lock()
        stopped = true
        released = true
        cond.broadcast()
        let deadline = Date(timeIntervalSinceNow: seconds)
        while running > 0, cond.wait(until: deadline) {}
        cond.unlock()
    }

    public var snapshot: Counts { cond.lock(); defer { cond.unlock() }; return counts }

    // MARK: Clients

    /// Claim the right to issue one more request; false when all are issued or we stop.
    private func claim() -> Bool {
        cond.lock(); defer { cond.unlock() }
        while !released { cond.wait() }
        guard !stopped, claimed < options.requests else { return false }
        claimed += 1
        return true
    }

    private func record(ok: Bool, body: Int = 0, error: String? = nil) {
        cond.lock(); defer { cond.unlock() }
        if ok { counts.ok += 1; counts.bodyBytes += body } else {
            counts.errors += 1
            counts.lastError = error
            // a failed request is issued again, unless failures pile up
            if counts.errors <= options.requests { claimed -= 1 }
        }
    }

    private func client() {
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }
        let request = Array("GET \(options.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: nooks-emu-bench\r\n"
            .utf8) + Array((options.keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n").utf8)
        while claim() {
            if fd < 0 {
                fd = connectLoopback()
                guard fd >= 0 else {
                    record(ok: false, error: "connect: errno \(errno)")
                    usleep(10_000)
                    continue
                }
                cond.lock(); counts.connections += 1; cond.unlock()
            }
            let r = exchange(fd, request)
            switch r {
            case .ok(let body, let serverCloses):
                record(ok: true, body: body)
                if !options.keepAlive || serverCloses { close(fd); fd = -1 }
            case .failed(let why):
                record(ok: false, error: why)
                close(fd); fd = -1
            }
        }
    }

    private enum Exchange { case ok(body: Int, serverCloses: Bool), failed(String) }

    private func connectLoopback() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var tv = timeval(tv_sec: options.timeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = options.port.bigEndian
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let r = withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if r != 0 { close(fd); return -1 }
        return fd
    }

    /// Send one request and read one complete response (headers + Content-Length body).
    private func exchange(_ fd: Int32, _ request: [UInt8]) -> Exchange {
        var off = 0
        while off < request.count {
            let n = request[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return .failed("send: errno \(errno)") }
            off += n
        }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int? = nil
        var contentLength: Int? = nil
        var closes = false
        while true {
            if let h = headerEnd, let len = contentLength, data.count - h >= len {
                let status = String(decoding: data.prefix(12), as: UTF8.self)
                guard status.hasPrefix("HTTP/1.") && status.hasSuffix(" 200") else { return .failed("status '\(status)'") }
                return .ok(body: len, serverCloses: closes)
            }
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 8192, 0) }
            if n == 0 { return .failed("connection closed after \(data.count) bytes") }
            if n < 0 { return .failed("recv: errno \(errno)") }
            data.append(contentsOf: buf[0..<n])
            if headerEnd == nil, let e = HTTPLoad.find([13, 10, 13, 10], in: data) {
                headerEnd = e + 4
                let head = String(decoding: data[0..<e], as: UTF8.self).lowercased()
                for l in head.split(separator: "\r\n") {
                    if l.hasPrefix("content-length:") { contentLength = Int(l.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
                    if l.hasPrefix("connection:") && l.contains("close") { closes = true }
                }
                if contentLength == nil { return .failed("no Content-Length") }
            }
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }

    /// A loopback TCP port that was free a moment ago.
    public static func freeLoopbackPort() -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let b = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard b == 0 else { return nil }
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return UInt16(bigEndian: a.sin_port)
    }
}
