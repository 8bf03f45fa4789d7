// PcapWriter: writes Ethernet frames as a classic libpcap capture
// (LINKTYPE_ETHERNET) whose timestamps come from the machine's virtual cycle
// counter, never the host clock — the same run gives the same file, byte for
// byte. Sans-IO: bytes go to an injected sink (a file handle, an array).
//
// File layout (all fields little-endian, as written by a little-endian host):
//
//   global header (24 bytes)
//   +------------+-------+-------+----------+---------+---------+----------+
//   | magic      | major | minor | thiszone | sigfigs | snaplen | linktype |
//   | a1b2c3d4 µs|   2   |   4   |    0     |    0    |  65535  |  1 (Eth) |
//   | a1b23c4d ns|       |       |          |         |         |          |
//   +------------+-------+-------+----------+---------+---------+----------+
//    4 bytes      2       2       4          4         4         4
//
//   record header (16 bytes), then incl_len bytes of frame
//   +---------+----------------+----------+----------+
//   | ts_sec  | ts_usec/ts_nsec| incl_len | orig_len |
//   +---------+----------------+----------+----------+

/// A classic pcap writer timed by virtual cycles.
public final class PcapWriter {
    /// Timestamp resolution (selects the magic number).
    public enum Resolution: Sendable {
        case microseconds
        case nanoseconds

        var magic: UInt32 { self == .microseconds ? 0xA1B2_C3D4 : 0xA1B2_3C4D }
        var unitsPerSecond: UInt64 { self == .microseconds ? 1_000_000 : 1_000_000_000 }
    }

    /// LINKTYPE_ETHERNET.
    public static let linkTypeEthernet: UInt32 = 1
    public static let globalHeaderSize = 24
    public static let recordHeaderSize = 16

    public let cyclesPerSecond: UInt64
    public let resolution: Resolution
    public let snapLength: Int
    private let sink: ([UInt8]) -> Void

    /// Records written.
    public private(set) var recordCount: UInt64 = 0
    /// Bytes written, headers included.
    public private(set) var byteCount: UInt64 = 0

    /// Emits the global header to `sink` at once; each ``write(_:cycles:)``
    /// then emits one record. `cyclesPerSecond` converts cycles to time (0 is
    /// treated as 1); frames longer than `snapLength` are cut (orig_len keeps
    /// the full length).
    public init(cyclesPerSecond: UInt64, resolution: Resolution = .microseconds, snapLength: Int = 65535,
                sink: @escaping ([UInt8]) -> Void) {
        self.cyclesPerSecond = max(1, cyclesPerSecond)
        self.resolution = resolution
        self.snapLength = min(max(1, snapLength), Int(Int32.max))
        self.sink = sink
        var header: [UInt8] = []
        Self.append32(&header, resolution.magic)
        Self.append16(&header, 2)
        Self.append16(&header, 4)
        Self.append32(&header, 0)  // thiszone: GMT
        Self.append32(&header, 0)  // sigfigs
        Self.append32(&header, UInt32(self.snapLength))
        Self.append32(&header, Self.linkTypeEthernet)
        emit(header)
    }

    /// Seconds and sub-second units for a virtual cycle count. Seconds wrap at
    /// 2^32 (136 years of virtual time at any clock rate).
    public func timestamp(cycles: UInt64) -> (seconds: UInt32, fraction: UInt32) {
        let seconds = cycles / cyclesPerSecond
        let remainder = cycles % cyclesPerSecond
        // remainder * units / cps without overflow: 128-bit intermediate.
        let wide = remainder.multipliedFullWidth(by: resolution.unitsPerSecond)
        let (fraction, _) = cyclesPerSecond.dividingFullWidth(wide)
        return (UInt32(truncatingIfNeeded: seconds), UInt32(truncatingIfNeeded: fraction))
    }

    /// Writes one frame seen at virtual cycle `cycles`.
    public func write(_ frame: [UInt8], cycles: UInt64) {
        let (seconds, fraction) = timestamp(cycles: cycles)
        let included = min(frame.count, snapLength)
        var record: [UInt8] = []
        record.reserveCapacity(Self.recordHeaderSize + included)
        Self.append32(&record, seconds)
        Self.append32(&record, fraction)
        Self.append32(&record, UInt32(included))
        Self.append32(&record, UInt32(truncatingIfNeeded: frame.count))
        record += frame.prefix(included)
        recordCount &+= 1
        emit(record)
    }

    private func emit(_ bytes: [UInt8]) {
        byteCount &+= UInt64(bytes.count)
        sink(bytes)
    }

    private static func append16(_ b: inout [UInt8], _ v: UInt16) {
        b.append(UInt8(truncatingIfNeeded: v))
        b.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    private static func append32(_ b: inout [UInt8], _ v: UInt32) {
        append16(&b, UInt16(truncatingIfNeeded: v))
        append16(&b, UInt16(truncatingIfNeeded: v >> 16))
    }
}

/// A pcap capture kept in memory (tests, short runs).
public final class PcapBuffer {
    public private(set) var bytes: [UInt8] = []
    public private(set) var writer: PcapWriter!

    public init(cyclesPerSecond: UInt64, resolution: PcapWriter.Resolution = .microseconds) {
        writer = PcapWriter(cyclesPerSecond: cyclesPerSecond, resolution: resolution) { [unowned self] in
            self.bytes += $0
        }
    }

    public func write(_ frame: [UInt8], cycles: UInt64) { writer.write(frame, cycles: cycles) }
}
