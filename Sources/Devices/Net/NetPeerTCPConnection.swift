// NetPeerTCPConnection: one TCP connection of the LAN peer (see NetPeerTCP.swift
// for the whole design) — the RFC 793 state machine for both of the peer's
// roles: a sink (passive open, discards and checks what it receives, closes when
// the guest closes), a source (active open, sends `sendTotal` bytes of the
// stream pattern, then closes) and an HTTP client (active open, its send stream
// is its request repeated, what it receives goes to the response parser; its
// requests and close are decided in NetPeerHTTPClient.swift). Sans-IO and clock-free: every entry point takes
// the modeled time `now` (cycles) and returns the segments to send.
//
// The send side counts in 64-bit positions from the ISS, so byte counts never
// wrap: position 0 is the SYN, 1...sendTotal are the data bytes (stream offset
// = position - 1), sendTotal + 1 is the FIN. Wire sequence = iss + position.
//
//   sndUna ≤ sndNxt ≤ sndMax        acknowledged / next to send / highest sent
//   usable window = min(peer window, cwnd) - (sndNxt - sndUna)

/// One connection's state (plain data, part of the peer's snapshot).
struct PeerTCPConnection: Equatable, Sendable, Codable {
    enum Role: String, Sendable, Codable { case sink, source, httpClient }
    enum State: String, Sendable, Codable {
        case synSent, synReceived, established, finWait1, finWait2, closing, timeWait, closeWait, lastAck, closed
    }
    enum TimerKind: String, Sendable, Codable { case retransmit, persist, timeWait }

    var role: Role
    var state: State
    var localPort: UInt16
    var remotePort: UInt16
    var remoteIP: IPv4Address
    var remoteMAC: MACAddress?

    // Send side (positions, see the file comment).
    var iss: UInt32
    var sendTotal: UInt64
    var sndUna: UInt64 = 0
    var sndNxt: UInt64 = 0
    var sndMax: UInt64 = 0
    var sndWnd: UInt64 = 1
    var mss: UInt64 = 536
    var cwnd: UInt64
    var ssthresh: UInt64 = 65535
    var dupAcks = 0
    /// sndMax when the last loss recovery started; no new fast retransmit below it.
    var recover: UInt64 = 0
    var finQueued = false

    // Receive side.
    var irs: UInt32 = 0
    var rcvNxt: UInt32 = 0
    /// In-order data bytes received (the next byte's stream offset).
    var received: UInt64 = 0
    var finReceived = false

    // HTTP client (NetPeerHTTPClient.swift): the request its send stream repeats,
    // and the state of the current exchange.
    var request: [UInt8] = []
    var http: PeerHTTPExchange?

    // Timers (modeled cycles).
    var timer: UInt64?
    var timerKind: TimerKind = .retransmit
    var rto: UInt64
    var retries = 0
    /// SYNs sent by a source so far (it retries on RST or silence).
    var synAttempts = 0

    /// What one input or timer produced, beyond the segments.
    struct Events: Equatable {
        var bytesReceived: UInt64 = 0
        var patternErrors: UInt64 = 0
        var bytesAcked: UInt64 = 0
        var retransmits: UInt64 = 0
        var resets: UInt64 = 0
        var established = false
        var finReceived = false
        var sendDone = false
        var segments: [TCPSegment] = []

        /// A bare ACK followed by another segment of the same connection (which
        /// acknowledges as much) is not sent: the HTTP client's next request or
        /// FIN carries it.
        mutating func dropSupersededACKs() {
            guard segments.count > 1 else { return }
            var kept: [TCPSegment] = []
            for (k, s) in segments.enumerated() {
                let bare = s.flags == TCPFlags.ack && s.payload.isEmpty
                if bare, k + 1 < segments.count, segments[k + 1].flags & TCPFlags.ack != 0,
                   segments[k + 1].ack == s.ack, segments[k + 1].sourcePort == s.sourcePort { continue }
                kept.append(s)
            }
            segments = kept
        }
    }

    /// The window the peer advertises: it consumes everything at once.
    static let receiveWindow: UInt16 = 65535
    static let advertisedMSS: UInt16 = 1460

