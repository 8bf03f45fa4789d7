// PIT8254: the PC's programmable interval timer (ports 0x40–0x43), channel 0
// driving IRQ0. Runs on VIRTUAL time: the machine's cycle counter, converted to
// 1.193182 MHz PIT ticks with exact 128-bit integer arithmetic, so the same guest
// sees the same timer interrupts at the same instruction on every host.

/// An Intel 8254 with three counters on the PC's 1 193 182 Hz clock.
///
/// Time: tick(c) = ⌊c · 1 193 182 / cyclesPerSecond⌋ for absolute cycle c,
/// computed with a full-width multiply and divide (no drift, no floating
/// point). Counter reads evaluate the counter at `now()`; state is a closed
/// form of the tick at which counting started, never stepped per tick.
///
/// Interrupts: channel 0's OUT rising edges are IRQ0. The machine asks
/// ``nextEventCycle()`` when the next edge is due and calls ``advance(to:)``
/// at (or after) that cycle; each `advance` that passes at least one edge
/// pulses `irq0` (true, then false), which an edge-triggered PIC latches.
/// Several edges passed by one `advance` coalesce into one pulse, as they
/// would in the PIC's IRR; ``irq0EdgeCount`` still counts every edge.
///
/// Supported: modes 0–5 (control-word modes 6 and 7 are 2 and 3), binary and
/// BCD counting, access lobyte / hibyte / lobyte-then-hibyte, the counter
/// latch command, the read-back command (count and status), gates (channel
/// 0 and 1 tied high; channel 2's through ``setGate(channel:level:)``), a
/// reload value of 0 meaning 65536 (10000 in BCD).
///
/// Simplifications: a count takes effect at the write, not one CLK later;
/// in modes 2 and 3 a new count written while running takes effect at the
/// end of the current period (mode 3: period, not half-period); a mode 2 or
/// mode 3 count of 1 (illegal on the chip) holds OUT high and makes no edges.
public final class PIT8254: PortDevice {
    /// The PIT's input clock.
    public static let inputHz: UInt64 = 1_193_182

    /// One counter's programming and running state.
    public struct Channel: Equatable, Sendable, Codable {
        /// Control-word bits 3–1 as written (0–7).
        public var controlMode: UInt8 = 0
        public var bcd = false
        /// 1 = lobyte, 2 = hibyte, 3 = lobyte then hibyte.
        public var access: UInt8 = 3
        /// The count register (CR): 1…65536 (1…10000 in BCD; wild BCD digits up to 16665).
        public var reload: UInt32 = 0x1_0000
        /// The count the counting element started from.
        public var active: UInt32 = 0x1_0000
        /// A count has been written since the control word (modes 1/5: armed).
        public var counting = false
        /// Modes 1/5: the gate has triggered the count.
        public var triggered = false
        /// The tick at which the counting element held `active`.
        public var startTick: UInt64 = 0
        /// Elapsed ticks frozen by a low gate (modes 0, 2, 3, 4), or nil when counting.
        public var frozenElapsed: UInt64?
        /// Modes 2/3: a count written while running, taking effect at `pendingTick`.
        public var pendingReload: UInt32?
        public var pendingTick: UInt64 = 0
        public var gate = true
        public var nullCount = true
        /// The count shown while the counting element is not running.
        public var idleValue: UInt32 = 0
        public var writeHighNext = false
        public var writeLowByte: UInt8 = 0
        public var readHighNext = false
        /// Latched count (already BCD-encoded if BCD) awaiting reads.
        public var latchedCount: UInt16?
        public var latchedStatus: UInt8?

        public init() {}

        /// The operating mode 0–5.
        var mode: Int { controlMode > 5 ? Int(controlMode) - 4 : Int(controlMode) }
    }

    public let cyclesPerSecond: UInt64
    private let now: () -> UInt64
    private let irq0: (Bool) -> Void
    private var channels = [Channel(), Channel(), Channel()]
    /// Edges up to and including this tick have been delivered.
    private var lastTick: UInt64 = 0
    /// Channel 0 rising edges passed so far.
    public private(set) var irq0EdgeCount: UInt64 = 0

