// NetPeerTCP: TCP endpoints in the in-emulator LAN peer (10.0.2.2), so the
// guest's network stream benchmarks (workload=netstream mode=tcpsend/tcprecv)
// run without a host socket and deterministically.
//
//   sink    a discard server on `sinkPort` (default 5001): answers SYN with
//           SYN-ACK (MSS 1460, window 65535, no window scaling, SACK or
//           timestamps), ACKs EVERY segment (no delayed ACKs), takes in-order
//           data only (out-of-order data is dropped and re-ACKed, so the
//           guest's fast retransmit sees duplicate ACKs), checks every byte
//           against the stream pattern (k * 7 + 3) & 255 at its stream offset,
//           answers the guest's FIN with one FIN+ACK, and retransmits its
//           SYN-ACK or FIN on a timeout.
//   source  with `PeerTCPSource(guestPort, bytes, startDelayCycles)`: from the
//           start delay on, connects to 10.0.2.15:guestPort (asking ARP for the
//           guest's MAC first if it has not heard from it), retrying the SYN
//           every 100 ms of modeled time while the guest answers RST or nothing
//           (up to 600 attempts = 60 s); sends the pattern within the guest's
//           advertised window and MSS, with slow start and congestion avoidance
//           (Reno without fast-recovery window inflation); on 3 duplicate ACKs
//           or a retransmission timeout it goes back to the first unacknowledged
//           byte and sends again (go-back-N: the guest keeps no out-of-order
//           data); a zero window is probed with one byte on the persist timer;
//           it sends FIN once the last byte is acknowledged.
//   http    with `PeerHTTPLoad`: client connections to the guest's web server
//           that carry GET requests and read the responses (NetPeerHTTPClient.swift;
//           connect and close as the source does)
//   other   a segment for a port nobody listens on gets RST (RST|ACK for a
//           segment without ACK), as a real host answers; RSTs get nothing.
//
// Timers run on modeled time only: the RTO starts at 200 ms, doubles on each
// timeout up to 6.4 s and resets on new data acknowledged (no RTT estimation);
// 12 timeouts in a row abort the connection with RST; TIME_WAIT lasts 500 ms.
// The machine asks `NetPeer.nextTimerCycle` for its next device event and calls
// `NetPeer.advance(to:)` when it is due. The whole TCP state is plain Codable
// data inside the peer's snapshot, so a restored machine continues a transfer
// exactly.

/// A source: the peer connects to the guest and sends it a stream.
public struct PeerTCPSource: Sendable, Equatable, Codable {
    /// The guest port to connect to (on 10.0.2.15).
    public var guestPort: UInt16
    /// How many bytes of the pattern to send (at most 2^62; more are sent as 2^62).
    public var bytes: UInt64
    /// Modeled cycles from machine start before the first connection attempt.
    public var startDelayCycles: UInt64

    public init(guestPort: UInt16, bytes: UInt64, startDelayCycles: UInt64 = 0) {
        self.guestPort = guestPort
        self.bytes = bytes
        self.startDelayCycles = startDelayCycles
    }
}

/// What TCP the peer offers.
public struct PeerTCPOptions: Sendable, Equatable, Codable {
    /// The discard server's port; nil: no sink.
    public var sinkPort: UInt16? = 5001
    /// A stream the peer sends to the guest; nil: none.
    public var source: PeerTCPSource? = nil
    /// An HTTP load the peer puts on the guest's web server (NetPeerHTTPClient.swift); nil: none.
    public var http: PeerHTTPLoad? = nil
    /// The wire's rate in bits per second, each direction (LinkModel.swift);
    /// nil: unlimited (frames take only the machine's latency).
    public var linkBitsPerSecond: UInt64? = nil

    public init(sinkPort: UInt16? = 5001, source: PeerTCPSource? = nil, http: PeerHTTPLoad? = nil,
                linkBitsPerSecond: UInt64? = nil) {
        self.sinkPort = sinkPort
        self.source = source
        self.http = http
        self.linkBitsPerSecond = linkBitsPerSecond
    }
}

