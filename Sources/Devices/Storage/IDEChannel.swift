// IDEChannel: one legacy IDE channel (the PIIX3's primary: command block
// 0x1F0-0x1F7, control 0x3F6, IRQ 14) with an ATA hard disk as master and no
// slave, as QEMU's `-drive file=disk.img,format=raw,if=ide`. This file holds
// the registers, port decoding, the interrupt line and reset; IDECommands.swift
// executes commands and moves PIO data; IDEBusMaster.swift is the PIIX
// bus-master DMA engine. Register layout: ATARegisters.swift.
//
// Commands complete synchronously inside the `out` to the command register
// (the model has no seek or rotation time); the interrupt is raised then, and
// the guest sees it after that instruction, as it would a fast disk's.
//
// Behaviour taken from QEMU's hw/ide/core.c so a driver written against QEMU
// works unchanged: a status read with the absent slave selected (or no disk at
// all) returns 0; writes to the command block other than the command register
// are ignored while BSY or DRQ; commands are ignored while BSY or DRQ and when
// the absent slave is selected; an out-of-range LBA or a failed host I/O aborts
// the command with ERR and error ABRT; the device/head register reads back
// with bits 7 and 5 set.

/// The primary IDE channel and its master disk. See the file comment.
public final class IDEChannel: PortDevice, SnapshotCapable {
    /// The PIO data phase in progress.
    public enum Phase: String, Equatable, Sendable, Codable {
        /// Device → host: IDENTIFY or READ data waiting in the buffer.
        case dataIn
        /// Host → device: the buffer fills with WRITE data.
        case dataOut
    }

    /// A multi-sector PIO command in progress.
    public struct Transfer: Equatable, Sendable, Codable {
        public var phase: Phase
        /// Sector the current buffer belongs to (unused for IDENTIFY).
        public var lba: UInt64
        /// Sectors still to move, including the current buffer's.
        public var remaining: Int
        /// Sectors per DRQ block (1, or the multiple count).
        public var blockSectors: Int
        /// True for the EXT (LBA48) commands: the task file is updated as LBA48.
        public var lba48: Bool
        /// True for IDENTIFY: no sectors behind the buffer.
        public var identify: Bool
    }

    /// Every guest-visible register and the transfer state.
    public struct State: Equatable, Sendable, Codable {
        public var features: UInt8 = 0, hobFeatures: UInt8 = 0
        public var count: UInt8 = 1, hobCount: UInt8 = 0
        public var lbaLow: UInt8 = 1, hobLbaLow: UInt8 = 0
        public var lbaMid: UInt8 = 0, hobLbaMid: UInt8 = 0
        public var lbaHigh: UInt8 = 0, hobLbaHigh: UInt8 = 0
        /// Device/head as last written, with bits 7 and 5 forced on.
        public var device: UInt8 = ATA.Device.obsolete
        public var status: UInt8 = ATA.Status.drdy | ATA.Status.dsc
        public var error: UInt8 = ATA.ErrorBit.diagnosticPassed
        public var control: UInt8 = 0
        /// INTRQ requested (the line is this AND NOT nIEN).
        public var irqPending = false
        public var multipleSectors = ATA.maxMultipleSectors
        public var writeCache = true
        public var geometry: ATAGeometry
        public var transfer: Transfer?
        /// The current DRQ block and how far the guest has got in it.
        public var buffer: [UInt8] = []
        public var bufferPos = 0
        public var counters = IDECounters()
        /// The PIIX bus-master registers (IDEBusMaster.swift); kept across SRST.
        public var busMaster = IDEBusMasterRegisters()
        /// A DMA command waiting for the bus master's start bit.
        public var pendingDMA: IDEPendingDMA?
        /// Transfer mode chosen with SET FEATURES 03h (count register), 0 = default.
        public var transferMode: UInt8 = 0
    }

    public typealias Snapshot = State

    /// Where the command block and the control register are.
    public let commandBase: UInt16
    public let controlPort: UInt16
    var s: State
    /// The master disk's sectors (nil: no disk; the channel answers like an empty one).
    public private(set) var disk: (any BlockBackend)?
    private let irq: (Bool) -> Void
    private var irqLevel = false
    /// Bus-master DMA's view of guest memory (nil when not RAM); set by the machine.
    public var dmaRead: ((UInt64, Int) -> [UInt8]?)?
    public var dmaWrite: ((UInt64, [UInt8]) -> Bool)?
    /// Whether the IDE function may master the bus (PCI command bit 2).
    public var dmaAllowed: (() -> Bool)?

    /// `irq` drives the channel's interrupt line (IRQ 14 for the primary).
    public init(commandBase: UInt16 = 0x1F0, controlPort: UInt16 = 0x3F6, irq: @escaping (Bool) -> Void) {
        self.commandBase = commandBase
        self.controlPort = controlPort
        self.irq = irq
        s = State(geometry: ATAGeometry(sectors: 0))
    }

    /// Attaches `backend` as the master disk and resets the channel.
    public func attach(_ backend: any BlockBackend) {
        disk = backend
        s.geometry = ATAGeometry(sectors: backend.sectorCount)
        reset()
    }

    /// Registers, for tests and the debugger.
    public var state: State { s }
    public var counters: IDECounters { s.counters }
    /// The INTRQ line's level.
    public var interruptLine: Bool { irqLevel }

    // MARK: Ports

    public func read(port: UInt16, size: Int) -> UInt32 {
        if port == commandBase { return readData(size: size) }
        return PortAccess.readBytes(port: port, size: size) { readRegister($0) }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        if port == commandBase { writeData(size: size, value: value); return }
        PortAccess.writeBytes(port: port, size: size, value: value) { writeRegister($0, $1) }
    }