    init(role: Role, localPort: UInt16, remotePort: UInt16, remoteIP: IPv4Address, remoteMAC: MACAddress?,
         iss: UInt32, sendTotal: UInt64, timing: PeerTCPTiming) {
        self.role = role
        state = role == .sink ? .synReceived : .synSent
        self.localPort = localPort
        self.remotePort = remotePort
        self.remoteIP = remoteIP
        self.remoteMAC = remoteMAC
        self.iss = iss
        self.sendTotal = min(sendTotal, 1 << 62)   // positions never wrap
        cwnd = 2 * 1460
        rto = timing.rtoInitial
    }

    var finPosition: UInt64 { sendTotal &+ 1 }
    func seq(_ position: UInt64) -> UInt32 { iss &+ UInt32(truncatingIfNeeded: position) }
    var isSynchronized: Bool { state != .synSent && state != .synReceived }
    /// Our FIN has been acknowledged.
    var finAcked: Bool { finQueued && sndUna > finPosition }
    /// Data bytes not yet sent for the first time.
    var dataRemaining: Bool { sndNxt <= sendTotal && sndNxt >= 1 }
}

// MARK: Output

extension PeerTCPConnection {
    /// Sends what the state, the windows and the data allow: SYN (or SYN-ACK),
    /// data segments, the FIN; then arms the retransmission or persist timer.
    mutating func output(now: UInt64, timing: PeerTCPTiming, events: inout Events) {
        switch state {
        case .synSent, .synReceived:
            if sndNxt == 0 { emitSYN(events: &events) }
        case .established, .closeWait, .finWait1, .closing, .lastAck:
            emitData(events: &events)
        case .finWait2, .timeWait, .closed:
            break
        }
        arm(now: now, timing: timing)
    }

    mutating func emitSYN(events: inout Events) {
        let flags = state == .synSent ? TCPFlags.syn : TCPFlags.syn | TCPFlags.ack
        if sndMax > 0 { events.retransmits &+= 1 }
        events.segments.append(segment(at: 0, flags: flags, ack: state == .synSent ? 0 : rcvNxt, mss: Self.advertisedMSS))
        sndNxt = 1
        sndMax = max(sndMax, 1)
    }

    /// Data within the usable window (no silly small segments while others are in
    /// flight), then the FIN once every byte has been sent.
    private mutating func emitData(events: inout Events) {
        while dataRemaining {
            let inflight = sndNxt - sndUna
            let window = min(sndWnd, cwnd)
            let usable = window > inflight ? window - inflight : 0
            let full = min(mss, finPosition - sndNxt)
            let n = min(full, usable)
            guard n > 0, n == full || inflight == 0 else { break }
            emitDataSegment(from: sndNxt, count: n, events: &events)
            sndNxt += n
        }
        if finQueued, sndNxt == finPosition, sndUna == finPosition {   // FIN once every byte is acknowledged
            if sndMax > finPosition { events.retransmits &+= 1 }
            events.segments.append(segment(at: finPosition, flags: TCPFlags.fin | TCPFlags.ack, ack: rcvNxt))
            sndNxt = finPosition + 1
            if state == .established { state = .finWait1 }
            if state == .closeWait { state = .lastAck }
        }
        sndMax = max(sndMax, sndNxt)
    }

    private func emitDataSegment(from position: UInt64, count n: UInt64, probe: Bool = false, events: inout Events) {
        if position < sndMax, !probe { events.retransmits &+= 1 }
        let offset = position - 1
        let payload: [UInt8]
        if role == .httpClient, !request.isEmpty {
            let len = UInt64(request.count)
            payload = (0..<n).map { request[Int((offset &+ $0) % len)] }
        } else {
            payload = (0..<n).map { streamPatternByte(offset &+ $0) }
        }
        events.segments.append(segment(at: position, flags: TCPFlags.ack | TCPFlags.psh, ack: rcvNxt, payload: payload))
    }

    func segment(at position: UInt64, flags: UInt8, ack: UInt32, mss: UInt16? = nil, payload: [UInt8] = []) -> TCPSegment {
        TCPSegment(sourcePort: localPort, destinationPort: remotePort, seq: seq(position), ack: ack, flags: flags,
                   window: Self.receiveWindow, mss: mss, payload: payload)
    }