/// What the peer's TCP has done, for reports and tests.
public struct PeerTCPCounters: Sendable, Equatable, Codable {
    /// Sink connections that completed the handshake.
    public var connectionsAccepted: UInt64 = 0
    /// Source connections that completed the handshake.
    public var connectionsMade: UInt64 = 0
    /// In-order data bytes the sink took (each byte counted once).
    public var sinkBytes: UInt64 = 0
    /// Bytes the sink took that differ from the pattern at their stream offset.
    public var patternErrors: UInt64 = 0
    /// Source data bytes the guest acknowledged.
    public var sourceBytesAcked: UInt64 = 0
    /// Segments sent again: data, SYN, SYN-ACK, FIN (a zero-window probe is not
    /// counted; the segment that later carries the probe's byte again is).
    public var retransmits: UInt64 = 0
    /// RST segments the peer sent.
    public var resetsSent: UInt64 = 0
    /// TCP segments dropped as malformed (length, offset, options, checksum, flags).
    public var malformed: UInt64 = 0
    /// The source sent every byte and its FIN, and all were acknowledged.
    public var sourceDone = false
    /// A sink connection received the end of its stream (FIN in order).
    public var sinkClosed = false

    public init() {}
}

/// Timer lengths in modeled cycles (see the file comment).
struct PeerTCPTiming: Equatable, Sendable, Codable {
    var rtoInitial: UInt64
    var rtoMax: UInt64
    var synRetry: UInt64
    var timeWait: UInt64
    var maxRetries = 12
    var maxSynAttempts = 600

    init(cyclesPerSecond cps: UInt64) {
        let c = max(cps, 10)
        rtoInitial = c / 5
        rtoMax = c / 5 * 32
        synRetry = c / 10
        timeWait = c / 2
    }
}

/// The peer's TCP: every connection and the counters, sans-IO (segments in
/// with the time, segments out). Plain data: it is the peer's TCP snapshot.
public struct PeerTCP: Equatable, Sendable, Codable {
    public private(set) var options: PeerTCPOptions
    public internal(set) var counters = PeerTCPCounters()
    var timing: PeerTCPTiming
    /// Live connections, oldest first (an array: iteration order is deterministic).
    var connections: [PeerTCPConnection] = []
    /// Connections ever created (seeds each one's ISS and the source's port).
    var serial: UInt32 = 0
    /// The guest's MAC once heard (ARP or TCP), for segments the source starts.
    var guestMAC: MACAddress?
    /// The HTTP load generator, if configured.
    var http: PeerHTTPClientState?

    /// The address the source connects to.
    static let guestIP = IPv4Address.qemuGuest
    /// Connections beyond this many are refused with RST.
    static let maxConnections = 64

    /// Something for the wire: a segment to a host, or an ARP request.
    enum Output: Equatable {
        case segment(TCPSegment, ip: IPv4Address, mac: MACAddress)
        case arpRequest(IPv4Address)
    }

    public init(options: PeerTCPOptions = PeerTCPOptions(), cyclesPerSecond: UInt64 = 1_000_000_000) {
        self.options = options
        timing = PeerTCPTiming(cyclesPerSecond: cyclesPerSecond)
        if let source = options.source { startSource(source) }
        if let load = options.http { startHTTP(load) }
    }

    private mutating func startSource(_ source: PeerTCPSource) {
        var c = PeerTCPConnection(role: .source, localPort: 32768 &+ UInt16(truncatingIfNeeded: serial % 16384),
                                  remotePort: source.guestPort, remoteIP: Self.guestIP, remoteMAC: guestMAC,
                                  iss: iss(), sendTotal: source.bytes, timing: timing)
        c.finQueued = true
        c.timer = source.startDelayCycles
        c.timerKind = .retransmit
        connections.append(c)
    }

    /// A deterministic initial sequence number, different per connection.
    mutating func iss() -> UInt32 {
        serial &+= 1
        return 0x5045_0000 &+ serial &* 0x0100_0000 &+ serial &* 0x1234
    }

    /// The earliest connection timer, if any.
    var nextTimer: UInt64? {
        var next: UInt64?
        for c in connections {
            if let t = c.timer, t < next ?? .max { next = t }
            if let t = c.http?.deadline, t < next ?? .max { next = t }
        }
        return next
    }

    /// Remember the guest's hardware address (from its ARP or IP frames).
    mutating func learn(ip: IPv4Address, mac: MACAddress) {
        guard ip == Self.guestIP, !mac.isMulticast else { return }
        guestMAC = mac
        for i in connections.indices where connections[i].remoteIP == ip { connections[i].remoteMAC = mac }
    }

    // MARK: Input

