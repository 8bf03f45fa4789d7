// SlirpBackend: the e1000's cable plugged into libslirp, QEMU's user-mode NAT
// (`--net user`). Guest frames go in through slirp_input; frames slirp sends
// to the guest come out through `deliver` (the machine queues them on the NIC's
// deterministic delivery queue). Host sockets are polled by the machine's run
// loop through ``poll(timeoutMilliseconds:)``: with zero timeout at event
// boundaries, and blocking while the guest is halted, so an idle guest waiting
// for a connection does not spin.
//
// NOT DETERMINISTIC. Traffic to and from real host sockets arrives with real
// timing, so two runs with `--net user` can differ; `--net peer` (the default)
// stays deterministic. Slirp's clock (clock_get_ns and its timers) is the
// machine's VIRTUAL time, so the guest-visible protocol timers (TCP
// retransmits, delayed ACKs) follow guest time like every other timer.
//
// The C callbacks receive this object through the opaque pointer (Unmanaged,
// unretained: slirp never outlives its backend), so there is no global state.
// libslirp keeps the callback table's address, so the table is allocated once
// here and freed only after slirp_cleanup. Frames from slirp are copied with
// the length it passes, bounded by ``maxFrame``; guest frames are passed to
// slirp_input with their exact length (slirp validates every header itself).

import CSlirp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why user networking could not start.
public enum SlirpSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    case slirpNew
    case forward(SlirpHostForward)
    public var description: String {
        switch self {
        case .slirpNew: return "libslirp could not create the user network"
        case .forward(let f): return "hostfwd \(f): cannot listen on 127.0.0.1:\(f.hostPort) (port in use or not permitted)"
        }
    }
}

/// What the slirp backend has seen.
public struct SlirpCounters: Equatable, Sendable, Codable {
    public var framesToNet: UInt64 = 0
    public var framesToGuest: UInt64 = 0
    /// Frames refused for their size (either direction).
    public var oversized: UInt64 = 0
    /// Complaints libslirp made about guest packets.
    public var guestErrors: UInt64 = 0
    public var lastGuestError: String?
    public var polls: UInt64 = 0
    /// Polls that found host sockets ready.
    public var pollsWithEvents: UInt64 = 0
    public init() {}
}

/// The libslirp instance behind the NIC. See the file comment.
public final class SlirpBackend: NetBackend {
    /// Largest frame accepted in either direction (an e1000 jumbo frame is
    /// smaller; slirp's MTU is 1500).
    public static let maxFrame = 16384

    public let options: SlirpOptions
    /// Receives every frame slirp sends to the guest.
    public var deliver: (([UInt8]) -> Void)?
    public private(set) var counters = SlirpCounters()

    private var slirp: OpaquePointer?
    private let callbacks: UnsafeMutablePointer<SlirpCb>
    private let nowNanoseconds: () -> UInt64
    private var pollFDs: [pollfd] = []

    private struct Timer {
        var expireMs: Int64?
        var callback: SlirpTimerCb
        var argument: UnsafeMutableRawPointer?
    }
    private var timers: [Int: Timer] = [:]
    private var nextTimerID = 1

