// Tests for the LAN peer's HTTP load generator (NetPeerHTTPClient) against a
// "server" built by hand from TCP segments (TCPRig, NetPeerTCPTests.swift):
// the handshake and the request, a response in several segments, keep-alive
// reuse, Connection: close, a malformed status line, an RST mid-response, a
// server that never answers; and the response parser on its own.

import Foundation
import Testing
@testable import Devices

/// A guest "server" on port 80 for the peer's HTTP clients.
final class HTTPServerRig {
    let rig: TCPRig
    static let serverISS: UInt32 = 0x7000_0000
    static let ms = TCPRig.ms

    init(_ load: PeerHTTPLoad) {
        rig = TCPRig(PeerTCPOptions(sinkPort: nil, http: load))
        rig.peer.send(Frames.arpRequest(for: .qemuHost))   // the guest introduces itself
        rig.out.removeAll()
    }

    var counters: PeerHTTPCounters { rig.peer.httpCounters ?? PeerHTTPCounters() }

    /// One client connection as the server sees it.
    struct Conn {
        var port: UInt16
        /// The client's next sequence number (after the data taken so far).
        var clientSeq: UInt32
        /// The server's next sequence number.
        var serverSeq: UInt32
    }

    /// Fires timers at `cycle` and accepts the one SYN that must come: SYN-ACK
    /// it; returns the connection and the request segment that follows.
    func accept(at cycle: UInt64, taken: [TCPSegment]? = nil) -> (Conn, TCPSegment?) {
        let syn: [TCPSegment]
        if let taken { syn = taken } else {
            rig.advance(to: cycle)
            syn = rig.take()
        }
        #expect(syn.count == 1 && syn.first?.flags == S && syn.first?.destinationPort == 80, "\(syn)")
        guard let s = syn.first else { return (Conn(port: 0, clientSeq: 0, serverSeq: 0), nil) }
        rig.send(80, s.sourcePort, seq: Self.serverISS, ack: s.seq &+ 1, flags: S | A, window: 16384, mss: 1460)
        let out = rig.take()
        #expect(out.count == 1 && out.first?.flags == A | P, "\(out)")
        let request = out.first
        let c = Conn(port: s.sourcePort, clientSeq: s.seq &+ 1 &+ UInt32(request?.payload.count ?? 0), serverSeq: Self.serverISS &+ 1)
        return (c, request)
    }

    /// The server ACKs the request and sends `data` (with FIN when `fin`); returns what the peer sent back.
    @discardableResult
    func respond(_ c: inout Conn, _ data: [UInt8], fin: Bool = false) -> [TCPSegment] {
        rig.send(80, c.port, seq: c.serverSeq, ack: c.clientSeq, flags: A | P | (fin ? F : 0), window: 16384, data: data)
        c.serverSeq &+= UInt32(data.count) &+ (fin ? 1 : 0)
        return rig.take()
    }

    static func response(status: String = "200 OK", body: String, close: Bool = true, extra: String = "") -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nServer: test\r\nContent-Length: \(body.utf8.count)\r\n\(extra)Connection: \(close ? "close" : "keep-alive")\r\n\r\n\(body)".utf8)
    }
}

@Suite struct NetPeerHTTPClientTests {
    typealias H = HTTPServerRig
    static let ms = TCPRig.ms

    @Test func connectsAndSendsTheRequestWithTheHandshakeACK() {
        let h = H(PeerHTTPLoad(path: "/index.html", connections: 1, requests: 1, startDelayCycles: Self.ms))
        #expect(h.rig.peer.nextTimerCycle == Self.ms)
        let (c, request) = h.accept(at: Self.ms)
        #expect(c.port == 32768)
        #expect(request?.payload == Array("GET /index.html HTTP/1.1\r\nHost: 10.0.2.15\r\nConnection: close\r\n\r\n".utf8))
        #expect(request?.ack == H.serverISS &+ 1)
        #expect(h.counters.connections == 1 && h.counters.requestsSent == 1 && !h.counters.done)
    }

