// PIC8259: the PC's two cascaded 8259A interrupt controllers (master 0x20/0x21,
// slave 0xA0/0xA1 on master IRQ2) and the PIIX edge/level control registers (ELCR,
// 0x4D0/0x4D1). Turns 16 IRQ lines into the CPU's INTR and the INTA vector.

/// The master/slave 8259A pair of a PC/AT with the PIIX ELCR.
///
/// Ports: 0x20/0xA0 (command: ICW1, OCW2, OCW3; read IRR or ISR or poll),
/// 0x21/0xA1 (data: ICW2–ICW4 during initialisation, then OCW1 = IMR),
/// 0x4D0/0x4D1 (ELCR: per line, 1 = level-triggered).
///
/// Supported: the full ICW1–ICW4 sequence (vector base, single/cascade,
/// ICW4 optional, auto-EOI, special fully nested mode), OCW1 masking, OCW2
/// non-specific/specific EOI, rotate on EOI, rotate in auto-EOI and set
/// priority (real rotation), OCW3 IRR/ISR read select, poll command and
/// special mask mode, spurious IRQ 7 / IRQ 15 vectors.
///
/// Not modelled: ICW1.LTIM (the PIIX ignores it; trigger mode comes from the
/// ELCR only), ICW3 (the slave is always wired to master IR2, as on a PC),
/// buffered mode and 8080 mode (ICW4 bit 0) — accepted and ignored.
///
/// Edge-triggered lines latch IRR on a rising edge and keep it until INTA,
/// even if the line falls first (a raise-then-lower pulse is enough). Level
/// lines' IRR follows the line. The slave's INTR is master IR2's level.
/// IRQ2 itself is the cascade input: `setIRQ(2, …)` is ignored.
public final class PIC8259Pair: PortDevice {
    /// One 8259A's registers and mode bits.
    public struct ChipState: Equatable, Sendable, Codable {
        public var irr: UInt8 = 0
        public var isr: UInt8 = 0
        public var imr: UInt8 = 0
        /// ICW2 & 0xF8.
        public var vectorBase: UInt8 = 0
        /// 0 = initialised (data port writes are OCW1); 2, 3, 4 = next ICW expected.
        public var initStep: UInt8 = 0
        public var needICW4 = false
        public var singleMode = false
        public var icw3: UInt8 = 0
        public var autoEOI = false
        public var rotateOnAutoEOI = false
        public var specialFullyNested = false
        public var specialMask = false
        /// OCW3: command-port reads return ISR (true) or IRR (false).
        public var readISR = false
        /// OCW3 poll command armed: the next read is a poll.
        public var poll = false
        /// The line with the highest priority (0 = fixed priority, IRQ0 highest).
        public var priorityBase: UInt8 = 0
        /// ELCR bits for this chip's lines (1 = level-triggered).
        public var elcr: UInt8 = 0

        public init() {}
    }

    /// Lines whose ELCR bit may be set (PIIX: not 0, 1, 2, 8, 13).
    static let elcrMask: (master: UInt8, slave: UInt8) = (0xF8, 0xDE)

    private var master = ChipState()
    private var slave = ChipState()
    /// The level currently on each input line 0–15.
    private var lines: UInt16 = 0
    private var intrLevel = false
    private let intr: (Bool) -> Void

    /// `intr` is called whenever the INTR output to the CPU changes level.
    public init(intr: @escaping (Bool) -> Void) {
        self.intr = intr
    }

    /// The INTR output: an unmasked request outranks everything in service.
    public var intrAsserted: Bool { intrLevel }

    /// Sets the chips as a PC BIOS leaves them: master vectors at
    /// `masterBase`, slave at `slaveBase`, IMR bits from `mask` (bit n = IRQ n),
    /// fixed priority, normal EOI. For machines booted without a BIOS.
    public func programLikeBIOS(masterBase: UInt8 = 0x08, slaveBase: UInt8 = 0x70, mask: UInt16 = 0xFFFB) {
        for (port, base, icw3) in [(UInt16(0x20), masterBase, UInt8(0x04)), (UInt16(0xA0), slaveBase, UInt8(0x02))] {
            writeByte(port, 0x11)
            writeByte(port + 1, base)
            writeByte(port + 1, icw3)
            writeByte(port + 1, 0x01)
        }
        writeByte(0x21, UInt8(truncatingIfNeeded: mask))
        writeByte(0xA1, UInt8(truncatingIfNeeded: mask >> 8))
    }

    // MARK: Lines and INTA