    /// A bare ACK of everything received so far.
    func pureACK() -> TCPSegment { segment(at: sndNxt, flags: TCPFlags.ack, ack: rcvNxt) }

    /// Retransmission timer while anything is in flight, persist timer while
    /// data waits for a zero window, none otherwise. A running timer keeps its deadline.
    mutating func arm(now: UInt64, timing: PeerTCPTiming) {
        if state == .timeWait || state == .closed { return }
        if state == .synSent { return }    // the source's SYN retry timer is the peer's
        let kind: TimerKind? = sndNxt > sndUna ? .retransmit : (dataRemaining && sndWnd == 0 ? .persist : nil)
        guard let kind else { timer = nil; return }
        if timer == nil || timerKind != kind {
            timer = now &+ rto
            timerKind = kind
        }
    }
}

// MARK: Input

extension PeerTCPConnection {
    /// One segment for this connection (the 4-tuple matched).
    mutating func input(_ s: TCPSegment, now: UInt64, timing: PeerTCPTiming) -> Events {
        var ev = Events()
        if state == .synSent {
            inputSynSent(s, now: now, timing: timing, events: &ev)
            return ev
        }
        if state == .synReceived, s.has(TCPFlags.syn), !s.has(TCPFlags.ack), s.seq == irs {
            sndNxt = 0   // the guest sent its SYN again: our SYN-ACK was lost
            output(now: now, timing: timing, events: &ev)
            return ev
        }
        guard acceptable(s) else {
            if !s.has(TCPFlags.rst) { ev.segments.append(pureACK()) }
            return ev
        }
        if s.has(TCPFlags.rst) {
            state = .closed
            timer = nil
            return ev
        }
        if s.has(TCPFlags.syn) {
            inputSynInWindow(s, now: now, timing: timing, events: &ev)
            return ev
        }
        guard s.has(TCPFlags.ack) else { return ev }
        guard processACK(s, now: now, timing: timing, events: &ev) else { return ev }
        advanceOnFINAcked(now: now, timing: timing, events: &ev)
        if state == .closed { return ev }
        let dataACK = inputData(s, events: &ev)
        let finACK = inputFIN(s, now: now, timing: timing, events: &ev)
        let needACK = dataACK || finACK
        let before = ev.segments.count
        output(now: now, timing: timing, events: &ev)
        if needACK, ev.segments.count == before { ev.segments.append(pureACK()) }
        return ev
    }

    /// RFC 793's acceptability test against our (constant) receive window.
    func acceptable(_ s: TCPSegment) -> Bool {
        let window = UInt32(Self.receiveWindow)
        let offset = s.seq &- rcvNxt
        let inWindow = offset < window
        let length = s.sequenceLength
        if length == 0 { return inWindow }
        let last = s.seq &+ length &- 1
        return inWindow || (last &- rcvNxt) < window
    }

    private mutating func inputSynSent(_ s: TCPSegment, now: UInt64, timing: PeerTCPTiming, events ev: inout Events) {
        if s.has(TCPFlags.ack), s.ack != seq(1) {
            if !s.has(TCPFlags.rst) {
                ev.resets &+= 1
                ev.segments.append(TCPSegment(sourcePort: localPort, destinationPort: remotePort, seq: s.ack, ack: 0,
                                              flags: TCPFlags.rst, window: 0))
            }
            return
        }
        if s.has(TCPFlags.rst) {
            if s.has(TCPFlags.ack) { sndNxt = 0 }   // refused: the next retry sends the SYN again
            return
        }
        guard s.has(TCPFlags.syn), s.has(TCPFlags.ack) else { return }
        irs = s.seq
        rcvNxt = s.seq &+ 1
        mss = UInt64(min(Self.advertisedMSS, max(64, s.mss ?? 536)))
        sndUna = 1
        sndNxt = max(sndNxt, 1)
        sndWnd = UInt64(s.window)
        state = .established
        timer = nil
        retries = 0
        rto = timing.rtoInitial
        ev.established = true
        let before = ev.segments.count
        output(now: now, timing: timing, events: &ev)
        if ev.segments.count == before { ev.segments.append(pureACK()) }
    }

