// E1000: an Intel 82540EM gigabit Ethernet controller ("e1000") as QEMU's
// `-device e1000` presents it — PCI function 8086:100E with a 128 KiB memory
// BAR of registers, a 64-byte I/O BAR (IOADDR/IODATA), INTx pin A — modelled as
// a register state machine. DMA, the interrupt line and the cable are injected;
// the model has no timers and never reads the host clock.
//
// Files: E1000Registers (offsets, bits, register file), E1000RegisterAccess
// (MMIO and I/O BAR dispatch), E1000EEPROM, E1000PHY, E1000Transmit (TX ring),
// E1000Receive (RX ring, address filter), E1000Delivery (the deterministic
// network → guest queue), this file (identity, interrupts, reset, DMA
// accounting, snapshot).

/// What the model counts beyond the guest-visible statistics registers. All
/// diagnostics: none of it is guest-visible.
public struct E1000Counters: Equatable, Sendable, Codable {
    /// Frames handed to the backend (or looped back).
    public var framesSent: UInt64 = 0
    /// Frames written into the receive ring.
    public var framesReceived: UInt64 = 0
    /// Frames dropped because the receiver was off (RCTL.EN clear, link down or bus mastering disabled).
    public var rxDroppedDisabled: UInt64 = 0
    /// Frames the address filter rejected (not for this station).
    public var rxDroppedFiltered: UInt64 = 0
    /// Frames dropped for lack of free receive descriptors (ICR.RXO raised).
    public var rxDroppedNoDescriptors: UInt64 = 0
    /// Frames dropped as too long (RCTL.LPE clear) or absurdly long.
    public var rxDroppedOversize: UInt64 = 0
    /// Frames dropped because the delivery queue was full.
    public var rxDroppedQueueFull: UInt64 = 0
    /// Transmit frames dropped (TCP segmentation requested, empty, DMA failure).
    public var txDropped: UInt64 = 0
    /// Descriptors of a kind the model does not implement, skipped.
    public var txUnsupportedDescriptors: UInt64 = 0
    /// Guest DMA addresses refused (outside guest RAM, or bus mastering disabled).
    public var dmaErrors: UInt64 = 0
    /// The most recent refused DMA, in words.
    public var lastDMAError: String?
    /// Rings programmed inconsistently (zero length, head or tail out of range).
    public var ringErrors: UInt64 = 0
    /// The most recent ring inconsistency, in words.
    public var lastRingError: String?

    public init() {}
}

/// The 82540EM model. See the file comment for what lives where.
///
/// Interrupts: INTx is level-triggered and asserted while `ICR & IMS != 0`
/// (and the PCI command register does not disable INTx); `irq` is called on
/// every change of that level. Causes raised: TXDW (descriptor written back),
/// TXQE (transmit ring processed), LSC (link change / autonegotiation done),
/// RXDMT0 (free receive descriptors at the RDMTS threshold), RXO (receive
/// overrun), RXT0 (frame received), MDAC (MDIC with I set). There is no
/// interrupt moderation: RDTR, RADV, TADV and ITR are stored and ignored, so
/// every cause asserts the line at once (QEMU delays by ITR/RADV/TADV; a
/// driver cannot tell the difference except by timing).
///
/// Machine wiring, in short: attach to a ``PCIBus`` at slot 3; map and unmap
/// BAR0 (MMIO, 128 KiB) and BAR1 (I/O, 64 ports) from
/// ``PCIConfigSpace/onBARChange``; `irq` drives PIC line 11, which must be
/// level-triggered (ELCR 0x4D1 bit 3, as SeaBIOS sets it); `dmaRead`/`dmaWrite`
/// copy guest RAM and refuse anything outside it; the backend's answers go
/// through ``queueForDelivery(_:atCycle:)`` and the run loop calls
/// ``deliverPending(upToCycle:)`` (see E1000Delivery.swift).
public final class E1000: PCIFunction, MMIODevice, PortDevice {
    /// QEMU's BAR0 for e1000 in slot 3 of `pc` (SeaBIOS, 7.2, `-m 128`), as observed.
    public static let firmwareMMIOBase: UInt32 = 0xFEBC_0000
    /// QEMU's I/O BAR for it.
    public static let firmwareIOBase: UInt16 = 0xC000
    /// The PIIX routing of slot 3 INTA# under SeaBIOS (PIRQD → IRQ 11, level, ELCR bit set).
    public static let firmwareIRQLine: UInt8 = 11
    /// Size of the memory BAR.
    public static let mmioSize: UInt32 = E1000Reg.mmioSize
    /// Size of the I/O BAR.
    public static let ioSize: UInt32 = E1000Reg.ioSize

