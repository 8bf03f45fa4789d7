// DebugExit: QEMU's isa-debug-exit (iobase 0xf4, iosize 4). The guest ends the
// run by writing a value v; the process exit status is (v << 1) | 1, so tests
// can report pass/fail the same way under QEMU and under nooks-emu.

/// QEMU's `isa-debug-exit` device.
///
/// Any write to any of its ports (0xf4–0xf7 by default) requests exit with
/// status `(v << 1) | 1`, where v is the value as written at the access size
/// (an 8-bit `out` of 0x1234's low byte is 0x34). The status is reported as
/// the low 32 bits; a host process exit keeps only its low 8 bits, as with
/// QEMU. Reads return all ones. The device does not stop anything itself: it
/// calls `onExit`, and the machine ends the run.
public final class DebugExit: PortDevice {
    private let onExit: (Int32) -> Void
    /// The status of the last exit request, if any.
    public private(set) var requestedStatus: Int32?

    public init(onExit: @escaping (Int32) -> Void) {
        self.onExit = onExit
    }

    /// The exit status QEMU computes for a write of `value`.
    public static func status(forWrittenValue value: UInt32) -> Int32 {
        Int32(truncatingIfNeeded: (value << 1) | 1)
    }

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.mask(size)
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        let status = Self.status(forWrittenValue: value & PortAccess.mask(size))
        requestedStatus = status
        onExit(status)
    }

    // MARK: Snapshot

    public struct Snapshot: Equatable, Sendable, Codable {
        public var requestedStatus: Int32?
    }

    public func snapshot() -> Snapshot { Snapshot(requestedStatus: requestedStatus) }

    /// Restores the state; does not call `onExit`.
    public func restore(_ snapshot: Snapshot) { requestedStatus = snapshot.requestedStatus }
}

extension DebugExit: SnapshotCapable {}
