// NetPeerHTTPClient: an HTTP load generator in the LAN peer (10.0.2.2), so the
// web benchmark (workload=web, kHTTPd in the guest) runs without host sockets,
// in modeled time and deterministically.
//
// `PeerHTTPLoad(connections: C, requests: N, ...)` keeps C requests in flight
// until N have been answered or given up. Each runs on a client connection of
// the peer's TCP engine (NetPeerTCPConnection.swift, role httpClient) to
// 10.0.2.15:guestPort from port 32768 + k:
//
//   connect     SYN, retried every 100 ms while the guest answers RST or nothing
//               (as the source does; up to 600 attempts), ARP first if needed
//   request     "GET <path> HTTP/1.1\r\nHost: 10.0.2.15\r\n[Connection: close\r\n]\r\n",
//               sent with the handshake's ACK; the response is read by
//               PeerHTTPResponseParser (NetPeerHTTPResponse.swift)
//   response    counted by status class and body bytes when complete (the
//               Content-Length read, or the server's FIN without one); then:
//     keep-alive, the server keeps it, requests left: the next request on the
//               same connection
//     otherwise the next request starts on a new connection at once; this one
//               closes: FIN back when the server has closed (or closes within
//               the response timeout), else the peer closes first
//   errors      an RST, the response timeout (default 5 modeled seconds from
//               the request; the peer aborts with RST), the TCP engine's own
//               abort, a malformed response or a FIN before the response ended,
//               or no connection after 600 SYNs: counted by kind, and the
//               request is tried again on a new connection, up to `maxAttempts`
//               in all; then it counts as failed and the next one starts.
//
// `done` is set when every one of the N requests was answered or failed. All of
// it is plain Codable data in the peer's TCP snapshot.

/// The peer's HTTP load: who to ask, what, how often, how many at once.
public struct PeerHTTPLoad: Sendable, Equatable, Codable {
    /// The guest port (on 10.0.2.15).
    public var guestPort: UInt16
    /// The path requested ("/index.html").
    public var path: String
    /// Requests in flight at once (1...64).
    public var connections: Int
    /// Requests in total.
    public var requests: UInt64
    /// Persistent HTTP/1.1 connections; false: one connection per request ("Connection: close").
    public var keepAlive: Bool
    /// Modeled cycles from machine start before the first connection attempts.
    public var startDelayCycles: UInt64
    /// Modeled cycles a request may wait for its complete response; nil: 5 modeled seconds.
    public var responseTimeoutCycles: UInt64?
    /// Tries per request (first one included) before it counts as failed.
    public var maxAttempts: Int

    public static let maxConnections = 64

    public init(guestPort: UInt16 = 80, path: String = "/index.html", connections: Int = 4, requests: UInt64 = 100,
                keepAlive: Bool = false, startDelayCycles: UInt64 = 0, responseTimeoutCycles: UInt64? = nil, maxAttempts: Int = 3) {
        self.guestPort = guestPort
        self.path = path
        self.connections = connections
        self.requests = requests
        self.keepAlive = keepAlive
        self.startDelayCycles = startDelayCycles
        self.responseTimeoutCycles = responseTimeoutCycles
        self.maxAttempts = maxAttempts
    }

    /// The request's bytes.
    public var requestBytes: [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: \(PeerTCP.guestIP)\r\n\(keepAlive ? "" : "Connection: close\r\n")\r\n".utf8)
    }
}

/// What the peer's HTTP load generator has done, for reports and tests.
public struct PeerHTTPCounters: Sendable, Equatable, Codable {
    /// Requests sent (retries included).
    public var requestsSent: UInt64 = 0
    /// Responses read completely (any status).
    public var responses: UInt64 = 0
    public var status1xx: UInt64 = 0   // never final; kept for symmetry (a final 1xx is malformed)
    public var status2xx: UInt64 = 0
    public var status3xx: UInt64 = 0
    public var status4xx: UInt64 = 0
    public var status5xx: UInt64 = 0
    /// Body bytes of complete responses.
    public var bodyBytes: UInt64 = 0
    /// Connections that completed the handshake.
    public var connections: UInt64 = 0
    /// Requests ended by an RST from the server.
    public var resets: UInt64 = 0
    /// Requests that timed out (no complete response in time, or TCP gave up retransmitting).
    public var timeouts: UInt64 = 0
    /// Responses the parser could not read, or that the server's FIN cut short.
    public var malformed: UInt64 = 0
    /// Requests that never got a connection (every SYN refused or unanswered).
    public var connectFailures: UInt64 = 0
    /// Tries after an error.
    public var retries: UInt64 = 0
    /// Requests given up after `maxAttempts` errors.
    public var failed: UInt64 = 0
    /// Why the most recent error happened.
    public var lastError: String?
    /// Every request was answered or failed.
    public var done = false