    public let configSpace: PCIConfigSpace

    /// Reads `count` bytes of guest physical memory; nil if any byte is outside RAM.
    /// The NIC never passes a range that wraps past 2^64 (so `address + count` is safe).
    let dmaRead: (_ address: UInt64, _ count: Int) -> [UInt8]?
    /// Writes guest physical memory; false (nothing written) if any byte is outside RAM.
    let dmaWrite: (_ address: UInt64, _ bytes: [UInt8]) -> Bool
    let irq: (Bool) -> Void

    /// Where transmitted frames go. Held strongly: a backend that answers into
    /// this NIC must capture it weakly or unowned.
    public var backend: NetBackend?
    /// Sees every frame in both directions (a capture); `toGuest` frames are
    /// seen as they reach the NIC, before its address filter.
    public var tap: ((_ frame: [UInt8], _ direction: NetDirection) -> Void)?
    /// Called with the due cycle whenever a frame is queued for delivery, so the
    /// machine can end its current run slice there (see ``queueForDelivery(_:atCycle:)``).
    public var onDeliveryScheduled: ((UInt64) -> Void)?

    var s: Snapshot

    /// A NIC with `mac` in its EEPROM (QEMU's default 52:54:00:12:34:56), in
    /// its power-on state: PCI command 0, BARs unassigned (see
    /// ``programLikeFirmware(mmioBase:ioBase:irqLine:enableBusMaster:)``).
    public init(mac: MACAddress = .qemuDefault,
                dmaRead: @escaping (_ address: UInt64, _ count: Int) -> [UInt8]?,
                dmaWrite: @escaping (_ address: UInt64, _ bytes: [UInt8]) -> Bool,
                irq: @escaping (Bool) -> Void) {
        configSpace = PCIConfigSpace(vendorID: 0x8086, deviceID: 0x100E, revision: 0x03, classCode: 0x02_00_00,
                                     interruptPin: 1,
                                     bars: [PCIBARDescriptor(kind: .memory32, size: E1000Reg.mmioSize),
                                            PCIBARDescriptor(kind: .io, size: E1000Reg.ioSize)])
        self.dmaRead = dmaRead
        self.dmaWrite = dmaWrite
        self.irq = irq
        s = Snapshot(pci: configSpace.snapshot(), regs: E1000Registers(), eeprom: E1000EEPROM(mac: mac),
                     phy: E1000PHY(), tx: E1000TXState(), pending: [], irqLevel: false, counters: E1000Counters())
        loadMACFromEEPROM()
        configSpace.onCommandWrite = { [unowned self] in self.updateIRQ() }
    }

    /// Assigns the BARs, interrupt line and command register the way SeaBIOS
    /// leaves them under QEMU 7.2 (`-device e1000,romfile=` in slot 3):
    /// BAR0 = 0xFEBC0000, BAR1 = 0xC000 (I/O), interrupt line 11, command
    /// 0x0103 (I/O + memory decoding + SERR#). Bus mastering stays off, as
    /// under SeaBIOS: the guest driver enables it (Linux: pci_set_master).
    /// Goes through normal config writes, so ``PCIConfigSpace/onBARChange``
    /// fires: set it first.
    /// `enableBusMaster: true` also sets command bit 2, for guests that never
    /// enable it themselves (they would not work under QEMU).
    public func programLikeFirmware(mmioBase: UInt32 = firmwareMMIOBase, ioBase: UInt16 = firmwareIOBase,
                                    irqLine: UInt8 = firmwareIRQLine, enableBusMaster: Bool = false) {
        configSpace.write(offset: PCIConfigSpace.Offset.bar0, size: 4, value: mmioBase)
        configSpace.write(offset: PCIConfigSpace.Offset.bar0 + 4, size: 4, value: UInt32(ioBase))
        configSpace.write(offset: PCIConfigSpace.Offset.interruptLine, size: 1, value: UInt32(irqLine))
        configSpace.write(offset: PCIConfigSpace.Offset.command, size: 2, value: enableBusMaster ? 0x0107 : 0x0103)
    }