    /// One validated segment from `ip` (whose frame came from `mac`) at time `now`.
    mutating func receive(_ s: TCPSegment, from ip: IPv4Address, mac: MACAddress, now: UInt64) -> [Output] {
        learn(ip: ip, mac: mac)
        if let i = connectionIndex(for: s, from: ip) {
            if connections[i].state == .timeWait, isNewSinkSYN(s) {
                connections.remove(at: i)   // a new incarnation of the same ports
            } else {
                connections[i].remoteMAC = mac
                var ev = connections[i].input(s, now: now, timing: timing)
                if connections[i].role == .httpClient { httpAfter(i, now: now, deadlineDue: false, events: &ev) }
                ev.dropSupersededACKs()
                return finish(i, ev)
            }
        }
        if isNewSinkSYN(s), connections.count < Self.maxConnections {
            return accept(s, from: ip, mac: mac, now: now)
        }
        guard let rst = reset(for: s) else { return [] }
        counters.resetsSent &+= 1
        return [.segment(rst, ip: ip, mac: mac)]
    }

    private func connectionIndex(for s: TCPSegment, from ip: IPv4Address) -> Int? {
        connections.firstIndex {
            $0.state != .closed && $0.remoteIP == ip && $0.remotePort == s.sourcePort && $0.localPort == s.destinationPort
        }
    }

    private func isNewSinkSYN(_ s: TCPSegment) -> Bool {
        options.sinkPort == s.destinationPort && s.has(TCPFlags.syn) && !s.has(TCPFlags.ack) && !s.has(TCPFlags.rst)
    }

    /// A SYN for the sink: a new connection answered with SYN-ACK.
    private mutating func accept(_ s: TCPSegment, from ip: IPv4Address, mac: MACAddress, now: UInt64) -> [Output] {
        var c = PeerTCPConnection(role: .sink, localPort: s.destinationPort, remotePort: s.sourcePort, remoteIP: ip,
                                  remoteMAC: mac, iss: iss(), sendTotal: 0, timing: timing)
        c.irs = s.seq
        c.rcvNxt = s.seq &+ 1
        c.sndWnd = UInt64(s.window)
        c.mss = UInt64(min(PeerTCPConnection.advertisedMSS, max(64, s.mss ?? 536)))
        var ev = PeerTCPConnection.Events()
        c.output(now: now, timing: timing, events: &ev)
        connections.append(c)
        return finish(connections.count - 1, ev)
    }

    /// The RST a host answers a segment for no connection with (none for a RST).
    func reset(for s: TCPSegment) -> TCPSegment? {
        guard !s.has(TCPFlags.rst) else { return nil }
        if s.has(TCPFlags.ack) {
            return TCPSegment(sourcePort: s.destinationPort, destinationPort: s.sourcePort, seq: s.ack, ack: 0,
                              flags: TCPFlags.rst, window: 0)
        }
        return TCPSegment(sourcePort: s.destinationPort, destinationPort: s.sourcePort, seq: 0,
                          ack: s.seq &+ s.sequenceLength, flags: TCPFlags.rst | TCPFlags.ack, window: 0)
    }

    // MARK: Timers

    /// Fires every connection timer due at or before `now`.
    mutating func fire(now: UInt64) -> [Output] {
        var out: [Output] = []
        var i = 0
        while i < connections.count {
            let tcpDue = connections[i].timer.map { $0 <= now } ?? false
            let httpDue = connections[i].http?.deadline.map { $0 <= now } ?? false
            guard tcpDue || httpDue else { i += 1; continue }
            var ev = PeerTCPConnection.Events()
            if tcpDue { ev = connections[i].fire(now: now, timing: timing) }
            let c = connections[i]
            if tcpDue, c.state == .synSent, c.remoteMAC == nil, c.timer != nil { out.append(.arpRequest(c.remoteIP)) }
            if c.role == .httpClient { httpAfter(i, now: now, deadlineDue: httpDue, events: &ev) }
            ev.dropSupersededACKs()
            let before = connections.count
            out += finish(i, ev)
            if connections.count == before { i += 1 }
        }
        return out
    }

    // MARK: Bookkeeping

