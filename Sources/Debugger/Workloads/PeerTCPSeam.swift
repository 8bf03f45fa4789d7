// The seam between the stream benchmarks and the LAN peer's TCP endpoints
// (`MachineConfig.peerTCP`, `NetPeer.tcpCounters`). Until the peer has TCP,
// `available` is false: the send row falls back to a UDP send stream and the
// receive row is skipped.

import Machine

enum PeerTCPSeam {
    /// Whether the in-emulator peer speaks TCP (sink and source).
    static var available: Bool { false }

    /// Configure the peer: a sink on `sinkPort`, and optionally a source that
    /// connects to the guest's `guestPort` and sends `bytes` of the pattern.
    static func configure(_ cfg: inout MachineConfig, sinkPort: UInt16?, source: (guestPort: UInt16, bytes: UInt64)?) {}

    /// The peer's TCP counters after a run: bytes its sink took, bytes of its
    /// source acknowledged, pattern errors, retransmissions.
    static func counters(_ m: Machine) -> (sinkBytes: UInt64, sourceBytesAcked: UInt64, patternErrors: UInt64, retransmits: UInt64)? { nil }
}