    @Test func aResponseInSeveralSegmentsIsCountedAndTheServersCloseIsAnswered() {
        let h = H(PeerHTTPLoad(connections: 1, requests: 1))
        var (c, _) = h.accept(at: 0)
        let whole = H.response(body: String(repeating: "x", count: 100))
        let acks = [whole[0..<9], whole[9..<40], whole[40..<whole.count - 50]].map { h.respond(&c, Array($0)) }
        #expect(acks.allSatisfy { $0.count == 1 && $0[0].flags == A && $0[0].payload.isEmpty })
        #expect(h.counters.responses == 0)
        let last = h.respond(&c, Array(whole[(whole.count - 50)...]))
        #expect(h.counters.responses == 1 && h.counters.status2xx == 1 && h.counters.bodyBytes == 100 && h.counters.done)
        #expect(last.count == 1 && last[0].flags == A, "the client waits for the server's FIN (Connection: close)")
        let fin = h.respond(&c, [], fin: true)
        #expect(fin.last?.flags == F | A && fin.last?.ack == c.serverSeq)
        #expect(h.counters.errors == 0)
    }

    @Test func keepAliveReusesTheConnectionThenClosesIt() {
        let h = H(PeerHTTPLoad(connections: 1, requests: 2, keepAlive: true))
        var (c, first) = h.accept(at: 0)
        #expect(first.map { String(decoding: $0.payload, as: UTF8.self) } == "GET /index.html HTTP/1.1\r\nHost: 10.0.2.15\r\n\r\n")
        let out = h.respond(&c, H.response(body: "hello", close: false))
        #expect(out.count == 1 && out[0].payload == first?.payload && out[0].sourcePort == c.port, "the next request on the same connection")
        c.clientSeq &+= UInt32(first?.payload.count ?? 0)
        let end = h.respond(&c, H.response(body: "world", close: false))
        #expect(end.last?.flags == F | A, "no requests left: the client closes")
        #expect(h.counters.responses == 2 && h.counters.bodyBytes == 10 && h.counters.connections == 1 && h.counters.done)
    }

    @Test func connectionCloseStartsTheNextRequestOnANewConnection() {
        let h = H(PeerHTTPLoad(connections: 1, requests: 2))
        var (c, _) = h.accept(at: 0)
        h.respond(&c, H.response(body: "a"), fin: true)
        #expect(h.counters.responses == 1 && !h.counters.done)
        let (c2, request) = h.accept(at: Self.ms)
        #expect(c2.port == 32769 && request?.payload.isEmpty == false)
        var c3 = c2
        h.respond(&c3, H.response(status: "404 Not Found", body: "nope"), fin: true)
        #expect(h.counters.responses == 2 && h.counters.status2xx == 1 && h.counters.status4xx == 1 && h.counters.done)
        #expect(h.counters.connections == 2 && h.counters.errors == 0)
    }

    @Test func aMalformedStatusLineIsCountedAbortedAndRetried() {
        let h = H(PeerHTTPLoad(connections: 1, requests: 1, maxAttempts: 2))
        var (c, _) = h.accept(at: 0)
        let out = h.respond(&c, Array("HTTX/1.1 200 OK\r\n\r\n".utf8))
        #expect(out.contains { $0.flags & R != 0 })
        #expect(h.counters.malformed == 1 && h.counters.retries == 1 && h.counters.responses == 0)
        #expect(h.counters.lastError?.contains("malformed status line") == true)
        var (c2, _) = h.accept(at: Self.ms)
        h.respond(&c2, H.response(body: "ok"), fin: true)
        #expect(h.counters.responses == 1 && h.counters.done && h.counters.failed == 0)
    }

    @Test func anRSTMidResponseIsCountedAndRetried() {
        let h = H(PeerHTTPLoad(connections: 1, requests: 1, maxAttempts: 2))
        var (c, _) = h.accept(at: 0)
        h.respond(&c, Array(H.response(body: String(repeating: "y", count: 500)).prefix(100)))
        h.rig.send(80, c.port, seq: c.serverSeq, ack: c.clientSeq, flags: R | A, window: 0)
        #expect(h.counters.resets == 1 && h.counters.retries == 1)
        #expect(h.counters.lastError == "connection reset by the server mid-response")
        var (c2, _) = h.accept(at: Self.ms)
        #expect(c2.port != c.port)
        h.respond(&c2, H.response(body: "ok"), fin: true)
        #expect(h.counters.done && h.counters.responses == 1)
    }

