// PCIConfigSpace: one PCI function's 256-byte configuration space (type 0
// header) with per-byte write masks, RW1C status bits, base address registers
// that size themselves the standard way, and the decode state the machine needs
// to map a function's MMIO window and I/O ports. Also the `PCIFunction` protocol.
//
// Type 0 header (offsets in hex):
//
//   00  | device ID         | vendor ID         |
//   04  | status            | command           |
//   08  | class code (3 bytes)      | revision  |
//   0C  | BIST | header type | latency | cache line |
//   10..24  base address registers 0..5
//   28  | CardBus CIS pointer                   |
//   2C  | subsystem ID      | subsystem vendor  |
//   30  | expansion ROM base address            |
//   34  | reserved                  | cap. ptr  |
//   38  | reserved                              |
//   3C  | max lat | min gnt | int. pin | int. line |
//
// Command bits the model decodes: 0 I/O space, 1 memory space, 2 bus master,
// 10 INTx disable. Status: bit 3 interrupt status (read-only, follows the
// function's INTx level), bits 8 and 11-15 write-1-to-clear error bits.
//
// BAR sizing: a BAR's address bits are writable only above its size, its low
// bits are read-only type flags, so writing all ones reads back ~(size-1)|flags.
// (QEMU does the same through its wmask; an I/O BAR reads back all 32 bits,
// e.g. 0xffffffc1 for e1000's 64-byte I/O BAR, as observed under QEMU 7.2.)

/// What a base address register decodes.
public enum PCIBARKind: String, Equatable, Sendable, Codable {
    /// A 32-bit memory BAR (bits 2:1 = 00).
    case memory32
    /// An I/O-space BAR (bit 0 = 1).
    case io
}

/// A function's fixed description of one BAR.
public struct PCIBARDescriptor: Equatable, Sendable {
    public var kind: PCIBARKind
    /// Window size in bytes: a power of two, at least 16 (memory) or 4 (I/O).
    public var size: UInt32
    public var prefetchable: Bool

    public init(kind: PCIBARKind, size: UInt32, prefetchable: Bool = false) {
        self.kind = kind
        self.size = size
        self.prefetchable = prefetchable
    }

    /// The read-only low bits of the register.
    var flags: UInt32 {
        switch kind {
        case .io: return 0x1
        case .memory32: return prefetchable ? 0x8 : 0x0
        }
    }
}

/// Where a BAR currently decodes.
public struct PCIBARMapping: Equatable, Sendable {
    public var bar: Int
    public var kind: PCIBARKind
    public var base: UInt32
    public var size: UInt32
}

/// A change of what a BAR decodes, reported to the machine so it can map or
/// unmap the window. `oldBase == nil`: it was not decoding; `newBase == nil`:
/// it stopped decoding (decoding disabled in the command register, BAR set to
/// 0, or set to all ones while the guest sizes it).
public struct PCIBARChange: Equatable, Sendable {
    public var bar: Int
    public var kind: PCIBARKind
    public var oldBase: UInt32?
    public var newBase: UInt32?
    public var size: UInt32
}

/// A function on the PCI bus: something with a configuration space.
public protocol PCIFunction: AnyObject {
    var configSpace: PCIConfigSpace { get }
}

/// The configuration space of one PCI function.
public final class PCIConfigSpace {
    public static let size = 256

    /// Standard header offsets.
    public enum Offset {
        public static let vendorID = 0x00, deviceID = 0x02, command = 0x04, status = 0x06
        public static let revision = 0x08, classCode = 0x09, cacheLineSize = 0x0C, latencyTimer = 0x0D
        public static let headerType = 0x0E, bar0 = 0x10, subsystemVendorID = 0x2C, subsystemID = 0x2E
        public static let expansionROM = 0x30, interruptLine = 0x3C, interruptPin = 0x3D
    }

    /// Command register bits.
    public enum Command {
        public static let io: UInt16 = 0x0001
        public static let memory: UInt16 = 0x0002
        public static let busMaster: UInt16 = 0x0004
        public static let parity: UInt16 = 0x0040
        public static let serr: UInt16 = 0x0100
        public static let intxDisable: UInt16 = 0x0400
        /// The bits a guest may change (QEMU's conventional-PCI command wmask).
        static let writable: UInt16 = io | memory | busMaster | parity | serr | intxDisable
    }

    /// Status register bits.
    public enum Status {
        public static let interrupt: UInt16 = 0x0008
        public static let receivedMasterAbort: UInt16 = 0x2000
        /// Write-1-to-clear error bits (8, 11–15).
        static let writeOneToClear: UInt16 = 0xF900
    }

    /// The six BAR slots (nil = not implemented; reads 0, ignores writes).
    public let bars: [PCIBARDescriptor?]

    private var bytes: [UInt8]
    private let initialBytes: [UInt8]
    private var writeMask: [UInt8]
    private var clearMask: [UInt8]
    private var decoded: [UInt32?]