    /// A SYN inside the window of a synchronized connection: the other side
    /// restarted; a challenge ACK, as RFC 5961 answers.
    private mutating func inputSynInWindow(_ s: TCPSegment, now: UInt64, timing: PeerTCPTiming, events ev: inout Events) {
        ev.segments.append(pureACK())
    }

    /// The ACK field; false if the segment must be dropped here.
    private mutating func processACK(_ s: TCPSegment, now: UInt64, timing: PeerTCPTiming, events ev: inout Events) -> Bool {
        if state != .synReceived, seqBefore(s.ack, seq(sndUna)) { return true }   // an old ACK: only its data counts
        let position = sndUna &+ UInt64(s.ack &- seq(sndUna))
        if position > sndMax {
            ev.segments.append(pureACK())   // acknowledges what we never sent
            return false
        }
        if state == .synReceived {
            guard position >= 1 else {
                ev.resets &+= 1
                ev.segments.append(TCPSegment(sourcePort: localPort, destinationPort: remotePort, seq: s.ack, ack: 0,
                                              flags: TCPFlags.rst, window: 0))
                return false
            }
            state = .established
            ev.established = true
        }
        if position > sndUna {
            newlyAcked(upTo: position, timing: timing, events: &ev)
        } else if isDuplicateACK(s) {
            dupAcks += 1
            if dupAcks == 3, sndUna >= recover { startRecovery(now: now, timing: timing, fast: true, events: &ev) }
        }
        sndWnd = UInt64(s.window)
        return true
    }

    /// Unlike RFC 5681 the window is not compared: the guest's window moves as
    /// its reader drains the buffer, and its duplicate ACKs would not count.
    private func isDuplicateACK(_ s: TCPSegment) -> Bool {
        s.payload.isEmpty && !s.has(TCPFlags.fin) && sndMax > sndUna
    }

    /// sndUna moves to `position`: count the data acknowledged, grow cwnd
    /// (slow start, then about one MSS per window), restart the timer.
    private mutating func newlyAcked(upTo position: UInt64, timing: PeerTCPTiming, events ev: inout Events) {
        let acked = position - sndUna
        let dataEnd = min(position, finPosition), dataStart = max(sndUna, 1)
        if dataEnd > dataStart { ev.bytesAcked &+= dataEnd - dataStart }
        sndUna = position
        if sndNxt < position { sndNxt = position }
        dupAcks = 0
        retries = 0
        rto = timing.rtoInitial
        timer = nil
        if cwnd < ssthresh {
            cwnd &+= min(acked, mss)
        } else {
            cwnd &+= max(1, mss &* mss / max(cwnd, 1))
        }
        cwnd = min(cwnd, 1 << 20)
    }

    /// Loss: go back to sndUna and send again (the guest keeps no out-of-order
    /// data, so everything after the hole must be resent anyway). Fast: on
    /// three duplicate ACKs (cwnd halves); else on the timer (cwnd = 1 MSS).
    mutating func startRecovery(now: UInt64, timing: PeerTCPTiming, fast: Bool, events ev: inout Events) {
        let flight = sndMax - sndUna
        ssthresh = max(flight / 2, 2 * mss)
        cwnd = fast ? ssthresh : mss
        recover = sndMax
        sndNxt = sndUna
        timer = nil
        output(now: now, timing: timing, events: &ev)
    }

    /// Our FIN was acknowledged: FIN_WAIT1 → FIN_WAIT2, CLOSING → TIME_WAIT, LAST_ACK → CLOSED.
    private mutating func advanceOnFINAcked(now: UInt64, timing: PeerTCPTiming, events ev: inout Events) {
        guard finAcked else { return }
        switch state {
        case .finWait1: state = .finWait2
        case .closing: enterTimeWait(now: now, timing: timing)
        case .lastAck: state = .closed; timer = nil
        default: return
        }
        ev.sendDone = true
    }