    /// `cyclesPerSecond` is the virtual CPU clock (clamped to at least 1);
    /// `now` returns the current absolute cycle; `irq0` is IRQ0's line.
    /// `now` is not called during init.
    public init(cyclesPerSecond: UInt64, now: @escaping () -> UInt64, irq0: @escaping (Bool) -> Void) {
        self.cyclesPerSecond = max(cyclesPerSecond, 1)
        self.now = now
        self.irq0 = irq0
    }

    /// Programs channel 0 as a PC BIOS leaves it: mode 2, count 65536 (18.2 Hz).
    public func programLikeBIOS() {
        write(port: 0x43, size: 1, value: 0x34)
        write(port: 0x40, size: 1, value: 0)
        write(port: 0x40, size: 1, value: 0)
    }

    // MARK: Virtual time

    /// ⌊cycle · 1 193 182 / cyclesPerSecond⌋, saturating at `UInt64.max`.
    public static func tick(atCycle cycle: UInt64, cyclesPerSecond: UInt64) -> UInt64 {
        let divisor = max(cyclesPerSecond, 1)
        let product = cycle.multipliedFullWidth(by: inputHz)
        guard product.high < divisor else { return .max }
        return divisor.dividingFullWidth(product).quotient
    }

    /// The first cycle c with tick(c) ≥ `tick`, i.e. ⌈tick · cyclesPerSecond / 1 193 182⌉,
    /// or nil if it does not fit in 64 bits.
    public static func firstCycle(ofTick tick: UInt64, cyclesPerSecond: UInt64) -> UInt64? {
        let product = tick.multipliedFullWidth(by: max(cyclesPerSecond, 1))
        guard product.high < inputHz else { return nil }
        let (quotient, remainder) = inputHz.dividingFullWidth(product)
        if remainder == 0 { return quotient }
        return quotient == .max ? nil : quotient + 1
    }

    /// The PIT tick at `now()` (never behind what ``advance(to:)`` processed).
    public func currentTick() -> UInt64 {
        max(Self.tick(atCycle: now(), cyclesPerSecond: cyclesPerSecond), lastTick)
    }

    /// The absolute cycle at which channel 0's OUT next rises (IRQ0), or nil.
    public func nextEventCycle() -> UInt64? {
        guard let edge = channels[0].nextRisingEdge(after: lastTick) else { return nil }
        return Self.firstCycle(ofTick: edge, cyclesPerSecond: cyclesPerSecond)
    }

    /// Processes time up to cycle `now`: if channel 0's OUT rose at least once
    /// since the last call, pulses `irq0`. Calls with an earlier time do nothing.
    public func advance(to now: UInt64) {
        let t = Self.tick(atCycle: now, cyclesPerSecond: cyclesPerSecond)
        guard t > lastTick else { return }
        let edges = channels[0].risingEdges(after: lastTick, through: t)
        for i in channels.indices { channels[i].settle(at: t) }
        lastTick = t
        if edges > 0 {
            irq0EdgeCount &+= edges
            irq0(true)
            irq0(false)
        }
    }

    /// Channel `channel`'s OUT level now (false for a channel outside 0–2).
    public func output(channel: Int) -> Bool {
        guard channels.indices.contains(channel) else { return false }
        return channels[channel].output(at: currentTick())
    }

    /// Drives channel `channel`'s GATE input (only channel 2's is wired on a PC,
    /// through port 0x61 bit 0). A channel outside 0–2 is ignored.
    public func setGate(channel: Int, level: Bool) {
        guard channels.indices.contains(channel) else { return }
        advance(to: now())
        channels[channel].setGate(level, at: lastTick)
    }

    // MARK: Port access

    public func read(port: UInt16, size: Int) -> UInt32 {
        let t = currentTick()
        return PortAccess.readBytes(port: port, size: size) { readByte($0, at: t) }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        advance(to: now())  // edges due under the old programming go out first
        let t = lastTick
        PortAccess.writeBytes(port: port, size: size, value: value) { writeByte($0, $1, at: t) }
    }