    /// Called when a BAR starts, stops or moves decoding (set by the machine).
    public var onBARChange: ((PCIBARChange) -> Void)?
    /// Called after the command register was written (set by the owning device,
    /// e.g. to re-drive its INTx line when INTx disable changes).
    public var onCommandWrite: (() -> Void)?

    /// A type 0 header with the given identity and BARs (at most 6; extra ones
    /// are ignored). Everything else starts as at PCI reset: command 0, BARs 0,
    /// interrupt line 0.
    public init(vendorID: UInt16, deviceID: UInt16, revision: UInt8, classCode: UInt32,
                subsystemVendorID: UInt16 = 0x1AF4, subsystemID: UInt16 = 0x1100,
                headerType: UInt8 = 0, interruptPin: UInt8 = 0, bars: [PCIBARDescriptor?] = []) {
        var slots = Array(bars.prefix(6))
        while slots.count < 6 { slots.append(nil) }
        self.bars = slots.map { d in
            guard var d else { return nil }
            let minimum: UInt32 = d.kind == .io ? 4 : 16
            if d.size < minimum || d.size & (d.size &- 1) != 0 {
                d.size = max(minimum, d.size == 0 ? minimum : UInt32(1) << UInt32(32 - (d.size &- 1).leadingZeroBitCount))
            }
            return d
        }
        var b = [UInt8](repeating: 0, count: Self.size)
        func put16(_ o: Int, _ v: UInt16) { b[o] = UInt8(truncatingIfNeeded: v); b[o + 1] = UInt8(truncatingIfNeeded: v >> 8) }
        put16(Offset.vendorID, vendorID)
        put16(Offset.deviceID, deviceID)
        b[Offset.revision] = revision
        b[0x09] = UInt8(truncatingIfNeeded: classCode)
        b[0x0A] = UInt8(truncatingIfNeeded: classCode >> 8)
        b[0x0B] = UInt8(truncatingIfNeeded: classCode >> 16)
        b[Offset.headerType] = headerType
        put16(Offset.subsystemVendorID, subsystemVendorID)
        put16(Offset.subsystemID, subsystemID)
        b[Offset.interruptPin] = interruptPin
        var w = [UInt8](repeating: 0, count: Self.size)
        w[Offset.command] = UInt8(truncatingIfNeeded: Command.writable)
        w[Offset.command + 1] = UInt8(truncatingIfNeeded: Command.writable >> 8)
        w[Offset.cacheLineSize] = 0xFF
        w[Offset.interruptLine] = 0xFF
        for (i, d) in self.bars.enumerated() {
            guard let d else { continue }
            let o = Offset.bar0 + 4 * i
            let mask = ~(d.size &- 1)
            for k in 0..<4 { w[o + k] = UInt8(truncatingIfNeeded: mask >> UInt32(8 * k)) }
            b[o] = UInt8(truncatingIfNeeded: d.flags)
        }
        var c = [UInt8](repeating: 0, count: Self.size)
        c[Offset.status] = UInt8(truncatingIfNeeded: Status.writeOneToClear)
        c[Offset.status + 1] = UInt8(truncatingIfNeeded: Status.writeOneToClear >> 8)
        bytes = b
        initialBytes = b
        writeMask = w
        clearMask = c
        decoded = [UInt32?](repeating: nil, count: 6)
    }

    // MARK: Guest access (through the bus)

    /// Reads `size` (1, 2 or 4) bytes at `offset`, little-endian. Bytes past
    /// the end of the space read as 0xFF.
    public func read(offset: Int, size: Int) -> UInt32 {
        let n = PortAccess.clampedSize(size)
        var value: UInt32 = 0
        for i in 0..<n {
            let o = offset + i
            let byte: UInt8 = (o >= 0 && o < Self.size) ? bytes[o] : 0xFF
            value |= UInt32(byte) << UInt32(8 * i)
        }
        return value
    }

    /// Writes `size` (1, 2 or 4) bytes at `offset` through the write masks;
    /// bytes past the end are ignored. BAR and command writes re-evaluate the
    /// decode state and report changes through ``onBARChange``.
    public func write(offset: Int, size: Int, value: UInt32) {
        let n = PortAccess.clampedSize(size)
        var touchedCommand = false
        var touchedBARs = false
        for i in 0..<n {
            let o = offset + i
            guard o >= 0, o < Self.size else { continue }
            let v = UInt8(truncatingIfNeeded: value >> UInt32(8 * i))
            bytes[o] = (bytes[o] & ~writeMask[o]) | (v & writeMask[o])
            bytes[o] &= ~(v & clearMask[o])
            if o == Offset.command || o == Offset.command + 1 { touchedCommand = true }
            if o >= Offset.bar0, o < Offset.bar0 + 24 { touchedBARs = true }
        }
        if touchedCommand || touchedBARs { updateDecoding(notify: true) }
        if touchedCommand { onCommandWrite?() }
    }

