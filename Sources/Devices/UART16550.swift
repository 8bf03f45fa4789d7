// UART16550: the PC serial port (COM1 at 0x3f8), the guest's console. A register
// state machine after the NS16550A datasheet; transmission is instantaneous (no
// baud-rate timing), received bytes wait in a host-side backlog behind the 16-byte
// receive FIFO so no input is ever lost to overrun.

/// An NS16550A UART with its 16-byte receive FIFO.
///
/// Registers (offset from `base`; DLAB = LCR bit 7):
///
/// | off | read            | write           |
/// | --- | --------------- | --------------- |
/// | 0   | RBR (DLAB: DLL) | THR (DLAB: DLL) |
/// | 1   | IER (DLAB: DLM) | IER (DLAB: DLM) |
/// | 2   | IIR             | FCR             |
/// | 3   | LCR             | LCR             |
/// | 4   | MCR             | MCR             |
/// | 5   | LSR             | (ignored)       |
/// | 6   | MSR             | (ignored)       |
/// | 7   | SCR             | SCR             |
///
/// Interrupt sources, highest priority first: receiver line status (IIR 0x06),
/// received data at the trigger level (0x04) or below it (character timeout,
/// 0x0C, reported at once since there is no timing), THR empty (0x02), modem
/// status (0x00). The THRE interrupt is the 16550's latch: set when ETBEI is
/// enabled while THR is empty and after every transmitted byte, cleared by an
/// IIR read that reports it or by a THR write. A THR write therefore drops and
/// re-raises the line, giving an edge-triggered PIC a new edge per byte.
///
/// The `irq` line is the chip's INTR gated by MCR.OUT2, as on a PC (the OUT2
/// pin enables the IRQ driver). In loopback mode the OUT2 pin is forced
/// inactive, so no IRQ reaches the PIC, also as on a PC. QEMU does not gate its
/// serial IRQ by OUT2: a guest that never sets OUT2 gets interrupts there but
/// not here.
public final class UART16550: PortDevice {
    /// Receive FIFO depth.
    public static let fifoDepth = 16
    /// Host-side backlog limit; bytes beyond it are dropped and counted.
    public static let backlogLimit = 1 << 20

    // Register bits.
    static let lsrDR: UInt8 = 0x01, lsrOE: UInt8 = 0x02, lsrTHRE: UInt8 = 0x20, lsrTEMT: UInt8 = 0x40
    static let lsrErrorBits: UInt8 = 0x1E  // OE, PE, FE, BI
    static let ierRX: UInt8 = 0x01, ierTHRE: UInt8 = 0x02, ierLine: UInt8 = 0x04, ierModem: UInt8 = 0x08
    static let mcrOUT2: UInt8 = 0x08, mcrLoop: UInt8 = 0x10
    /// Modem inputs when not in loopback: DCD, DSR and CTS asserted (a cable to
    /// a ready terminal), RI not.
    static let idleModemInputs: UInt8 = 0xB0

    /// The first of the 8 ports.
    public let base: UInt16
    private let output: (UInt8) -> Void
    private let irq: (Bool) -> Void

    private var s = Snapshot()

    /// Creates a UART at `base` (COM1 = 0x3f8). `output` receives each
    /// transmitted byte at the THR write; `irq` is called whenever the IRQ line
    /// (INTR gated by OUT2) changes level.
    public init(base: UInt16 = 0x3f8, output: @escaping (UInt8) -> Void, irq: @escaping (Bool) -> Void) {
        self.base = base
        self.output = output
        self.irq = irq
    }

    /// Level of the IRQ line as last driven.
    public var irqAsserted: Bool { s.irqLevel }
    /// Bytes waiting in the receive FIFO (or the holding register when FIFOs are off).
    public var receiveFIFOCount: Int { s.rxFIFO.count }
    /// Bytes waiting behind the FIFO on the host side.
    public var backlogCount: Int { s.backlog.count - s.backlogHead }
    /// Host bytes dropped because the backlog was full.
    public var droppedInputBytes: UInt64 { s.droppedInput }

    // MARK: Host side

    /// Queues bytes arriving on the serial line. They enter the receive FIFO as
    /// it has room (immediately, unless in loopback mode, where the serial input
    /// is disconnected) and raise RX interrupts as enabled.
    public func receive(_ bytes: [UInt8]) {
        let room = Self.backlogLimit - backlogCount
        if bytes.count > room {
            s.droppedInput &+= UInt64(bytes.count - max(room, 0))
            s.backlog.append(contentsOf: bytes.prefix(max(room, 0)))
        } else {
            s.backlog.append(contentsOf: bytes)
        }
        refillFIFO()
        updateIRQ()
    }