    private func readByte(_ port: UInt16, at t: UInt64) -> UInt8 {
        guard (0x40...0x42).contains(port) else { return 0xFF }  // 0x43 is write-only
        return channels[Int(port - 0x40)].readByte(at: t)
    }

    private func writeByte(_ port: UInt16, _ value: UInt8, at t: UInt64) {
        switch port {
        case 0x40...0x42:
            channels[Int(port - 0x40)].writeCountByte(value, at: t)
        case 0x43:
            writeControl(value, at: t)
        default:
            break
        }
    }

    private func writeControl(_ value: UInt8, at t: UInt64) {
        let select = Int(value >> 6)
        guard select != 3 else {
            // Read-back: bit 5 = 0 latches counts, bit 4 = 0 latches status, bits 1–3 pick channels.
            for i in 0..<3 where value & (2 << i) != 0 {
                if value & 0x20 == 0 { channels[i].latchCount(at: t) }
                if value & 0x10 == 0 { channels[i].latchStatus(at: t) }
            }
            return
        }
        let access = (value >> 4) & 3
        if access == 0 {
            channels[select].latchCount(at: t)
        } else {
            channels[select].program(mode: (value >> 1) & 7, bcd: value & 1 != 0, access: access, at: t)
        }
    }

    // MARK: Snapshot

    /// The three counters and the delivered-edge position.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var channels: [Channel]
        public var lastTick: UInt64
        public var irq0EdgeCount: UInt64
    }

    public func snapshot() -> Snapshot {
        Snapshot(channels: channels, lastTick: lastTick, irq0EdgeCount: irq0EdgeCount)
    }

    /// Restores the state; does not call `irq0`. Out-of-range fields of a
    /// malformed snapshot are clamped.
    public func restore(_ snapshot: Snapshot) {
        var restored = Array(snapshot.channels.prefix(3))
        while restored.count < 3 { restored.append(Channel()) }
        for i in restored.indices {
            restored[i].controlMode &= 7
            restored[i].access = (1...3).contains(restored[i].access) ? restored[i].access : 3
            restored[i].reload = min(max(restored[i].reload, 1), 0x1_0000)
            restored[i].active = min(max(restored[i].active, 1), 0x1_0000)
            if let pending = restored[i].pendingReload {
                restored[i].pendingReload = min(max(pending, 1), 0x1_0000)
            }
        }
        channels = restored
        lastTick = snapshot.lastTick
        irq0EdgeCount = snapshot.irq0EdgeCount
    }
}

extension PIT8254: SnapshotCapable {}

// MARK: - One counter

extension PIT8254.Channel {
    /// (count N, ticks elapsed since the counting element held N) at tick `t`,
    /// or nil when the counting element is not running.
    func phase(at t: UInt64) -> (n: UInt64, d: UInt64)? {
        guard counting, triggered || (mode != 1 && mode != 5) else { return nil }
        if let frozen = frozenElapsed { return (UInt64(active), frozen) }
        if let pending = pendingReload, t >= pendingTick { return (UInt64(pending), t - pendingTick) }
        return (UInt64(active), t >= startTick ? t - startTick : 0)
    }

    /// OUT at tick `t`.
    func output(at t: UInt64) -> Bool {
        guard let (n, d) = phase(at: t) else { return mode != 0 }  // after a control word: mode 0 low, others high
        switch mode {
        case 0, 1:
            return d >= n
        case 2:
            return frozenElapsed != nil || n < 2 || d % n != n - 1
        case 3:
            return frozenElapsed != nil || n < 2 || d % n < (n + 1) / 2
        default:  // 4, 5: one-tick low strobe when the count reaches 0
            return d != n
        }
    }

