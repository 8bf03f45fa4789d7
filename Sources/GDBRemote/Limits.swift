// GDBRemote limits: every size the protocol layer will accept or produce, in one
// place, so no input from the socket can make memory grow without bound.

/// Size limits of the GDB remote protocol layer.
public enum GDBLimits {
    /// The largest packet payload (after unescaping and run-length expansion) the
    /// decoder accepts; longer packets are dropped with ``PacketEvent/oversized``.
    public static let maxPayload = 0x10000

    /// The packet size advertised to gdb in the `qSupported` reply (`PacketSize`).
    /// gdb sizes its `M`/`X` writes and `m` reads to fit in it.
    public static let advertisedPacketSize = 0x4000

    /// The most bytes one `m`, `M` or `X` packet may transfer. Larger requests are
    /// ``GDBCommand/malformed(_:)``. A full `m` reply (two hex digits per byte) still
    /// fits in ``maxPayload``.
    public static let maxMemoryTransfer = 0x8000

    /// The most bytes of `monitor` output sent in one `O` console packet.
    public static let maxConsoleChunk = 0x1000
}
