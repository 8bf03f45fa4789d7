// LinkModel: the peer's side of the cable as a wire of a given bit rate
// (`PeerTCPOptions.linkBitsPerSecond`), in modeled cycles.
//
// A frame occupies the wire for (max(frame bytes, 60) + 24) × 8 / rate
// seconds: the 60-byte minimum is Ethernet's padding (without FCS) and the 24
// bytes are the preamble and start delimiter (8), FCS (4) and inter-frame gap
// (12). Each direction has its own "wire free at" cycle: a frame handed to
// the wire at `now` starts at max(now, free), is done serialization cycles
// later, and the wire is free again then. So frames sent while the wire is
// busy queue behind the previous one, and a direction never carries more
// than its rate. Rounding is up, to whole cycles.
//
//   guest → peer  the peer takes a frame in when the wire is done with it
//                 (frames in flight wait here: `toPeerInFlight`)
//   peer → guest  the peer's answers leave as it makes them; the machine
//                 delivers each to the NIC at its done cycle plus its latency
//
// Plain Codable data inside the peer's snapshot.

/// A full-duplex wire of a fixed rate, with one clock per direction.
public struct LinkModel: Equatable, Sendable, Codable {
    /// Ethernet overhead per frame on the wire: preamble + SFD (8), FCS (4), inter-frame gap (12).
    public static let overheadBytes = 24
    /// The shortest frame on the wire without its FCS (shorter ones are padded).
    public static let minimumFrameBytes = 60

    /// A frame from the guest on the wire, taken in by the peer at `doneCycle`.
    public struct InFlight: Equatable, Sendable, Codable {
        public var doneCycle: UInt64
        public var frame: [UInt8]
    }

    public let bitsPerSecond: UInt64
    public let cyclesPerSecond: UInt64
    /// The cycle the guest → peer direction is free again.
    public private(set) var toPeerFreeAt: UInt64 = 0
    /// The cycle the peer → guest direction is free again.
    public private(set) var toGuestFreeAt: UInt64 = 0
    /// Frames from the guest still on the wire, in order of `doneCycle`.
    public internal(set) var toPeerInFlight: [InFlight] = []

    public init(bitsPerSecond: UInt64, cyclesPerSecond: UInt64) {
        self.bitsPerSecond = max(1, bitsPerSecond)
        self.cyclesPerSecond = max(1, cyclesPerSecond)
    }

    /// Cycles a frame of `bytes` (without FCS) occupies the wire, rounded up.
    public func serializationCycles(frameBytes bytes: Int) -> UInt64 {
        let bits = UInt64(max(bytes, Self.minimumFrameBytes) + Self.overheadBytes) * 8
        let p = bits.multipliedFullWidth(by: cyclesPerSecond)
        guard p.high < bitsPerSecond else { return .max }
        let (q, r) = bitsPerSecond.dividingFullWidth((high: p.high, low: p.low))
        return r == 0 ? q : q + 1
    }

    /// Puts a frame on the guest → peer wire at `now`; returns the cycle it is done.
    public mutating func sendToPeer(frameBytes bytes: Int, at now: UInt64) -> UInt64 {
        let start = max(now, toPeerFreeAt)
        toPeerFreeAt = start.addingReportingOverflow(serializationCycles(frameBytes: bytes)).overflow
            ? .max : start + serializationCycles(frameBytes: bytes)
        return toPeerFreeAt
    }

    /// Puts a frame on the peer → guest wire at `now`; returns the cycle it is done.
    public mutating func sendToGuest(frameBytes bytes: Int, at now: UInt64) -> UInt64 {
        let start = max(now, toGuestFreeAt)
        toGuestFreeAt = start.addingReportingOverflow(serializationCycles(frameBytes: bytes)).overflow
            ? .max : start + serializationCycles(frameBytes: bytes)
        return toGuestFreeAt
    }

    /// Puts a guest frame on the wire and keeps it until the peer takes it in.
    public mutating func carryToPeer(_ frame: [UInt8], at now: UInt64) -> UInt64 {
        let done = sendToPeer(frameBytes: frame.count, at: now)
        toPeerInFlight.append(InFlight(doneCycle: done, frame: frame))
        return done
    }

    /// When the next guest frame arrives at the peer, if one is on the wire.
    public var nextArrivalCycle: UInt64? { toPeerInFlight.first?.doneCycle }

    /// Takes the next guest frame off the wire if it has arrived by `cycle`.
    public mutating func takeArrival(upTo cycle: UInt64) -> InFlight? {
        guard let f = toPeerInFlight.first, f.doneCycle <= cycle else { return nil }
        toPeerInFlight.removeFirst()
        return f
    }
}
