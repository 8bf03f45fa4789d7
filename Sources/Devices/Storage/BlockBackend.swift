// BlockBackend: what a disk model reads and writes its sectors through (a raw
// image file, memory for tests, a copy-on-write overlay for fault-injection
// campaigns), the errors it reports, and the in-memory backend.
//
// The disk CONTENTS belong to the backend, not to the device model: a machine
// snapshot holds the IDE controller's registers and its sector buffer, never
// the disk. Restoring a snapshot therefore does not undo writes the guest made
// to the image after the snapshot was taken. Campaigns that need the disk to
// roll back too put an ``OverlayBlockBackend`` over a read-only base and
// snapshot/restore it together with the machine.

/// The size of one sector: the unit of every block transfer.
public let blockSectorSize = 512

/// Why a block operation failed. Never a trap: the device turns it into an ATA error.
public enum BlockError: Error, Equatable, Sendable {
    /// The range is not inside the disk (sector, count).
    case outOfRange(UInt64, Int)
    /// The backend refuses writes (--disk-readonly).
    case readOnly
    /// The host I/O call failed with this errno.
    case io(Int32)
}

/// Counters every backend keeps (diagnostics; not guest-visible state).
public struct BlockBackendStats: Equatable, Sendable, Codable {
    public var sectorsRead: UInt64 = 0
    public var sectorsWritten: UInt64 = 0
    public var flushes: UInt64 = 0
    /// Bytes returned as zeros because the image file ended before them
    /// (a truncated file, or a file whose size is not a multiple of 512).
    public var zeroFilledBytes: UInt64 = 0
    /// Operations that failed (I/O errors, writes to a read-only disk).
    public var errors: UInt64 = 0
    public init() {}
}

/// Sector storage behind a disk model.
///
/// Every method is total: ranges outside ``sectorCount`` fail with
/// ``BlockError/outOfRange(_:_:)``, host errors with ``BlockError/io(_:)``.
/// A read always returns exactly `count * 512` bytes on success.
public protocol BlockBackend: AnyObject {
    /// Capacity in 512-byte sectors.
    var sectorCount: UInt64 { get }
    /// True if writes are refused.
    var isReadOnly: Bool { get }
    /// Counters for reports and tests.
    var stats: BlockBackendStats { get }
    /// `count` sectors starting at `sector`.
    func read(sector: UInt64, count: Int) throws(BlockError) -> [UInt8]
    /// Writes `bytes` (a whole number of sectors) starting at `sector`.
    func write(sector: UInt64, bytes: [UInt8]) throws(BlockError)
    /// Makes earlier writes durable (fsync for a file).
    func flush() throws(BlockError)
}

extension BlockBackend {
    /// True if `count` sectors from `sector` lie inside the disk (no overflow).
    public func contains(sector: UInt64, count: Int) -> Bool {
        guard count >= 0 else { return false }
        let (end, overflow) = sector.addingReportingOverflow(UInt64(count))
        return !overflow && end <= sectorCount
    }
}

/// A disk held in memory (tests; also the base of small overlays).
public final class MemoryBlockBackend: BlockBackend {
    public private(set) var bytes: [UInt8]
    public let isReadOnly: Bool
    public private(set) var stats = BlockBackendStats()

    /// A zero-filled disk of `sectors` sectors.
    public convenience init(sectors: Int, readOnly: Bool = false) {
        self.init(bytes: [UInt8](repeating: 0, count: max(0, sectors) * blockSectorSize), readOnly: readOnly)
    }

    /// A disk holding `bytes`, padded with zeros to a whole number of sectors.
    public init(bytes: [UInt8], readOnly: Bool = false) {
        var b = bytes
        let rem = b.count % blockSectorSize
        if rem != 0 { b += [UInt8](repeating: 0, count: blockSectorSize - rem) }
        self.bytes = b
        self.isReadOnly = readOnly
    }

    public var sectorCount: UInt64 { UInt64(bytes.count / blockSectorSize) }

    public func read(sector: UInt64, count: Int) throws(BlockError) -> [UInt8] {
        guard contains(sector: sector, count: count) else { stats.errors &+= 1; throw .outOfRange(sector, count) }
        let start = Int(sector) * blockSectorSize
        stats.sectorsRead &+= UInt64(count)
        return Array(bytes[start..<start + count * blockSectorSize])
    }

    public func write(sector: UInt64, bytes data: [UInt8]) throws(BlockError) {
        guard !isReadOnly else { stats.errors &+= 1; throw .readOnly }
        let count = data.count / blockSectorSize
        guard data.count % blockSectorSize == 0, contains(sector: sector, count: count) else {
            stats.errors &+= 1; throw .outOfRange(sector, count)
        }
        let start = Int(sector) * blockSectorSize
        bytes.replaceSubrange(start..<start + data.count, with: data)
        stats.sectorsWritten &+= UInt64(count)
    }

    public func flush() throws(BlockError) { stats.flushes &+= 1 }
}