    public init() {}

    /// Errors of every kind.
    public var errors: UInt64 { resets &+ timeouts &+ malformed &+ connectFailures }
}

/// The load generator's state beside the connections (part of the TCP snapshot).
struct PeerHTTPClientState: Equatable, Sendable, Codable {
    var load: PeerHTTPLoad
    var request: [UInt8]
    var timeout: UInt64
    /// Requests handed out so far (each counted once, not per try).
    var issued: UInt64 = 0
    /// Requests answered or failed.
    var finished: UInt64 = 0
    var counters = PeerHTTPCounters()
}

/// One client connection's HTTP side (in its PeerTCPConnection).
struct PeerHTTPExchange: Equatable, Sendable, Codable {
    enum Phase: String, Sendable, Codable {
        /// A request is out (or about to go out once connected); reading its response.
        case awaiting
        /// The response is complete; waiting for the server's FIN before ours.
        case lingering
        /// Done with it: closing (or closed), nothing more is counted.
        case closing
    }
    var phase = Phase.awaiting
    /// Which try of the current request this is (1...maxAttempts).
    var attempt: Int
    var parser = PeerHTTPResponseParser()
    /// When the current request or linger times out (modeled cycles).
    var deadline: UInt64?
    var connected = false
}

// MARK: The load's lifecycle, in the peer's TCP

extension PeerTCP {
    /// Starts the first `connections` requests (at init).
    mutating func startHTTP(_ load: PeerHTTPLoad) {
        let timeout = load.responseTimeoutCycles ?? timing.synRetry * 50
        http = PeerHTTPClientState(load: load, request: load.requestBytes, timeout: max(1, timeout))
        if load.requests == 0 { http?.counters.done = true }
        let first = min(UInt64(max(1, min(load.connections, PeerHTTPLoad.maxConnections))), load.requests)
        for _ in 0..<first {
            http!.issued += 1
            startHTTPConnection(at: load.startDelayCycles, attempt: 1)
        }
    }

    /// A new client connection whose first SYN goes out at `at`.
    private mutating func startHTTPConnection(at: UInt64, attempt: Int) {
        guard let h = http else { return }
        var c = PeerTCPConnection(role: .httpClient, localPort: 32768 &+ UInt16(truncatingIfNeeded: serial % 16384),
                                  remotePort: h.load.guestPort, remoteIP: Self.guestIP, remoteMAC: guestMAC,
                                  iss: iss(), sendTotal: UInt64(h.request.count), timing: timing)
        c.request = h.request
        c.http = PeerHTTPExchange(attempt: attempt)
        c.timer = at
        c.timerKind = .retransmit
        http!.counters.requestsSent &+= 1
        connections.append(c)
    }

    /// After connection `i` took a segment or a timer (`deadlineDue`: its HTTP
    /// deadline passed): count what its response did and decide what comes next.
    /// Segments it sends are added to `ev`.
    mutating func httpAfter(_ i: Int, now: UInt64, deadlineDue: Bool, events ev: inout PeerTCPConnection.Events) {
        guard http != nil, var x = connections[i].http else { return }
        if ev.established {
            x.connected = true
            http!.counters.connections &+= 1
            x.deadline = now &+ http!.timeout
        }
        connections[i].http = x
        switch x.phase {
        case .closing:
            connections[i].http?.deadline = nil
        case .lingering:
            if connections[i].finReceived || deadlineDue {
                connections[i].http?.phase = .closing
                connections[i].http?.deadline = nil
                close(i, now: now, events: &ev)
            }
        case .awaiting:
            httpAwaiting(i, now: now, deadlineDue: deadlineDue, events: &ev)
        }
    }

