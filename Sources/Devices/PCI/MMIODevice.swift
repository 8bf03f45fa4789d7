// MMIODevice: the contract between the machine's physical address space and a
// device register window reached through memory-mapped I/O (a PCI memory BAR).
// Core has the same shape (`MMIOHandler`); Devices does not import Core, so the
// machine bridges the two with a one-line adapter.

/// A device reached through a memory-mapped register window.
///
/// `offset` is relative to the start of the window; `size` is 1, 2 or 4. Like
/// port devices, MMIO devices never trap on guest input: odd sizes are clamped
/// (``PortAccess/clampedSize(_:)``), offsets outside the registers read as 0
/// and ignore writes.
public protocol MMIODevice: AnyObject {
    func mmioRead(offset: UInt32, size: Int) -> UInt32
    func mmioWrite(offset: UInt32, size: Int, value: UInt32)
}
