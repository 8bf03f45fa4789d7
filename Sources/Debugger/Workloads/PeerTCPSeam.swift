// The seam between the stream benchmarks and the LAN peer's TCP endpoints
// (`MachineConfig.peerTCP`, `NetPeer.tcpCounters`): the send row streams to the
// peer's sink, the receive row takes a stream from the peer's source. Were the
// peer without TCP (`available` false), the send row would fall back to a UDP
// send stream and the receive row would be skipped.

import Devices
import Machine

enum PeerTCPSeam {
    /// Whether the in-emulator peer speaks TCP (sink and source).
    static var available: Bool { true }

    /// Configure the peer: a sink on `sinkPort`, and optionally a source that
    /// connects to the guest's `guestPort` and sends `bytes` of the pattern.
    static func configure(_ cfg: inout MachineConfig, sinkPort: UInt16?, source: (guestPort: UInt16, bytes: UInt64)?) {
        cfg.peerTCP = PeerTCPOptions(sinkPort: sinkPort, source: source.map { PeerTCPSource(guestPort: $0.guestPort, bytes: $0.bytes) })
    }

    /// The peer's TCP counters after a run: bytes its sink took, bytes of its
    /// source acknowledged, pattern errors, retransmissions.
    static func counters(_ m: Machine) -> (sinkBytes: UInt64, sourceBytesAcked: UInt64, patternErrors: UInt64, retransmits: UInt64)? {
        guard let c = m.peer?.tcpCounters else { return nil }
        return (c.sinkBytes, c.sourceBytesAcked, c.patternErrors, c.retransmits)
    }
}