    // MARK: Device side

    /// The command register.
    public var command: UInt16 { UInt16(bytes[Offset.command]) | UInt16(bytes[Offset.command + 1]) << 8 }
    /// The status register.
    public var status: UInt16 { UInt16(bytes[Offset.status]) | UInt16(bytes[Offset.status + 1]) << 8 }
    /// Command bit 2: the function may master the bus (DMA).
    public var busMasterEnabled: Bool { command & Command.busMaster != 0 }
    /// Command bit 10: the function must not assert INTx.
    public var intxDisabled: Bool { command & Command.intxDisable != 0 }
    /// The interrupt line register (0x3C): the IRQ the guest believes it has.
    public var interruptLine: UInt8 { bytes[Offset.interruptLine] }

    /// Sets status bits the device raises itself (e.g. received master abort);
    /// the guest clears them by writing 1s.
    public func setStatusBits(_ bits: UInt16) {
        bytes[Offset.status] |= UInt8(truncatingIfNeeded: bits)
        bytes[Offset.status + 1] |= UInt8(truncatingIfNeeded: bits >> 8)
    }

    /// Mirrors the function's INTx level into status bit 3 (read-only to the guest).
    public func setInterruptStatus(_ asserted: Bool) {
        if asserted { bytes[Offset.status] |= UInt8(Status.interrupt) } else { bytes[Offset.status] &= ~UInt8(Status.interrupt) }
    }

    /// Opens device-specific bytes (0x40–0xFF or others) for guest writes.
    public func setWritable(offset: Int, mask: UInt8) {
        guard offset >= 0, offset < Self.size else { return }
        writeMask[offset] = mask
    }

    /// The BARs that decode now, in BAR order (for rebuilding the machine's
    /// mappings after ``restore(_:)``).
    public var mappings: [PCIBARMapping] {
        decoded.enumerated().compactMap { i, base in
            guard let base, let d = bars[i] else { return nil }
            return PCIBARMapping(bar: i, kind: d.kind, base: base, size: d.size)
        }
    }

    /// Where BAR `bar` decodes now, or nil.
    public func decodedBase(bar: Int) -> UInt32? {
        (0..<6).contains(bar) ? decoded[bar] : nil
    }

    /// PCI reset (RST#): back to the power-on contents; windows that were
    /// decoding are reported as unmapped.
    public func reset() {
        bytes = initialBytes
        updateDecoding(notify: true)
        onCommandWrite?()
    }

    // MARK: Decoding

    private func barValue(_ i: Int) -> UInt32 { read(offset: Offset.bar0 + 4 * i, size: 4) }

    /// Where BAR `i` decodes given the current command and BAR contents.
    private func decode(_ i: Int) -> UInt32? {
        guard let d = bars[i] else { return nil }
        let cmd = command
        let base = barValue(i) & ~(d.size &- 1)
        let last = UInt64(base) + UInt64(d.size) - 1
        switch d.kind {
        case .memory32:
            guard cmd & Command.memory != 0, base != 0, last < 0xFFFF_FFFF else { return nil }
        case .io:
            guard cmd & Command.io != 0, base != 0, last <= 0xFFFF else { return nil }
        }
        return base
    }

    private func updateDecoding(notify: Bool) {
        for i in 0..<6 {
            guard let d = bars[i] else { continue }
            let new = decode(i)
            let old = decoded[i]
            guard new != old else { continue }
            decoded[i] = new
            if notify {
                onBARChange?(PCIBARChange(bar: i, kind: d.kind, oldBase: old, newBase: new, size: d.size))
            }
        }
    }

    // MARK: Snapshot

    /// The 256 bytes; masks and BAR descriptors are configuration, not state.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var bytes: [UInt8]
    }

    public func snapshot() -> Snapshot { Snapshot(bytes: bytes) }

    /// Restores the bytes (a wrong-sized snapshot is padded or cut) and the
    /// decode state, without calling ``onBARChange``: the machine rebuilds its
    /// windows from ``mappings``.
    public func restore(_ snapshot: Snapshot) {
        var b = Array(snapshot.bytes.prefix(Self.size))
        if b.count < Self.size { b += initialBytes[b.count...] }
        // Read-only bits (identity, BAR type flags) come from the device, not
        // the snapshot; only guest-writable bits and device-set status bits do.
        for o in 0..<Self.size {
            var keep = writeMask[o] | clearMask[o]
            if o == Offset.status { keep |= UInt8(Status.interrupt) }
            b[o] = (initialBytes[o] & ~keep) | (b[o] & keep)
        }
        bytes = b
        updateDecoding(notify: false)
    }
}

extension PCIConfigSpace: SnapshotCapable {}