    /// The counting element at tick `t`, as a number 0…65536 (not yet BCD-encoded).
    func count(at t: UInt64) -> UInt32 {
        guard let (n, d) = phase(at: t) else { return idleValue }
        let value: UInt64
        switch mode {
        case 2:
            value = n - d % n
        case 3:
            value = Self.squareWaveCount(n: n, phase: d % n)
        default:
            value = bcd ? (n + 10_000 - d % 10_000) % 10_000 : (n &- d) & 0xFFFF
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// Mode 3 decrements by two; an odd count spends one extra tick high (the
    /// datasheet's N, N−1, N−3, … high and N, N−3, N−5, … low).
    static func squareWaveCount(n: UInt64, phase p: UInt64) -> UInt64 {
        if n & 1 == 0 {
            let half = n / 2
            return n - 2 * (p < half ? p : p - half)
        }
        let high = (n + 1) / 2
        if p < high { return p == 0 ? n : n + 1 - 2 * p }
        let q = p - high
        return q == 0 ? n : n - 1 - 2 * q
    }

    /// The count as the guest reads it (BCD-encoded in BCD mode).
    func encoded(_ value: UInt32) -> UInt16 {
        guard bcd else { return UInt16(truncatingIfNeeded: value) }
        var v = value % 10_000
        var result: UInt16 = 0
        for shift in stride(from: 0, to: 16, by: 4) {
            result |= UInt16(v % 10) << UInt16(shift)
            v /= 10
        }
        return result
    }

    static func decodeBCD(_ raw: UInt16) -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 12, through: 0, by: -4) {
            value = value * 10 + UInt32((raw >> UInt16(shift)) & 0xF)  // wild digits (A–F) just count high
        }
        return value
    }

    // MARK: Edges

    /// Rising edges of OUT in ticks (a, b].
    func risingEdges(after a: UInt64, through b: UInt64) -> UInt64 {
        guard a < b else { return 0 }
        guard let pending = pendingReload else {
            return edges(n: UInt64(active), start: startTick, after: a, through: b)
        }
        if a >= pendingTick {
            return edges(n: UInt64(pending), start: pendingTick, after: a, through: b)
        }
        var total = edges(n: UInt64(active), start: startTick, after: a, through: min(b, pendingTick))
        if b > pendingTick {
            total &+= edges(n: UInt64(pending), start: pendingTick, after: pendingTick, through: b)
        }
        return total
    }

    /// The first tick after `a` at which OUT rises, or nil.
    func nextRisingEdge(after a: UInt64) -> UInt64? {
        guard let pending = pendingReload else {
            return nextEdge(n: UInt64(active), start: startTick, after: a)
        }
        if a < pendingTick, let edge = nextEdge(n: UInt64(active), start: startTick, after: a), edge <= pendingTick {
            return edge
        }
        return nextEdge(n: UInt64(pending), start: pendingTick, after: max(a, pendingTick))
    }

    private var producesEdges: Bool {
        counting && frozenElapsed == nil && (triggered || (mode != 1 && mode != 5))
    }

    /// Edges in (a, b] for one regime: count `n` held at tick `start`.
    private func edges(n: UInt64, start: UInt64, after a: UInt64, through b: UInt64) -> UInt64 {
        guard producesEdges, b > start, a < b else { return 0 }
        let da = a > start ? a - start : 0
        let db = b - start
        switch mode {
        case 2, 3:
            return n < 2 ? 0 : db / n - da / n  // edges at d = k·n, k ≥ 1
        case 0, 1:
            return da < n && n <= db ? 1 : 0
        default:
            return da < n + 1 && n + 1 <= db ? 1 : 0
        }
    }

    private func nextEdge(n: UInt64, start: UInt64, after a: UInt64) -> UInt64? {
        guard producesEdges else { return nil }
        let da = a > start ? a - start : 0
        let relative: UInt64
        switch mode {
        case 2, 3:
            guard n >= 2 else { return nil }
            let (r, overflow) = (da / n + 1).multipliedReportingOverflow(by: n)
            guard !overflow else { return nil }
            relative = r
        case 0, 1:
            guard da < n else { return nil }
            relative = n
        default:
            guard da < n + 1 else { return nil }
            relative = n + 1
        }
        let (edge, overflow) = start.addingReportingOverflow(relative)
        return overflow ? nil : edge
    }

    /// Applies a pending mode 2/3 count once its period boundary has passed.
    mutating func settle(at t: UInt64) {
        guard let pending = pendingReload, t >= pendingTick, frozenElapsed == nil else { return }
        active = pending
        startTick = pendingTick
        pendingReload = nil
    }

