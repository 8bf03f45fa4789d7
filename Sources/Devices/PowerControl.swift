// PowerControl: the ACPI PM1a control register of QEMU's PIIX4 power management
// (port 0x604, 16 bits). Writing SLP_EN with SLP_TYP 0 (QEMU's \_S5) is how a
// guest powers the machine off.

/// PM1a_CNT: bit 13 SLP_EN (write-only, reads 0), bits 12–10 SLP_TYP,
/// bit 0 SCI_EN and the rest stored as written.
///
/// A write with SLP_EN set and SLP_TYP = 0 calls `onPowerOff` (soft off, S5).
/// SLP_EN with another SLP_TYP (sleep states) is recorded in
/// ``lastSleepType`` and otherwise ignored. Ports `base` and `base + 1` are
/// the low and high bytes; a byte write replaces one byte of the register
/// and is then evaluated like a 16-bit write, so `outb(0x20, 0x605)` powers
/// off too. Other ports of a wide access are ignored.
public final class PowerControl: PortDevice {
    static let sleepEnable: UInt16 = 1 << 13

    /// Port of the register's low byte (QEMU PIIX4: PM base 0x600 + 4).
    public let base: UInt16
    private let onPowerOff: () -> Void
    private var value: UInt16 = 0
    /// SLP_TYP of the last write with SLP_EN set, or nil.
    public private(set) var lastSleepType: UInt8?

    public init(base: UInt16 = 0x604, onPowerOff: @escaping () -> Void) {
        self.base = base
        self.onPowerOff = onPowerOff
    }

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { port in
            switch port &- base {
            case 0: return UInt8(truncatingIfNeeded: value)
            case 1: return UInt8(truncatingIfNeeded: value >> 8)
            default: return 0xFF
            }
        }
    }

    public func write(port: UInt16, size: Int, value newValue: UInt32) {
        var register = value  // current contents, SLP_EN already clear
        var touched = false
        PortAccess.writeBytes(port: port, size: size, value: newValue) { port, byte in
            switch port &- base {
            case 0: register = (register & 0xFF00) | UInt16(byte); touched = true
            case 1: register = (register & 0x00FF) | UInt16(byte) << 8; touched = true
            default: break
            }
        }
        guard touched else { return }
        value = register & ~Self.sleepEnable
        if register & Self.sleepEnable != 0 {
            let type = UInt8((register >> 10) & 7)
            lastSleepType = type
            if type == 0 { onPowerOff() }
        }
    }

    // MARK: Snapshot

    public struct Snapshot: Equatable, Sendable, Codable {
        /// The register without SLP_EN.
        public var value: UInt16
        public var lastSleepType: UInt8?
    }

    public func snapshot() -> Snapshot { Snapshot(value: value, lastSleepType: lastSleepType) }

    /// Restores the state; does not call `onPowerOff`.
    public func restore(_ snapshot: Snapshot) {
        value = snapshot.value & ~Self.sleepEnable
        lastSleepType = snapshot.lastSleepType.map { $0 & 7 }
    }
}

extension PowerControl: SnapshotCapable {}
