// E1000Delivery: the network → guest direction made deterministic. Frames a
// backend produces (the peer's answers) are not written into guest memory
// while the guest is in the middle of an MMIO access; they wait in a queue on
// the NIC, each with the virtual cycle at which it reaches the wire, and the
// machine delivers them at event boundaries of its run loop.
//
//   peer.send(frame) ──► reply ──► nic.queueForDelivery(reply, atCycle: now + latency)
//                                        │ onDeliveryScheduled(due) → machine ends the run slice at `due`
//   machine loop: … cpu.run(untilCycle: min(pit, nic.nextDeliveryCycle)) …
//                 nic.deliverPending(upToCycle: cpu.cycles) ──► receive(frame) ──► RX ring, RXT0
//
// A halted CPU must wake for a due frame as for a timer: the machine's next
// event is min(PIT, nextDeliveryCycle). The wire latency (now + latency) is
// the machine's choice; QEMU's slirp answers inside the TDT write, i.e. with
// none, which the model would express as delivery at the next instruction
// boundary (latency 0).
//
// The queue is part of the NIC's snapshot, so a restored machine delivers the
// same frames at the same cycles.

/// A frame on its way to the guest.
public struct E1000PendingFrame: Equatable, Sendable, Codable {
    /// The virtual cycle at (or after) which the frame reaches the NIC.
    public var dueCycle: UInt64
    public var frame: [UInt8]

    public init(dueCycle: UInt64, frame: [UInt8]) {
        self.dueCycle = dueCycle
        self.frame = frame
    }
}

extension E1000 {
    /// Frames that may wait in the delivery queue; more are dropped and counted.
    public static let pendingLimit = 4096

    /// Puts `frame` on the wire towards the guest, to arrive at `cycle`. Frames
    /// due at the same cycle arrive in the order they were queued. Calls
    /// ``onDeliveryScheduled`` with the cycle. Returns false (and counts the
    /// frame in ``E1000Counters/rxDroppedQueueFull``) if the queue is full.
    @discardableResult
    public func queueForDelivery(_ frame: [UInt8], atCycle cycle: UInt64) -> Bool {
        guard s.pending.count < Self.pendingLimit else {
            s.counters.rxDroppedQueueFull &+= 1
            return false
        }
        let entry = E1000PendingFrame(dueCycle: cycle, frame: frame)
        if let last = s.pending.last, last.dueCycle > cycle {
            let i = s.pending.firstIndex { $0.dueCycle > cycle } ?? s.pending.count
            s.pending.insert(entry, at: i)
        } else {
            s.pending.append(entry)
        }
        onDeliveryScheduled?(cycle)
        return true
    }

    /// The cycle at which the next queued frame is due, or nil if none waits.
    public var nextDeliveryCycle: UInt64? { s.pending.first?.dueCycle }

    /// Frames waiting in the delivery queue.
    public var pendingFrameCount: Int { s.pending.count }

    /// Delivers, in order, every queued frame due at or before `cycle` through
    /// ``receive(_:)`` (which may drop it: receiver off, filtered, ring full).
    /// Returns how many frames left the queue.
    @discardableResult
    public func deliverPending(upToCycle cycle: UInt64) -> Int {
        var due = 0
        while due < s.pending.count, s.pending[due].dueCycle <= cycle { due += 1 }
        guard due > 0 else { return 0 }
        let frames = s.pending.prefix(due).map(\.frame)
        s.pending.removeFirst(due)
        for frame in frames { receive(frame) }
        return due
    }
}