    mutating func enterTimeWait(now: UInt64, timing: PeerTCPTiming) {
        state = .timeWait
        timer = now &+ timing.timeWait
        timerKind = .timeWait
    }

    /// In-order data is taken (the sink checks it against the pattern), the
    /// rest dropped; returns whether an ACK is due.
    private mutating func inputData(_ s: TCPSegment, events ev: inout Events) -> Bool {
        guard !s.payload.isEmpty else { return false }
        guard state == .established || state == .finWait1 || state == .finWait2 else { return true }
        let skip = s.seq &- rcvNxt
        let behind = rcvNxt &- s.seq
        guard skip == 0 || (seqBefore(s.seq, rcvNxt) && UInt64(behind) < UInt64(s.payload.count)) else {
            return true   // out of order or an old duplicate: ACK what we have
        }
        let start = skip == 0 ? 0 : Int(behind)
        let fresh = s.payload[start...]
        if role == .sink {
            var errors: UInt64 = 0
            for (i, byte) in fresh.enumerated() where byte != streamPatternByte(received &+ UInt64(i)) { errors &+= 1 }
            ev.patternErrors &+= errors
        } else if role == .httpClient {
            http?.parser.feed(fresh)
        }
        let n = UInt64(fresh.count)
        received &+= n
        rcvNxt &+= UInt32(truncatingIfNeeded: n)
        ev.bytesReceived &+= n
        return true
    }

    /// A FIN right after the data taken so far ends the stream; returns whether an ACK is due.
    private mutating func inputFIN(_ s: TCPSegment, now: UInt64, timing: PeerTCPTiming, events ev: inout Events) -> Bool {
        guard s.has(TCPFlags.fin), !finReceived else { return false }
        guard s.seq &+ UInt32(truncatingIfNeeded: s.payload.count) == rcvNxt else { return true }
        finReceived = true
        rcvNxt &+= 1
        ev.finReceived = true
        switch state {
        case .established:
            state = .closeWait
            if role == .sink { finQueued = true }   // the sink closes as soon as the guest does
        case .finWait1:
            if finAcked { enterTimeWait(now: now, timing: timing) } else { state = .closing }
        case .finWait2: enterTimeWait(now: now, timing: timing)
        default: break
        }
        return true
    }
}

// MARK: Timers

extension PeerTCPConnection {
    /// The connection's timer fired at `now`.
    mutating func fire(now: UInt64, timing: PeerTCPTiming) -> Events {
        var ev = Events()
        timer = nil
        switch timerKind {
        case .timeWait:
            state = .closed
        case .retransmit where state == .synSent:
            retrySYN(now: now, timing: timing, events: &ev)
        case .persist:
            rto = min(rto &* 2, timing.rtoMax)
            if dataRemaining, sndWnd == 0 {
                emitDataSegment(from: sndUna, count: 1, probe: true, events: &ev)   // a window probe: one byte, sndNxt stays
                sndMax = max(sndMax, sndUna + 1)
            }
            if dataRemaining, sndWnd == 0 {
                timer = now &+ rto
                timerKind = .persist
            } else {
                arm(now: now, timing: timing)
            }
        case .retransmit:
            retries += 1
            guard retries <= timing.maxRetries else { return abort() }
            rto = min(rto &* 2, timing.rtoMax)
            startRecovery(now: now, timing: timing, fast: false, events: &ev)
        }
        return ev
    }

    /// A source's next connection attempt (every `synRetry`, up to `maxSynAttempts`).
    mutating func retrySYN(now: UInt64, timing: PeerTCPTiming, events ev: inout Events) {
        synAttempts += 1
        guard synAttempts <= timing.maxSynAttempts else { state = .closed; return }
        timer = now &+ timing.synRetry
        timerKind = .retransmit
        guard remoteMAC != nil else { return }   // the peer asks ARP for it instead
        sndNxt = 0
        emitSYN(events: &ev)
    }

    /// Too many retransmissions: RST and close.
    mutating func abort() -> Events {
        var ev = Events()
        ev.resets = 1
        ev.segments.append(segment(at: sndNxt, flags: TCPFlags.rst, ack: 0))
        state = .closed
        timer = nil
        return ev
    }
}