    @Test func aServerThatNeverAnswersTimesOutAndTheRequestFailsAfterItsTries() {
        let timeout = 50 * Self.ms
        let h = H(PeerHTTPLoad(connections: 1, requests: 1, responseTimeoutCycles: timeout, maxAttempts: 2))
        var (c, _) = h.accept(at: 0)
        h.respond(&c, [])   // ACK the request, say nothing
        h.rig.advance(to: timeout - 1)
        #expect(h.counters.timeouts == 0)
        h.rig.advance(to: timeout)
        #expect(h.counters.timeouts == 1 && h.counters.retries == 1)
        let out = h.rig.take()
        #expect(out.count == 2 && out.first?.flags == R && out.first?.sourcePort == c.port, "RST, then the retry's SYN: \(out)")
        var (c2, _) = h.accept(at: timeout, taken: Array(out.dropFirst()))
        h.respond(&c2, [])
        h.rig.advance(to: 2 * timeout)
        #expect(h.counters.timeouts == 2 && h.counters.failed == 1 && h.counters.done && h.counters.responses == 0)
        #expect(h.rig.peer.nextTimerCycle == nil || h.rig.take().allSatisfy { $0.flags & S == 0 }, "no more requests")
    }

    @Test func concurrentClientsStartTogetherAndSnapshotsRestoreExactly() throws {
        let h = H(PeerHTTPLoad(connections: 3, requests: 5))
        h.rig.advance(to: 0)
        let syns = h.rig.take()
        #expect(syns.count == 3 && Set(syns.map(\.sourcePort)).count == 3)
        let snap = h.rig.peer.snapshot()
        let data = try JSONEncoder().encode(snap)
        let back = try JSONDecoder().decode(NetPeer.Snapshot.self, from: data)
        #expect(back == snap && back.tcp.http?.counters.requestsSent == 3)
    }
}

@Suite struct PeerHTTPResponseParserTests {
    func parse(_ chunks: [String]) -> PeerHTTPResponseParser {
        var p = PeerHTTPResponseParser()
        for c in chunks { p.feed(ArraySlice(Array(c.utf8))) }
        return p
    }

    @Test func readsAResponseSplitAnywhere() {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello"
        for cut in 0...text.utf8.count {
            let b = Array(text.utf8)
            var p = PeerHTTPResponseParser()
            p.feed(b[..<cut])
            p.feed(b[cut...])
            #expect(p.isComplete && p.status == 200 && p.bodyBytes == 5 && !p.serverCloses)
        }
    }

    @Test func interimAnswersNoBodyStatusesAndHTTP10() {
        let p = parse(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"])
        #expect(p.isComplete && p.status == 204 && p.bodyBytes == 0)
        let q = parse(["HTTP/1.0 200 OK\nContent-Length: 2\n\nok"])
        #expect(q.isComplete && q.serverCloses, "HTTP/1.0 without keep-alive closes; bare LF accepted")
    }

    @Test func withoutContentLengthTheBodyRunsToTheFIN() {
        var p = parse(["HTTP/1.1 200 OK\r\n\r\nabc", "def"])
        #expect(p.state == .untilClose && p.bodyBytes == 6 && p.serverCloses)
        #expect(p.endOfStream() && p.isComplete)
        var q = parse(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"])
        #expect(!q.endOfStream() && q.problem?.contains("7 bytes before the end") == true)
        var r = PeerHTTPResponseParser()
        #expect(!r.endOfStream() && r.problem == "the server closed without answering")
    }

    @Test("malformed responses", arguments: [
        "HTTP/2.0 200 OK\r\n", "HTTP/1.1 20 OK\r\n", "HTTP/1.1 999 Huh\r\n", "garbage\r\n", "\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n", "HTTP/1.1 200 OK\r\n folded: x\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n",
    ])
    func malformed(_ text: String) {
        let p = parse([text])
        #expect(p.state == .malformed && p.problem != nil, "\(text.debugDescription): \(p.state)")
    }

    @Test func hugeHeadersAreMalformedNotBuffered() {
        let long = parse(["HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 9000)])
        #expect(long.state == .malformed)
        let many = parse(["HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 101)])
        #expect(many.state == .malformed)
    }

    @Test func randomBytesNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var p = PeerHTTPResponseParser()
            let prefix = Bool.random(using: &rng) ? Array("HTTP/1.1 200 OK\r\n".utf8) : []
            p.feed(ArraySlice(prefix + (0..<Int.random(in: 0..<400, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }))
            p.endOfStream()
            #expect(p.state == .complete || p.state == .malformed)
        }
    }
}