    /// Starts slirp with QEMU's addresses and the forwards in `options`.
    /// `nowNanoseconds` is the machine's virtual clock.
    public init(options: SlirpOptions, nowNanoseconds: @escaping () -> UInt64) throws(SlirpSetupError) {
        self.options = options
        self.nowNanoseconds = nowNanoseconds
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: Self.callbackTable())
        var cfg = SlirpConfig()
        cfg.version = 4
        cfg.restricted = 0
        cfg.in_enabled = true
        cfg.vnetwork = Self.inAddr(SlirpOptions.network)
        cfg.vnetmask = Self.inAddr(SlirpOptions.netmask)
        cfg.vhost = Self.inAddr(SlirpOptions.host)
        cfg.vdhcp_start = Self.inAddr(SlirpOptions.guestAddress)
        cfg.vnameserver = Self.inAddr(SlirpOptions.nameserver)
        cfg.in6_enabled = false
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        guard let s = slirp_new(&cfg, callbacks, opaque) else {
            callbacks.deinitialize(count: 1); callbacks.deallocate()
            throw .slirpNew
        }
        slirp = s
        for f in options.forwards {
            let r = slirp_add_hostfwd(s, f.udp ? 1 : 0, Self.inAddr(IPv4Address(127, 0, 0, 1)), Int32(f.hostPort),
                                      Self.inAddr(f.guestAddress), Int32(f.guestPort))
            if r < 0 { throw .forward(f) }   // deinit cleans up
        }
    }

    deinit {
        if let slirp { slirp_cleanup(slirp) }
        callbacks.deinitialize(count: 1)
        callbacks.deallocate()
    }

    static func inAddr(_ a: IPv4Address) -> in_addr { in_addr(s_addr: a.value.bigEndian) }

    // MARK: Guest → network

    public func send(_ frame: [UInt8]) {
        guard let slirp else { return }
        guard !frame.isEmpty, frame.count <= Self.maxFrame else { counters.oversized &+= 1; return }
        counters.framesToNet &+= 1
        frame.withUnsafeBufferPointer { slirp_input(slirp, $0.baseAddress, Int32($0.count)) }
        fireTimers()
    }

    // MARK: Host sockets

    /// What one ``poll(timeoutMilliseconds:)`` saw.
    public struct PollResult: Equatable, Sendable {
        /// Some host socket was ready.
        public var ready: Bool
        /// Wall-clock time spent waiting in poll(), in nanoseconds.
        public var waitedNanoseconds: UInt64
    }

    /// Polls slirp's host sockets, waiting up to `timeoutMilliseconds` (0: just
    /// look) or less if slirp's own timers want attention sooner, then lets
    /// slirp handle what is ready (which may call ``deliver``).
    @discardableResult
    public func poll(timeoutMilliseconds: Int) -> PollResult {
        guard let slirp else { return PollResult(ready: false, waitedNanoseconds: 0) }
        fireTimers()
        counters.polls &+= 1
        pollFDs.removeAll(keepingCapacity: true)
        var timeout = UInt32(clamping: max(0, timeoutMilliseconds))
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        slirp_pollfds_fill(slirp, &timeout, { fd, events, opaque in
            guard let opaque else { return -1 }
            return Unmanaged<SlirpBackend>.fromOpaque(opaque).takeUnretainedValue().addPoll(fd: fd, events: events)
        }, opaque)
        if let due = nextTimerDelayMs() { timeout = min(timeout, UInt32(clamping: due)) }
        let t0 = Self.monotonicNanoseconds()
        let n = pollFDs.withUnsafeMutableBufferPointer { Glibc.poll($0.baseAddress, nfds_t($0.count), Int32(clamping: timeout)) }
        let waited = timeout == 0 ? 0 : Self.monotonicNanoseconds() &- t0
        if n > 0 { counters.pollsWithEvents &+= 1 }
        slirp_pollfds_poll(slirp, n < 0 ? 1 : 0, { idx, opaque in
            guard let opaque else { return 0 }
            return Unmanaged<SlirpBackend>.fromOpaque(opaque).takeUnretainedValue().revents(index: idx)
        }, opaque)
        fireTimers()
        return PollResult(ready: n > 0, waitedNanoseconds: waited)
    }

    /// The host's monotonic clock (only for measuring how long poll() waited).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    private func addPoll(fd: Int32, events: Int32) -> Int32 {
        var e: Int16 = 0
        if events & Int32(SLIRP_POLL_IN) != 0 { e |= Int16(POLLIN) }
        if events & Int32(SLIRP_POLL_OUT) != 0 { e |= Int16(POLLOUT) }
        if events & Int32(SLIRP_POLL_PRI) != 0 { e |= Int16(POLLPRI) }
        if events & Int32(SLIRP_POLL_ERR) != 0 { e |= Int16(POLLERR) }
        if events & Int32(SLIRP_POLL_HUP) != 0 { e |= Int16(POLLHUP) }
        pollFDs.append(pollfd(fd: fd, events: e, revents: 0))
        return Int32(pollFDs.count - 1)
    }

    private func revents(index: Int32) -> Int32 {
        guard index >= 0, Int(index) < pollFDs.count else { return 0 }
        let r = Int32(pollFDs[Int(index)].revents)
        var out: Int32 = 0
        if r & Int32(POLLIN) != 0 { out |= Int32(SLIRP_POLL_IN) }
        if r & Int32(POLLOUT) != 0 { out |= Int32(SLIRP_POLL_OUT) }
        if r & Int32(POLLPRI) != 0 { out |= Int32(SLIRP_POLL_PRI) }
        if r & Int32(POLLERR) != 0 { out |= Int32(SLIRP_POLL_ERR) }
        if r & Int32(POLLHUP) != 0 { out |= Int32(SLIRP_POLL_HUP) }
        return out
    }

    // MARK: Timers (virtual milliseconds)

    var nowMs: Int64 { Int64(clamping: nowNanoseconds() / 1_000_000) }

    private func nextTimerDelayMs() -> Int64? {
        let due = timers.values.compactMap(\.expireMs).min()
        return due.map { max(0, $0 - nowMs) }
    }

    /// Runs every timer whose expiry (virtual ms) has passed.
    private func fireTimers() {
        guard !timers.isEmpty else { return }
        let now = nowMs
        let due = timers.filter { ($0.value.expireMs ?? .max) <= now }.keys.sorted()
        for id in due {
            guard var t = timers[id], let e = t.expireMs, e <= now else { continue }
            t.expireMs = nil
            timers[id] = t
            t.callback(t.argument)
        }
    }

    // MARK: Callbacks from libslirp

    private func received(_ buf: UnsafeRawPointer?, _ len: Int) -> Int {
        guard let buf, len > 0, len <= Self.maxFrame else { counters.oversized &+= 1; return -1 }
        counters.framesToGuest &+= 1
        deliver?(Array(UnsafeRawBufferPointer(start: buf, count: len)))
        return len
    }

    private func guestError(_ msg: UnsafePointer<CChar>?) {
        counters.guestErrors &+= 1
        if let msg { counters.lastGuestError = String(String(cString: msg).prefix(200)) }
    }

    private func newTimer(_ cb: SlirpTimerCb?, _ arg: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let cb else { return nil }
        let id = nextTimerID
        nextTimerID += 1
        timers[id] = Timer(expireMs: nil, callback: cb, argument: arg)
        return UnsafeMutableRawPointer(bitPattern: id)
    }

    private func timerID(_ p: UnsafeMutableRawPointer?) -> Int { p.map { Int(bitPattern: $0) } ?? 0 }

    private static func backend(_ opaque: UnsafeMutableRawPointer?) -> SlirpBackend? {
        opaque.map { Unmanaged<SlirpBackend>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The C callback table: each entry finds the backend through the opaque pointer.
    private static func callbackTable() -> SlirpCb {
        var cb = SlirpCb()
        cb.send_packet = { buf, len, opaque in SlirpBackend.backend(opaque)?.received(buf, len) ?? -1 }
        cb.guest_error = { msg, opaque in SlirpBackend.backend(opaque)?.guestError(msg) }
        cb.clock_get_ns = { opaque in Int64(clamping: SlirpBackend.backend(opaque)?.nowNanoseconds() ?? 0) }
        cb.timer_new = { c, arg, opaque in SlirpBackend.backend(opaque)?.newTimer(c, arg) }
        cb.timer_free = { t, opaque in
            guard let b = SlirpBackend.backend(opaque) else { return }
            b.timers[b.timerID(t)] = nil
        }
        cb.timer_mod = { t, expire, opaque in
            guard let b = SlirpBackend.backend(opaque) else { return }
            b.timers[b.timerID(t)]?.expireMs = expire
        }
        cb.register_poll_fd = { _, _ in }
        cb.unregister_poll_fd = { _, _ in }
        cb.notify = { _ in }
        return cb
    }
}