    /// Counts what connection `i` did, turns its segments into outputs, and
    /// forgets it if it closed.
    private mutating func finish(_ i: Int, _ ev: PeerTCPConnection.Events) -> [Output] {
        let c = connections[i]
        let sink = c.role == .sink, source = c.role == .source
        counters.retransmits &+= ev.retransmits
        counters.resetsSent &+= ev.resets
        counters.patternErrors &+= ev.patternErrors
        if sink { counters.sinkBytes &+= ev.bytesReceived }
        if source { counters.sourceBytesAcked &+= ev.bytesAcked }
        if ev.established {
            if sink { counters.connectionsAccepted &+= 1 }
            if source { counters.connectionsMade &+= 1 }
        }
        if ev.finReceived, sink { counters.sinkClosed = true }
        if ev.sendDone, source { counters.sourceDone = true }
        if c.state == .closed { connections.remove(at: i) }
        guard let mac = c.remoteMAC else { return [] }
        return ev.segments.map { .segment($0, ip: c.remoteIP, mac: mac) }
    }
}

// MARK: The peer's side

extension NetPeer {
    /// What the peer's TCP has done.
    public var tcpCounters: PeerTCPCounters { tcp.counters }

    /// The modeled cycle of the peer's next event: a TCP timer or, with a
    /// link rate, a guest frame coming off the wire.
    public var nextTimerCycle: UInt64? {
        guard let arrival = link?.nextArrivalCycle else { return tcp.nextTimer }
        return min(arrival, tcp.nextTimer ?? .max)
    }

    /// Takes in the guest frames that came off the wire and fires the TCP
    /// timers due by `cycle` (the machine's clock), in time order; frames go
    /// out through `reply` (or `replyAt`).
    public func advance(to cycle: UInt64) {
        guard link != nil else {
            guard let t = tcp.nextTimer, t <= cycle else { return }
            emit(tcp.fire(now: cycle))
            timerMayHaveMoved()
            return
        }
        defer { handlingAt = nil }
        while true {
            let timer = tcp.nextTimer.flatMap { $0 <= cycle ? $0 : nil }
            if let arrival = link?.nextArrivalCycle, arrival <= cycle, arrival <= timer ?? .max,
               let f = link?.takeArrival(upTo: cycle) {
                handlingAt = f.doneCycle
                take(f.frame)
                continue
            }
            guard let t = timer else { break }
            handlingAt = t
            emit(tcp.fire(now: t))
        }
        handlingAt = nil
        timerMayHaveMoved()
    }

    /// A TCP segment for the peer's address: the answers to it (possibly none).
    func answerTCP(_ p: [UInt8], to dst: MACAddress, source: IPv4Address) throws -> [[UInt8]] {
        let segment: TCPSegment
        do { segment = try TCPSegment.parse(p, source: source, destination: ip) } catch {
            tcp.counters.malformed &+= 1
            throw Malformed(error.reason)
        }
        return frames(tcp.receive(segment, from: source, mac: dst, now: now))
    }

    func emit(_ outputs: [PeerTCP.Output]) {
        for f in frames(outputs) { transmit(f) }
    }

    /// A frame from the peer to the guest: straight to `reply`, or with a link
    /// rate onto the wire and to `replyAt` with the cycle it is done.
    func transmit(_ frame: [UInt8]) {
        guard link != nil else { reply?(frame); return }
        let done = link!.sendToGuest(frameBytes: frame.count, at: now)
        if let replyAt { replyAt(frame, done) } else { reply?(frame) }
    }

    func frames(_ outputs: [PeerTCP.Output]) -> [[UInt8]] {
        outputs.map { o in
            switch o {
            case let .segment(s, ip: dstIP, mac: dstMAC):
                return ipv4Frame(to: dstMAC, destination: dstIP, proto: 6, payload: s.encode(source: ip, destination: dstIP))
            case let .arpRequest(target):
                return arpRequest(for: target)
            }
        }
    }

    /// A broadcast ARP request for `target` (padded to 64 bytes like the peer's replies).
    func arpRequest(for target: IPv4Address) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: 64)
        r.replaceSubrange(0..<6, with: MACAddress.broadcast.bytes)
        r.replaceSubrange(6..<12, with: mac.bytes)
        r.replaceSubrange(12..<22, with: [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01])
        r.replaceSubrange(22..<28, with: mac.bytes)
        r.replaceSubrange(28..<32, with: ip.bytes)
        r.replaceSubrange(38..<42, with: target.bytes)
        return r
    }

    /// Tell the machine about the (possibly earlier) next timer.
    func timerMayHaveMoved() {
        if let t = tcp.nextTimer { onTimerScheduled?(t) }
    }
}