    private mutating func httpAwaiting(_ i: Int, now: UInt64, deadlineDue: Bool, events ev: inout PeerTCPConnection.Events) {
        let c = connections[i]
        guard var x = c.http else { return }
        if c.state == .closed {
            if !x.connected {
                httpError(i, \.connectFailures, "no connection to port \(c.remotePort) after \(c.synAttempts - 1) SYNs", now: now)
            } else if ev.resets > 0 {
                httpError(i, \.timeouts, "the peer's TCP gave up retransmitting", now: now)
            } else {
                httpError(i, \.resets, "connection reset by the server" + (x.parser.started ? " mid-response" : ""), now: now)
            }
            return
        }
        if c.finReceived, !x.parser.isComplete { x.parser.endOfStream() }
        connections[i].http = x
        if x.parser.state == .malformed {
            abort(i, events: &ev)
            httpError(i, \.malformed, x.parser.problem ?? "malformed response", now: now)
            return
        }
        if x.parser.isComplete {
            responseComplete(i, now: now, events: &ev)
            return
        }
        if deadlineDue {
            abort(i, events: &ev)
            httpError(i, \.timeouts, "no complete response within \(http!.timeout) cycles", now: now)
            return
        }
    }

    /// The current request's response is complete: count it; reuse the connection or close it.
    private mutating func responseComplete(_ i: Int, now: UInt64, events ev: inout PeerTCPConnection.Events) {
        guard let x = connections[i].http else { return }
        let p = x.parser
        http!.counters.responses &+= 1
        http!.counters.bodyBytes &+= p.bodyBytes
        switch p.status {
        case 100..<200: http!.counters.status1xx &+= 1
        case 200..<300: http!.counters.status2xx &+= 1
        case 300..<400: http!.counters.status3xx &+= 1
        case 400..<500: http!.counters.status4xx &+= 1
        default: http!.counters.status5xx &+= 1
        }
        requestFinished()
        let c = connections[i]
        let load = http!.load
        if load.keepAlive, !p.serverCloses, !c.finReceived, http!.issued < load.requests {
            http!.issued += 1
            http!.counters.requestsSent &+= 1
            connections[i].http = PeerHTTPExchange(attempt: 1, deadline: now &+ http!.timeout, connected: true)
            connections[i].sendTotal &+= UInt64(http!.request.count)
            connections[i].output(now: now, timing: timing, events: &ev)
            return
        }
        if c.finReceived || (load.keepAlive && !p.serverCloses) {
            connections[i].http?.phase = .closing
            connections[i].http?.deadline = nil
            close(i, now: now, events: &ev)
        } else {
            connections[i].http?.phase = .lingering   // the server closes first: no TIME_WAIT here
            connections[i].http?.deadline = now &+ http!.timeout
        }
        startNext(now: now)
    }

    /// An error ended try `attempt` of the request on connection `i` (already closed or aborted).
    private mutating func httpError(_ i: Int, _ kind: WritableKeyPath<PeerHTTPCounters, UInt64>, _ why: String, now: UInt64) {
        guard let x = connections[i].http else { return }
        connections[i].http?.phase = .closing
        connections[i].http?.deadline = nil
        http!.counters[keyPath: kind] &+= 1
        http!.counters.lastError = why
        if x.attempt < http!.load.maxAttempts {
            http!.counters.retries &+= 1
            startHTTPConnection(at: now, attempt: x.attempt + 1)
        } else {
            http!.counters.failed &+= 1
            requestFinished()
            startNext(now: now)
        }
    }

    private mutating func requestFinished() {
        http!.finished += 1
        if http!.finished >= http!.load.requests { http!.counters.done = true }
    }

    /// The next request on a new connection, if any are left.
    private mutating func startNext(now: UInt64) {
        guard http!.issued < http!.load.requests else { return }
        http!.issued += 1
        startHTTPConnection(at: now, attempt: 1)
    }

    /// Our FIN, once the request's bytes are acknowledged.
    private mutating func close(_ i: Int, now: UInt64, events ev: inout PeerTCPConnection.Events) {
        guard !connections[i].finQueued, connections[i].state != .closed else { return }
        connections[i].finQueued = true
        connections[i].output(now: now, timing: timing, events: &ev)
    }

    /// RST and forget.
    private mutating func abort(_ i: Int, events ev: inout PeerTCPConnection.Events) {
        guard connections[i].state != .closed else { return }
        let a = connections[i].abort()
        ev.resets &+= a.resets
        ev.segments += a.segments
    }
}

extension NetPeer {
    /// What the peer's HTTP load generator has done (nil: no load configured).
    public var httpCounters: PeerHTTPCounters? { tcp.http?.counters }
}