    // MARK: State for callers

    /// The INTx level as last driven.
    public var irqAsserted: Bool { s.irqLevel }
    /// Diagnostics counters.
    public var counters: E1000Counters { s.counters }
    /// The station address in the EEPROM.
    public var mac: MACAddress { s.eeprom.mac }
    /// The register file (read-only view, for tools and tests).
    public var registers: E1000Registers { s.regs }
    /// STATUS.LU.
    public var linkUp: Bool { s.regs.status & E1000Reg.statusLU != 0 }

    /// Plugs or unplugs the cable: STATUS.LU and the PHY status follow, and a
    /// change raises LSC.
    public func setLink(up: Bool) {
        let old = s.regs.status
        if up { s.regs.status |= E1000Reg.statusLU } else { s.regs.status &= ~E1000Reg.statusLU }
        s.phy.setLink(up: up)
        if old != s.regs.status { raise(E1000Reg.icrLSC) }
    }

    /// Device reset, as by CTRL.RST (and power-on, with `phy: true`): every
    /// MAC register back to its reset value, RAL0/RAH0 reloaded from the
    /// EEPROM, partial transmit state dropped. The PCI configuration space, the
    /// EEPROM contents, the link state and frames still on the wire (the
    /// delivery queue) are kept.
    ///
    /// QEMU 7.2 only clears the RST bit and resets nothing; a driver that
    /// re-initialises after reset (as drivers must) sees no difference.
    public func reset(phy resetPHY: Bool = false) {
        let link = linkUp
        s.regs = E1000Registers()
        s.tx = E1000TXState()
        s.eeprom.resetInterface()
        if resetPHY { s.phy = E1000PHY() }
        if !link {
            s.regs.status &= ~E1000Reg.statusLU
            s.phy.setLink(up: false)
        }
        loadMACFromEEPROM()
        updateIRQ()
    }

    private func loadMACFromEEPROM() {
        let m = s.eeprom.mac.bytes
        s.regs.ra[0] = UInt32(m[0]) | UInt32(m[1]) << 8 | UInt32(m[2]) << 16 | UInt32(m[3]) << 24
        s.regs.ra[1] = UInt32(m[4]) | UInt32(m[5]) << 8 | E1000Reg.rahAV
    }

    // MARK: Interrupts

    /// Sets interrupt causes (as an ICS write does) and re-drives INTx.
    func raise(_ causes: UInt32) {
        s.regs.icr |= causes
        updateIRQ()
    }

    func updateIRQ() {
        let pending = s.regs.icr & s.regs.ims != 0
        configSpace.setInterruptStatus(pending)
        let level = pending && !configSpace.intxDisabled
        if level != s.irqLevel {
            s.irqLevel = level
            irq(level)
        }
    }

    // MARK: DMA with accounting

    /// Reads guest memory for the device; refusals are counted, described and
    /// flagged in PCI status (received master abort), never trusted.
    func fetch(_ address: UInt64, _ count: Int, _ what: @autoclosure () -> String) -> [UInt8]? {
        guard configSpace.busMasterEnabled else {
            noteDMAError("\(what()) at 0x\(String(address, radix: 16)): bus mastering is disabled (PCI command bit 2)")
            return nil
        }
        guard count >= 0, address <= UInt64.max - UInt64(count),
              let bytes = dmaRead(address, count), bytes.count == count else {
            noteDMAError("\(what()) at 0x\(String(address, radix: 16)) (\(count) bytes) is outside guest RAM")
            configSpace.setStatusBits(PCIConfigSpace.Status.receivedMasterAbort)
            return nil
        }
        return bytes
    }