    // MARK: Programming

    mutating func program(mode newMode: UInt8, bcd newBCD: Bool, access newAccess: UInt8, at t: UInt64) {
        idleValue = count(at: t)
        controlMode = newMode
        bcd = newBCD
        access = newAccess
        counting = false
        triggered = false
        frozenElapsed = nil
        pendingReload = nil
        nullCount = true
        writeHighNext = false
        readHighNext = false
        latchedCount = nil
        latchedStatus = nil
    }

    mutating func writeCountByte(_ byte: UInt8, at t: UInt64) {
        switch access {
        case 1:
            load(UInt16(byte), at: t)
        case 2:
            load(UInt16(byte) << 8, at: t)
        default:
            if writeHighNext {
                writeHighNext = false
                load(UInt16(byte) << 8 | UInt16(writeLowByte), at: t)
            } else {
                writeHighNext = true
                writeLowByte = byte
                if mode == 0 {  // mode 0: the first byte stops counting and drops OUT
                    idleValue = count(at: t)
                    counting = false
                    pendingReload = nil
                    frozenElapsed = nil
                }
            }
        }
    }

    private mutating func load(_ raw: UInt16, at t: UInt64) {
        let n: UInt32
        if bcd {
            let decoded = Self.decodeBCD(raw)
            n = decoded == 0 ? 10_000 : decoded
        } else {
            n = raw == 0 ? 0x1_0000 : UInt32(raw)
        }
        reload = n
        nullCount = false
        switch mode {
        case 1, 5:
            counting = true  // armed; the gate's rising edge loads and starts it
        case 2, 3:
            guard counting else { return start(n, at: t) }
            if frozenElapsed != nil { return }  // the gate's rising edge reloads from CR
            if pendingReload == nil {
                let d = t >= startTick ? t - startTick : 0
                let a = UInt64(active)
                let (boundary, overflow) = (d / a + 1).multipliedReportingOverflow(by: a)
                let (tick, overflow2) = startTick.addingReportingOverflow(boundary)
                guard !overflow, !overflow2 else { return start(n, at: t) }
                pendingTick = tick
            }
            pendingReload = n
        default:
            start(n, at: t)
        }
    }

    private mutating func start(_ n: UInt32, at t: UInt64) {
        active = n
        startTick = t
        counting = true
        pendingReload = nil
        frozenElapsed = gate ? nil : 0
    }

    mutating func setGate(_ level: Bool, at t: UInt64) {
        let rising = level && !gate
        let falling = !level && gate
        gate = level
        guard counting, rising || falling else { return }
        switch mode {
        case 0, 4:
            if falling {
                frozenElapsed = phase(at: t)?.d ?? 0
            } else if let frozen = frozenElapsed {
                startTick = t >= frozen ? t - frozen : 0
                frozenElapsed = nil
            }
        case 1, 5:
            if rising {
                triggered = true
                active = reload
                startTick = t
            }
        default:  // 2, 3: low gate holds OUT high and stops; rising gate reloads
            if falling {
                settle(at: t)
                frozenElapsed = phase(at: t)?.d ?? 0
            } else {
                start(reload, at: t)
            }
        }
    }

    // MARK: Reading

    mutating func latchCount(at t: UInt64) {
        if latchedCount == nil { latchedCount = encoded(count(at: t)) }
    }

    mutating func latchStatus(at t: UInt64) {
        guard latchedStatus == nil else { return }
        latchedStatus = (output(at: t) ? 0x80 : 0) | (nullCount ? 0x40 : 0)
            | (access << 4) | (controlMode << 1) | (bcd ? 1 : 0)
    }

    mutating func readByte(at t: UInt64) -> UInt8 {
        if let status = latchedStatus {
            latchedStatus = nil
            return status
        }
        let value = latchedCount ?? encoded(count(at: t))
        let high: Bool
        switch access {
        case 1: high = false
        case 2: high = true
        default:
            high = readHighNext
            readHighNext.toggle()
        }
        if latchedCount != nil, high || access == 1 { latchedCount = nil }
        return UInt8(truncatingIfNeeded: high ? value >> 8 : value)
    }
}