    /// Drives input line `line` (0–15) to `level`. Out-of-range lines and the
    /// cascade line 2 are ignored.
    public func setIRQ(_ line: Int, level: Bool) {
        guard (0..<16).contains(line), line != 2 else { return }
        let bit = UInt16(1) << UInt16(line)
        let wasHigh = lines & bit != 0
        if level { lines |= bit } else { lines &= ~bit }
        let chipBit = UInt8(1) << UInt8(line & 7)
        if line < 8 {
            Self.latch(&master, bit: chipBit, level: level, wasHigh: wasHigh)
        } else {
            Self.latch(&slave, bit: chipBit, level: level, wasHigh: wasHigh)
        }
        update()
    }

    private static func latch(_ chip: inout ChipState, bit: UInt8, level: Bool, wasHigh: Bool) {
        if chip.elcr & bit != 0 {
            if level { chip.irr |= bit } else { chip.irr &= ~bit }
        } else if level, !wasHigh {
            chip.irr |= bit
        }
    }

    /// The INTA cycle: returns the vector for the highest-priority request and
    /// moves it from IRR to ISR (unless auto-EOI). With nothing to deliver, the
    /// master answers IRQ 7's vector without setting ISR (spurious IRQ 7); if
    /// the master picked the cascade but the slave has nothing, the slave
    /// answers IRQ 15's vector (spurious IRQ 15; the master's ISR bit 2 is set
    /// and needs an EOI, as on real hardware).
    public func acknowledge() -> UInt8 {
        defer { update() }
        guard let line = Self.pending(master, isMaster: true) else {
            return master.vectorBase | 7
        }
        Self.acknowledge(&master, line: line)
        guard line == 2, !master.singleMode else {
            return master.vectorBase | UInt8(line)
        }
        guard let slaveLine = Self.pending(slave, isMaster: false) else {
            return slave.vectorBase | 7
        }
        Self.acknowledge(&slave, line: slaveLine)
        return slave.vectorBase | UInt8(slaveLine)
    }

    // MARK: Priority logic

    /// Priority rank (0 = highest) of the best set bit in `bits`, or nil.
    private static func bestRank(_ bits: UInt8, base: UInt8) -> Int? {
        guard bits != 0 else { return nil }
        // Rotate so that `base` becomes bit 0; the lowest set bit is then the best.
        let b = base & 7
        let rotated = (bits >> b) | (bits << ((8 &- b) & 7))
        return rotated.trailingZeroBitCount
    }

    /// The line this chip would deliver now, or nil.
    private static func pending(_ chip: ChipState, isMaster: Bool) -> Int? {
        guard let request = bestRank(chip.irr & ~chip.imr, base: chip.priorityBase) else { return nil }
        var inService = chip.isr
        if chip.specialMask { inService &= ~chip.imr }
        if isMaster, chip.specialFullyNested { inService &= ~0x04 }
        if let busy = bestRank(inService, base: chip.priorityBase), busy <= request { return nil }
        return (request + Int(chip.priorityBase)) & 7
    }

    private static func acknowledge(_ chip: inout ChipState, line: Int) {
        let bit = UInt8(1) << UInt8(line)
        if chip.elcr & bit == 0 { chip.irr &= ~bit }  // edge: consumed; level: follows the line
        if chip.autoEOI {
            if chip.rotateOnAutoEOI { chip.priorityBase = UInt8((line + 1) & 7) }
        } else {
            chip.isr |= bit
        }
    }

    /// Recomputes the cascade (slave INTR → master IR2) and INTR.
    private func update() {
        if Self.pending(slave, isMaster: false) != nil { master.irr |= 0x04 } else { master.irr &= ~0x04 }
        let level = Self.pending(master, isMaster: true) != nil
        if level != intrLevel {
            intrLevel = level
            intr(level)
        }
    }

