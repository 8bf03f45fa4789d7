// OverlayBlockBackend: a copy-on-write layer over another backend. Reads come
// from sectors written through the overlay, else from the base; writes never
// reach the base. A fault-injection campaign puts an overlay over one
// read-only image and snapshots it beside the machine (machine snapshots do
// not cover disk contents; see BlockBackend.swift); restoring both rolls the
// disk back with the machine, so one trial's writes never leak into the next.

/// Copy-on-write sectors in memory over a base backend. See the file comment.
public final class OverlayBlockBackend: BlockBackend {
    public let base: any BlockBackend
    /// Sectors written through the overlay, by sector number.
    public private(set) var dirty: [UInt64: [UInt8]] = [:]
    public private(set) var stats = BlockBackendStats()
    public var isReadOnly: Bool { false }
    public var sectorCount: UInt64 { base.sectorCount }

    public init(base: any BlockBackend) { self.base = base }

    /// Forgets every write (the disk is the base again).
    public func discard() { dirty.removeAll() }

    /// The overlay's contents: take it together with a machine snapshot, and
    /// restore both, and the disk rolls back with the machine.
    public struct Snapshot: Equatable, Sendable {
        public var dirty: [UInt64: [UInt8]]
    }

    public func snapshot() -> Snapshot { Snapshot(dirty: dirty) }

    /// Puts back the sectors written up to `snapshot` (and forgets later ones).
    public func restore(_ snapshot: Snapshot) { dirty = snapshot.dirty }

    public func read(sector: UInt64, count: Int) throws(BlockError) -> [UInt8] {
        guard contains(sector: sector, count: count) else { stats.errors &+= 1; throw .outOfRange(sector, count) }
        var out: [UInt8]
        do { out = try base.read(sector: sector, count: count) } catch { stats.errors &+= 1; throw error }
        for i in 0..<count {
            if let d = dirty[sector + UInt64(i)] {
                out.replaceSubrange(i * blockSectorSize..<(i + 1) * blockSectorSize, with: d)
            }
        }
        stats.sectorsRead &+= UInt64(count)
        return out
    }

    public func write(sector: UInt64, bytes: [UInt8]) throws(BlockError) {
        let count = bytes.count / blockSectorSize
        guard bytes.count % blockSectorSize == 0, contains(sector: sector, count: count) else {
            stats.errors &+= 1; throw .outOfRange(sector, count)
        }
        for i in 0..<count {
            dirty[sector + UInt64(i)] = Array(bytes[i * blockSectorSize..<(i + 1) * blockSectorSize])
        }
        stats.sectorsWritten &+= UInt64(count)
    }

    public func flush() throws(BlockError) { stats.flushes &+= 1 }
}