    // MARK: Port access

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { readRegister($0 &- base) }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        PortAccess.writeBytes(port: port, size: size, value: value) { writeRegister($0 &- base, $1) }
    }

    private var dlab: Bool { s.lcr & 0x80 != 0 }
    private var loopback: Bool { s.mcr & Self.mcrLoop != 0 }
    private var fifoCapacity: Int { s.fifoEnabled ? Self.fifoDepth : 1 }

    private func readRegister(_ offset: UInt16) -> UInt8 {
        switch offset {
        case 0:
            if dlab { return s.dll }
            return readRBR()
        case 1:
            return dlab ? s.dlm : s.ier
        case 2:
            return readIIR()
        case 3:
            return s.lcr
        case 4:
            return s.mcr
        case 5:
            return readLSR()
        case 6:
            return readMSR()
        case 7:
            return s.scr
        default:
            return 0xFF  // not ours (a wide access running past offset 7)
        }
    }

    private func writeRegister(_ offset: UInt16, _ value: UInt8) {
        switch offset {
        case 0:
            if dlab { s.dll = value } else { writeTHR(value) }
        case 1:
            if dlab { s.dlm = value } else { writeIER(value) }
        case 2:
            writeFCR(value)
        case 3:
            s.lcr = value
        case 4:
            writeMCR(value)
        case 7:
            s.scr = value
        default:
            break  // LSR/MSR writes are factory test on a 16550; others are not ours
        }
    }

    private func readRBR() -> UInt8 {
        if !s.rxFIFO.isEmpty {
            s.rbr = s.rxFIFO.removeFirst()
            refillFIFO()
            updateIRQ()
        }
        return s.rbr
    }

    private func writeTHR(_ value: UInt8) {
        // THR written: THRE and its interrupt drop...
        s.thrInterruptPending = false
        updateIRQ()
        if loopback {
            if s.rxFIFO.count < fifoCapacity {
                s.rxFIFO.append(value)
            } else {
                s.lsrErrors |= Self.lsrOE
            }
        } else {
            output(value)
        }
        // ...and the byte leaves at once: THR is empty again, and the latch is set.
        s.thrInterruptPending = true
        updateIRQ()
    }

    private func writeIER(_ value: UInt8) {
        let new = value & 0x0F
        if new & Self.ierTHRE == 0 {
            s.thrInterruptPending = false
        } else if s.ier & Self.ierTHRE == 0 {
            s.thrInterruptPending = true  // enabling ETBEI with THR empty interrupts at once
        }
        s.ier = new
        updateIRQ()
    }

    private func writeFCR(_ value: UInt8) {
        let enable = value & 0x01 != 0
        if enable != s.fifoEnabled {
            s.rxFIFO.removeAll()  // switching FIFO mode clears both FIFOs
        } else if enable, value & 0x02 != 0 {
            s.rxFIFO.removeAll()  // clear RX FIFO; clearing TX is a no-op (TX is instant)
        }
        s.fifoEnabled = enable
        if enable {
            s.triggerLevelCode = value >> 6
        }
        refillFIFO()
        updateIRQ()
    }

    private func writeMCR(_ value: UInt8) {
        let before = modemInputs
        s.mcr = value & 0x1F
        noteModemInputChange(from: before, to: modemInputs)
        refillFIFO()  // leaving loopback reconnects the serial input
        updateIRQ()
    }

    private func readIIR() -> UInt8 {
        let id = interruptID()
        if id == 0x02 {
            s.thrInterruptPending = false  // reading IIR that reports THRE clears it
            updateIRQ()
        }
        return id | (s.fifoEnabled ? 0xC0 : 0x00)
    }

    private func readLSR() -> UInt8 {
        var value = s.lsrErrors | Self.lsrTHRE | Self.lsrTEMT
        if !s.rxFIFO.isEmpty { value |= Self.lsrDR }
        if s.lsrErrors != 0 {
            s.lsrErrors = 0  // reading LSR clears OE/PE/FE/BI and the line-status interrupt
            updateIRQ()
        }
        return value
    }

    private func readMSR() -> UInt8 {
        let value = modemInputs | s.msrDeltas
        if s.msrDeltas != 0 {
            s.msrDeltas = 0
            updateIRQ()
        }
        return value
    }

    /// CTS, DSR, RI, DCD in MSR bits 4–7: fixed when connected, the MCR outputs
    /// (RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD) in loopback.
    private var modemInputs: UInt8 {
        guard loopback else { return Self.idleModemInputs }
        let m = s.mcr
        return ((m & 0x02) << 3) | ((m & 0x01) << 5) | ((m & 0x04) << 4) | ((m & 0x08) << 4)
    }

    private func noteModemInputChange(from old: UInt8, to new: UInt8) {
        let changed = old ^ new
        if changed & 0x10 != 0 { s.msrDeltas |= 0x01 }            // ΔCTS
        if changed & 0x20 != 0 { s.msrDeltas |= 0x02 }            // ΔDSR
        if old & 0x40 != 0, new & 0x40 == 0 { s.msrDeltas |= 0x04 }  // TERI: RI fell
        if changed & 0x80 != 0 { s.msrDeltas |= 0x08 }            // ΔDCD
    }

    private var triggerLevel: Int {
        switch s.triggerLevelCode & 3 {
        case 0: return 1
        case 1: return 4
        case 2: return 8
        default: return 14
        }
    }

    /// IIR bits 0–3: the highest-priority pending, enabled source, or 0x01.
    private func interruptID() -> UInt8 {
        if s.ier & Self.ierLine != 0, s.lsrErrors & Self.lsrErrorBits != 0 { return 0x06 }
        if s.ier & Self.ierRX != 0, !s.rxFIFO.isEmpty {
            return (!s.fifoEnabled || s.rxFIFO.count >= triggerLevel) ? 0x04 : 0x0C
        }
        if s.ier & Self.ierTHRE != 0, s.thrInterruptPending { return 0x02 }
        if s.ier & Self.ierModem != 0, s.msrDeltas != 0 { return 0x00 }
        return 0x01
    }

    private func refillFIFO() {
        guard !loopback else { return }
        while s.rxFIFO.count < fifoCapacity, s.backlogHead < s.backlog.count {
            s.rxFIFO.append(s.backlog[s.backlogHead])
            s.backlogHead += 1
        }
        if s.backlogHead == s.backlog.count {
            s.backlog.removeAll(keepingCapacity: true)
            s.backlogHead = 0
        } else if s.backlogHead >= 4096, s.backlogHead * 2 >= s.backlog.count {
            s.backlog.removeFirst(s.backlogHead)  // compact now and then, O(1) amortised
            s.backlogHead = 0
        }
    }

    private func updateIRQ() {
        let level = interruptID() & 0x01 == 0 && s.mcr & Self.mcrOUT2 != 0 && !loopback
        if level != s.irqLevel {
            s.irqLevel = level
            irq(level)
        }
    }

    // MARK: Snapshot

    /// Every register and queue of the UART, as plain data.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var ier: UInt8 = 0
        public var lcr: UInt8 = 0
        public var mcr: UInt8 = 0
        public var scr: UInt8 = 0
        public var dll: UInt8 = 0x0C  // 9600 baud
        public var dlm: UInt8 = 0
        /// The last byte read from RBR (what an empty RBR reads as).
        public var rbr: UInt8 = 0
        public var fifoEnabled = false
        /// FCR bits 7–6.
        public var triggerLevelCode: UInt8 = 0
        /// LSR error bits (OE, PE, FE, BI) not yet read.
        public var lsrErrors: UInt8 = 0
        /// MSR delta bits 0–3 not yet read.
        public var msrDeltas: UInt8 = 0
        /// The 16550's THRE interrupt latch.
        public var thrInterruptPending = false
        /// Receive FIFO contents, oldest first.
        public var rxFIFO: [UInt8] = []
        /// Host bytes not yet in the FIFO: `backlog[backlogHead...]`.
        public var backlog: [UInt8] = []
        public var backlogHead = 0
        public var droppedInput: UInt64 = 0
        /// The IRQ line level as last driven.
        public var irqLevel = false

        public init() {}
    }

    public func snapshot() -> Snapshot { s }

    /// Restores the state; does not call `irq` or `output`. A malformed snapshot
    /// is repaired rather than trusted (FIFO overflow moves to the backlog).
    public func restore(_ snapshot: Snapshot) {
        var r = snapshot
        r.ier &= 0x0F
        r.mcr &= 0x1F
        r.backlogHead = min(max(r.backlogHead, 0), r.backlog.count)
        let capacity = r.fifoEnabled ? Self.fifoDepth : 1
        if r.rxFIFO.count > capacity {
            let extra = r.rxFIFO[capacity...]
            r.backlog = Array(extra) + r.backlog[r.backlogHead...]
            r.backlogHead = 0
            r.rxFIFO.removeLast(r.rxFIFO.count - capacity)
        }
        s = r
    }
}

extension UART16550: SnapshotCapable {}
