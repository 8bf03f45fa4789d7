// NetBackend: the two directions between a NIC model and whatever is on the
// other end of its cable (the in-emulator peer, a capture, a test), and the
// label a capture uses for each frame's direction.

/// Where a NIC's transmitted frames go (guest → network).
///
/// The network → guest direction is the NIC's `receive(_:)` (or its
/// deterministic delivery queue, see ``E1000/queueForDelivery(_:atCycle:)``).
public protocol NetBackend: AnyObject {
    /// One Ethernet frame as it leaves the NIC: destination MAC first, no FCS.
    func send(_ frame: [UInt8])
}

/// Which way a frame crossed the NIC.
public enum NetDirection: String, Equatable, Sendable, Codable {
    /// Transmitted by the guest.
    case fromGuest
    /// Delivered to the guest's NIC (before its address filter).
    case toGuest
}

/// A backend that keeps every frame it is sent (tests, tools).
public final class NetFrameRecorder: NetBackend {
    public private(set) var frames: [[UInt8]] = []
    public init() {}
    public func send(_ frame: [UInt8]) { frames.append(frame) }
    public func removeAll() { frames.removeAll() }
}