    /// True if the selected device is the master disk (the slave never exists).
    var masterSelected: Bool { s.device & ATA.Device.dev == 0 }
    var present: Bool { disk != nil && masterSelected }
    var hob: Bool { s.control & ATA.Control.hob != 0 }

    func readRegister(_ port: UInt16) -> UInt8 {
        if port == controlPort { return present ? s.status : 0 }
        guard port >= commandBase, port <= commandBase &+ 7 else { return 0xFF }
        switch port - commandBase {
        case ATA.Reg.data: return 0xFF
        case ATA.Reg.error: return present ? (hob ? s.hobFeatures : s.error) : 0
        case ATA.Reg.sectorCount: return hob ? s.hobCount : s.count
        case ATA.Reg.lbaLow: return hob ? s.hobLbaLow : s.lbaLow
        case ATA.Reg.lbaMid: return hob ? s.hobLbaMid : s.lbaMid
        case ATA.Reg.lbaHigh: return hob ? s.hobLbaHigh : s.lbaHigh
        case ATA.Reg.device: return disk == nil ? 0 : s.device
        default:
            setIRQ(false)
            return present ? s.status : 0
        }
    }

    func writeRegister(_ port: UInt16, _ v: UInt8) {
        if port == controlPort { writeControl(v); return }
        guard port >= commandBase, port <= commandBase &+ 7 else { return }
        let reg = port - commandBase
        if reg != ATA.Reg.command, s.status & (ATA.Status.bsy | ATA.Status.drq) != 0 {
            s.counters.ignoredWrites &+= 1
            return
        }
        if reg != ATA.Reg.command { s.control &= ~ATA.Control.hob }
        switch reg {
        case ATA.Reg.features: s.hobFeatures = s.features; s.features = v
        case ATA.Reg.sectorCount: s.hobCount = s.count; s.count = v
        case ATA.Reg.lbaLow: s.hobLbaLow = s.lbaLow; s.lbaLow = v
        case ATA.Reg.lbaMid: s.hobLbaMid = s.lbaMid; s.lbaMid = v
        case ATA.Reg.lbaHigh: s.hobLbaHigh = s.lbaHigh; s.lbaHigh = v
        case ATA.Reg.device: s.device = v | ATA.Device.obsolete
        default: command(v)
        }
    }

    /// Device control: nIEN gates INTRQ; SRST held high keeps the device busy,
    /// and its falling edge resets it (signature in the task file, error 01).
    func writeControl(_ v: UInt8) {
        let wasReset = s.control & ATA.Control.srst != 0
        s.control = v
        if v & ATA.Control.srst != 0 {
            if !wasReset {
                s.transfer = nil; s.buffer = []; s.bufferPos = 0; s.pendingDMA = nil
                s.status = ATA.Status.bsy | ATA.Status.dsc
                s.irqPending = false
                s.counters.softResets &+= 1
            }
        } else if wasReset {
            reset(keepControl: true)
        }
        updateLine()
    }

    /// Power-on / soft reset: the ATA disk signature (count 1, LBA 1/0/0),
    /// diagnostic code 01, DRDY, multiple count back to 16.
    public func reset(keepControl: Bool = false) {
        let control = keepControl ? s.control : 0
        let counters = s.counters, geometry = s.geometry, busMaster = s.busMaster, mode = s.transferMode
        s = State(geometry: geometry)
        s.counters = counters
        s.control = control
        s.busMaster = busMaster
        s.transferMode = mode
        updateLine()
    }

    // MARK: Interrupt line

    /// Requests (true) or withdraws (false) an interrupt.
    func setIRQ(_ on: Bool) {
        s.irqPending = on
        if on {
            s.counters.interrupts &+= 1
            s.busMaster.status |= BM.interrupt   // the PIIX latches every INTRQ in BMISTA
        }
        updateLine()
    }

    func updateLine() {
        let level = s.irqPending && s.control & ATA.Control.nIEN == 0
        if level != irqLevel {
            irqLevel = level
            irq(level)
        }
    }

    // MARK: Snapshot

    public func snapshot() -> State { s }

    /// Restores registers and the transfer state. The disk contents are the
    /// backend's and are not part of the snapshot (see BlockBackend.swift).
    public func restore(_ snapshot: State) {
        s = snapshot
        irqLevel = s.irqPending && s.control & ATA.Control.nIEN == 0
    }
}

/// What the channel has done (diagnostics; part of the snapshot so replays compare equal).
public struct IDECounters: Equatable, Sendable, Codable {
    public var commands: UInt64 = 0
    public var aborted: UInt64 = 0
    public var sectorsRead: UInt64 = 0
    public var sectorsWritten: UInt64 = 0
    public var flushes: UInt64 = 0
    public var interrupts: UInt64 = 0
    public var softResets: UInt64 = 0
    /// Register writes dropped because the device was BSY or had DRQ set.
    public var ignoredWrites: UInt64 = 0
    /// Out-of-range LBAs seen (the command was aborted).
    public var outOfRange: UInt64 = 0
    /// Host I/O errors and writes refused by a read-only disk.
    public var ioErrors: UInt64 = 0
    /// The last command byte issued.
    public var lastCommand: UInt8 = 0
    /// Bus-master DMA transfers completed, and those that failed (PRD table, memory, bus master off).
    public var dmaTransfers: UInt64 = 0
    public var dmaErrors: UInt64 = 0
    public init() {}
}