    /// Writes guest memory for the device, with the same accounting.
    @discardableResult
    func store(_ address: UInt64, _ bytes: [UInt8], _ what: @autoclosure () -> String) -> Bool {
        guard configSpace.busMasterEnabled else {
            noteDMAError("\(what()) at 0x\(String(address, radix: 16)): bus mastering is disabled (PCI command bit 2)")
            return false
        }
        guard address <= UInt64.max - UInt64(bytes.count), dmaWrite(address, bytes) else {
            noteDMAError("\(what()) at 0x\(String(address, radix: 16)) (\(bytes.count) bytes) is outside guest RAM")
            configSpace.setStatusBits(PCIConfigSpace.Status.receivedMasterAbort)
            return false
        }
        return true
    }

    private func noteDMAError(_ message: String) {
        s.counters.dmaErrors &+= 1
        s.counters.lastDMAError = message
    }

    func noteRingError(_ message: String) {
        s.counters.ringErrors &+= 1
        s.counters.lastRingError = message
    }

    // MARK: Snapshot

    /// Everything the NIC holds, as plain data.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var pci: PCIConfigSpace.Snapshot
        public var regs: E1000Registers
        public var eeprom: E1000EEPROM
        public var phy: E1000PHY
        public var tx: E1000TXState
        /// Frames on the wire towards the guest, in delivery order.
        public var pending: [E1000PendingFrame]
        /// The INTx level as last driven.
        public var irqLevel: Bool
        public var counters: E1000Counters
    }

    public func snapshot() -> Snapshot {
        var copy = s
        copy.pci = configSpace.snapshot()
        return copy
    }

    /// Restores the state without calling `irq`, `backend`, `tap` or the
    /// config space's `onBARChange` (the machine re-maps from
    /// ``PCIConfigSpace/mappings``). A malformed snapshot is repaired, not trusted.
    public func restore(_ snapshot: Snapshot) {
        var r = snapshot
        func fit<T>(_ a: [T], _ n: Int, _ fill: T) -> [T] { Array((a + [T](repeating: fill, count: max(0, n - a.count))).prefix(n)) }
        r.regs.ra = fit(r.regs.ra, E1000Reg.raCount, 0)
        r.regs.mta = fit(r.regs.mta, E1000Reg.mtaCount, 0)
        r.regs.vfta = fit(r.regs.vfta, E1000Reg.vftaCount, 0)
        r.regs.stats = fit(r.regs.stats, E1000Reg.statsCount, 0)
        r.regs.plain = zip(E1000Reg.plainOffsets, fit(r.regs.plain, E1000Reg.plainOffsets.count, 0)).map { off, v in
            let p = E1000Reg.plain[off] ?? (mask: 0, initial: 0)
            return (v & p.mask) | (p.initial & ~p.mask)
        }
        r.regs.rdlen &= 0xF_FF80
        r.regs.tdlen &= 0xF_FF80
        r.regs.rdh &= 0xFFFF; r.regs.rdt &= 0xFFFF; r.regs.tdh &= 0xFFFF; r.regs.tdt &= 0xFFFF
        r.regs.ioAddress &= (E1000Reg.mmioSize - 1) & ~3
        r.eeprom.words = fit(r.eeprom.words, E1000EEPROM.wordCount, 0xFFFF)
        r.phy.regs = fit(r.phy.regs, 32, 0)
        if r.tx.frame.count > E1000TXState.maxFrame { r.tx.frame.removeLast(r.tx.frame.count - E1000TXState.maxFrame) }
        if r.pending.count > Self.pendingLimit { r.pending.removeLast(r.pending.count - Self.pendingLimit) }
        r.pending = r.pending.enumerated()  // stable: keeps order among equal cycles
            .sorted { ($0.element.dueCycle, $0.offset) < ($1.element.dueCycle, $1.offset) }.map(\.element)
        configSpace.restore(r.pci)
        r.pci = configSpace.snapshot()
        s = r
    }
}

extension E1000: SnapshotCapable {}