    // MARK: Port access

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { readByte($0) }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        PortAccess.writeBytes(port: port, size: size, value: value) { writeByte($0, $1) }
    }

    private func readByte(_ port: UInt16) -> UInt8 {
        switch port {
        case 0x20:
            let value = readCommand(&master, isMaster: true)
            update()
            return value
        case 0x21: return master.imr
        case 0xA0:
            let value = readCommand(&slave, isMaster: false)
            update()
            return value
        case 0xA1: return slave.imr
        case 0x4D0: return master.elcr
        case 0x4D1: return slave.elcr
        default: return 0xFF
        }
    }

    private func writeByte(_ port: UInt16, _ value: UInt8) {
        switch port {
        case 0x20: writeCommand(&master, value, isMaster: true)
        case 0x21: writeData(&master, value)
        case 0xA0: writeCommand(&slave, value, isMaster: false)
        case 0xA1: writeData(&slave, value)
        case 0x4D0: writeELCR(&master, value & Self.elcrMask.master, lineLevels: UInt8(truncatingIfNeeded: lines))
        case 0x4D1: writeELCR(&slave, value & Self.elcrMask.slave, lineLevels: UInt8(truncatingIfNeeded: lines >> 8))
        default: return
        }
        update()
    }

    /// Command-port read; the caller runs `update()` afterwards (a poll acknowledges).
    private func readCommand(_ chip: inout ChipState, isMaster: Bool) -> UInt8 {
        if chip.poll {
            chip.poll = false
            guard let line = Self.pending(chip, isMaster: isMaster) else { return 0 }
            Self.acknowledge(&chip, line: line)
            return 0x80 | UInt8(line)
        }
        return chip.readISR ? chip.isr : chip.irr
    }

    private func writeCommand(_ chip: inout ChipState, _ value: UInt8, isMaster: Bool) {
        if value & 0x10 != 0 {
            // ICW1: reset and start the initialisation sequence.
            let elcr = chip.elcr
            let lineLevels = UInt8(truncatingIfNeeded: isMaster ? lines : lines >> 8)
            chip = ChipState()
            chip.elcr = elcr
            chip.irr = lineLevels & elcr  // edge sense reset; level lines still request
            chip.needICW4 = value & 0x01 != 0
            chip.singleMode = value & 0x02 != 0
            chip.initStep = 2
        } else if value & 0x08 != 0 {
            // OCW3.
            if value & 0x02 != 0 { chip.readISR = value & 0x01 != 0 }
            chip.poll = value & 0x04 != 0
            if value & 0x40 != 0 { chip.specialMask = value & 0x20 != 0 }
        } else {
            writeOCW2(&chip, value)
        }
    }

    private func writeOCW2(_ chip: inout ChipState, _ value: UInt8) {
        let level = Int(value & 7)
        switch value >> 5 {
        case 0b001, 0b101:  // non-specific EOI, rotate on non-specific EOI
            guard let rank = Self.bestRank(chip.isr, base: chip.priorityBase) else { return }
            let line = (rank + Int(chip.priorityBase)) & 7
            chip.isr &= ~(UInt8(1) << UInt8(line))
            if value >> 5 == 0b101 { chip.priorityBase = UInt8((line + 1) & 7) }
        case 0b011:  // specific EOI
            chip.isr &= ~(UInt8(1) << UInt8(level))
        case 0b111:  // rotate on specific EOI
            chip.isr &= ~(UInt8(1) << UInt8(level))
            chip.priorityBase = UInt8((level + 1) & 7)
        case 0b110:  // set priority: `level` becomes lowest
            chip.priorityBase = UInt8((level + 1) & 7)
        case 0b100:
            chip.rotateOnAutoEOI = true
        case 0b000:
            chip.rotateOnAutoEOI = false
        default:  // 0b010: no operation
            break
        }
    }

    private func writeData(_ chip: inout ChipState, _ value: UInt8) {
        switch chip.initStep {
        case 2:
            chip.vectorBase = value & 0xF8
            chip.initStep = chip.singleMode ? (chip.needICW4 ? 4 : 0) : 3
        case 3:
            chip.icw3 = value
            chip.initStep = chip.needICW4 ? 4 : 0
        case 4:
            chip.autoEOI = value & 0x02 != 0
            chip.specialFullyNested = value & 0x10 != 0
            chip.initStep = 0
        default:
            chip.imr = value  // OCW1
        }
    }

    private func writeELCR(_ chip: inout ChipState, _ value: UInt8, lineLevels: UInt8) {
        let newlyLevel = value & ~chip.elcr
        chip.elcr = value
        // A line switched to level mode requests exactly while it is high.
        chip.irr = (chip.irr & ~newlyLevel) | (lineLevels & newlyLevel)
    }

    // MARK: Snapshot

    /// Both chips, the input line levels and the INTR level.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var master: ChipState
        public var slave: ChipState
        /// Input line levels, bit n = IRQ n.
        public var lines: UInt16
        public var intr: Bool
    }

    public func snapshot() -> Snapshot {
        Snapshot(master: master, slave: slave, lines: lines, intr: intrLevel)
    }

    /// Restores the state; does not call `intr` (the CPU side restores its own
    /// copy of the line).
    public func restore(_ snapshot: Snapshot) {
        master = snapshot.master
        slave = snapshot.slave
        master.elcr &= Self.elcrMask.master
        slave.elcr &= Self.elcrMask.slave
        if master.initStep > 4 || master.initStep == 1 { master.initStep = 0 }
        if slave.initStep > 4 || slave.initStep == 1 { slave.initStep = 0 }
        lines = snapshot.lines & ~0x0004
        intrLevel = snapshot.intr
    }
}

extension PIC8259Pair: SnapshotCapable {}
