// PortBus: the x86 I/O port space (64 Ki ports). Routes `in`/`out` to the device
// mapped at the first port of the access through a flat 65536-entry table of small
// device indices; unmapped ports float high and are counted for diagnostics.

/// The 64 Ki-port I/O space.
///
/// Lookup is one array load (a `UInt8` device index per port) and one array
/// index, no hashing. An access is dispatched to the device that owns its
/// *first* port, with the access size; the device decides how wide accesses
/// spanning several of its registers behave (byte-wide devices split them with
/// ``PortAccess/readBytes(port:size:_:)``).
///
/// Unmapped ports read as all ones masked to the access size (an undriven ISA
/// bus) and ignore writes; both are counted in ``unmappedReads`` /
/// ``unmappedWrites`` and the first few distinct port numbers are kept in
/// ``firstUnmappedPorts``. Port 0x80 is mapped to a ``PortSink`` at init.
public final class PortBus {
    /// How many distinct unmapped port numbers ``firstUnmappedPorts`` keeps.
    public static let recordedUnmappedPortLimit = 8

    /// Per port: 0 = unmapped, n = `devices[n - 1]`.
    private var table: [UInt8]
    private var devices: [PortDevice] = []

    /// Reads from ports with no device.
    public private(set) var unmappedReads: UInt64 = 0
    /// Writes to ports with no device.
    public private(set) var unmappedWrites: UInt64 = 0
    /// The first distinct unmapped ports touched, in order (at most
    /// ``recordedUnmappedPortLimit``).
    public private(set) var firstUnmappedPorts: [UInt16] = []

    /// The sink occupying port 0x80 (POST codes and the classic I/O delay).
    public let postPort = PortSink()

    public init() {
        table = [UInt8](repeating: 0, count: 0x1_0000)
        map(0x80...0x80, to: postPort)
    }

    /// Maps every port in `ports` to `device`, replacing earlier mappings.
    ///
    /// A device mapped at several ranges occupies one index. At most 255
    /// distinct devices fit; this is machine configuration, not guest input,
    /// so exceeding it is a programming error.
    public func map(_ ports: ClosedRange<UInt16>, to device: PortDevice) {
        let index: Int
        if let existing = devices.firstIndex(where: { $0 === device }) {
            index = existing + 1
        } else {
            precondition(devices.count < 255, "PortBus: more than 255 distinct port devices")
            devices.append(device)
            index = devices.count
        }
        for port in ports {
            table[Int(port)] = UInt8(index)
        }
    }

    /// Makes every port in `ports` unmapped again.
    public func unmap(_ ports: ClosedRange<UInt16>) {
        for port in ports {
            table[Int(port)] = 0
        }
    }

    /// The device mapped at `port`, if any.
    public func device(at port: UInt16) -> PortDevice? {
        let index = Int(table[Int(port)])
        return index == 0 ? nil : devices[index - 1]
    }

    /// `in` of `size` bytes (clamped to 1...4) from `port`; the result is masked to the size.
    public func read(port: UInt16, size: Int) -> UInt32 {
        let mask = PortAccess.mask(size)
        let index = Int(table[Int(port)])
        if index == 0 {
            unmappedReads &+= 1
            noteUnmapped(port)
            return mask
        }
        return devices[index - 1].read(port: port, size: PortAccess.clampedSize(size)) & mask
    }

    /// `out` of `size` bytes (clamped to 1...4) of `value` to `port`; the value is masked to the size.
    public func write(port: UInt16, size: Int, value: UInt32) {
        let index = Int(table[Int(port)])
        if index == 0 {
            unmappedWrites &+= 1
            noteUnmapped(port)
            return
        }
        devices[index - 1].write(port: port, size: PortAccess.clampedSize(size), value: value & PortAccess.mask(size))
    }

    /// One line for a diagnostic: counts and the first unmapped ports in hex.
    public var unmappedSummary: String {
        let ports = firstUnmappedPorts.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
        return "unmapped port reads: \(unmappedReads), writes: \(unmappedWrites)"
            + (ports.isEmpty ? "" : ", first ports: \(ports)")
    }

    private func noteUnmapped(_ port: UInt16) {
        if firstUnmappedPorts.count < Self.recordedUnmappedPortLimit, !firstUnmappedPorts.contains(port) {
            firstUnmappedPorts.append(port)
        }
    }

    // MARK: Snapshot

    /// The bus's own state: only its diagnostic counters (the mapping is machine
    /// configuration, rebuilt by the machine, not snapshotted).
    public struct Snapshot: Equatable, Sendable, Codable {
        public var unmappedReads: UInt64
        public var unmappedWrites: UInt64
        public var firstUnmappedPorts: [UInt16]
    }

    public func snapshot() -> Snapshot {
        Snapshot(unmappedReads: unmappedReads, unmappedWrites: unmappedWrites,
                 firstUnmappedPorts: firstUnmappedPorts)
    }

    public func restore(_ snapshot: Snapshot) {
        unmappedReads = snapshot.unmappedReads
        unmappedWrites = snapshot.unmappedWrites
        firstUnmappedPorts = Array(snapshot.firstUnmappedPorts.prefix(Self.recordedUnmappedPortLimit))
    }
}

extension PortBus: SnapshotCapable {}
