// PortDevice: the contract between the port bus and every device reached through
// x86 `in`/`out`, plus the small helpers all devices share to stay total on wild
// guest input (odd access sizes, multi-byte accesses to byte-wide registers).

/// A device reached through x86 port I/O. `size` is 1, 2 or 4 bytes.
///
/// Devices are plain state machines: they never trap on guest input. A size the
/// CPU should never produce (0, 3, 8, negative) is clamped to 1...4 by
/// ``PortAccess/clampedSize(_:)``; values wider than the access are masked.
public protocol PortDevice: AnyObject {
    func read(port: UInt16, size: Int) -> UInt32
    func write(port: UInt16, size: Int, value: UInt32)
}

/// A device whose state can be captured as plain data and put back.
///
/// `restore(_:)` sets state only: it never calls the device's injected
/// closures (IRQ lines, output). The receiver of a line (the PIC) is restored
/// from its own snapshot, which already holds the line levels it saw.
public protocol SnapshotCapable: AnyObject {
    associatedtype Snapshot: Equatable & Sendable & Codable
    func snapshot() -> Snapshot
    func restore(_ snapshot: Snapshot)
}

/// Helpers for port-access sizes and for splitting wide accesses to byte-wide
/// registers into byte accesses, the way the ISA bus does on a PC.
public enum PortAccess {
    /// `size` clamped into 1...4 so no device ever sees an impossible width.
    @inline(__always)
    public static func clampedSize(_ size: Int) -> Int {
        size < 1 ? 1 : (size > 4 ? 4 : size)
    }

    /// All ones in the low `size` bytes (`size` clamped to 1...4).
    @inline(__always)
    public static func mask(_ size: Int) -> UInt32 {
        let bytes = clampedSize(size)
        return bytes == 4 ? 0xFFFF_FFFF : (UInt32(1) << UInt32(bytes * 8)) &- 1
    }

    /// Reads `size` bytes from consecutive ports starting at `port`, one byte at
    /// a time, little-endian. Ports wrap at 0xFFFF (`&+`), never trap.
    @inline(__always)
    public static func readBytes(port: UInt16, size: Int, _ readByte: (UInt16) -> UInt8) -> UInt32 {
        let bytes = clampedSize(size)
        var value: UInt32 = 0
        for i in 0..<bytes {
            value |= UInt32(readByte(port &+ UInt16(i))) << UInt32(i * 8)
        }
        return value
    }

    /// Writes the low `size` bytes of `value` to consecutive ports starting at
    /// `port`, lowest byte first.
    @inline(__always)
    public static func writeBytes(port: UInt16, size: Int, value: UInt32, _ writeByte: (UInt16, UInt8) -> Void) {
        let bytes = clampedSize(size)
        for i in 0..<bytes {
            writeByte(port &+ UInt16(i), UInt8(truncatingIfNeeded: value >> UInt32(i * 8)))
        }
    }
}

/// A port device that accepts every write and reads as all ones: the default
/// occupant of port 0x80 (POST code / I/O delay) and of any port the machine
/// wants silenced without being counted as unmapped.
public final class PortSink: PortDevice {
    /// Number of writes absorbed (a diagnostic; not part of guest-visible state).
    public private(set) var writes: UInt64 = 0
    /// The last value written, masked to its access size (POST code on port 0x80).
    public private(set) var lastValue: UInt32 = 0

    public init() {}

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.mask(size)
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        writes &+= 1
        lastValue = value & PortAccess.mask(size)
    }

    public struct Snapshot: Equatable, Sendable, Codable {
        public var writes: UInt64
        public var lastValue: UInt32
    }

    public func snapshot() -> Snapshot { Snapshot(writes: writes, lastValue: lastValue) }

    public func restore(_ snapshot: Snapshot) {
        writes = snapshot.writes
        lastValue = snapshot.lastValue
    }
}

extension PortSink: SnapshotCapable {}
