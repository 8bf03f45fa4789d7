// SystemControlPortB: port 0x61 of the PC, the glue around PIT channel 2 (gate and
// output, used for speaker tones and delay calibration) and the DRAM-refresh toggle
// that old delay loops poll. Separate from the PIT so the PIT stays an 8254.

/// Port 0x61 ("system control port B").
///
/// Write: bit 0 = PIT channel 2 gate, bit 1 = speaker data enable, bits 2–3
/// (parity / channel-check enables) stored. Read: those four bits, bit 4 =
/// refresh toggle (flips every 18 PIT ticks ≈ 15.09 µs of virtual time), bit
/// 5 = PIT channel 2 OUT, bits 6–7 (NMI sources) 0. No speaker sound.
public final class SystemControlPortB: PortDevice {
    /// PIT ticks per refresh-toggle half-period.
    public static let refreshTicks: UInt64 = 18

    private let pit: PIT8254
    private var bits: UInt8 = 0

    public init(pit: PIT8254) {
        self.pit = pit
    }

    public func read(port: UInt16, size: Int) -> UInt32 {
        PortAccess.readBytes(port: port, size: size) { port in
            guard port == 0x61 else { return 0xFF }
            let refresh = (pit.currentTick() / Self.refreshTicks) & 1 != 0
            return bits | (refresh ? 0x10 : 0) | (pit.output(channel: 2) ? 0x20 : 0)
        }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        PortAccess.writeBytes(port: port, size: size, value: value) { port, byte in
            guard port == 0x61 else { return }
            bits = byte & 0x0F
            pit.setGate(channel: 2, level: byte & 0x01 != 0)
        }
    }

    // MARK: Snapshot

    /// The stored bits 0–3 (channel 2's gate is also in the PIT's snapshot).
    public struct Snapshot: Equatable, Sendable, Codable {
        public var bits: UInt8
    }

    public func snapshot() -> Snapshot { Snapshot(bits: bits) }

    /// Restores the state; does not touch the PIT.
    public func restore(_ snapshot: Snapshot) { bits = snapshot.bits & 0x0F }
}

extension SystemControlPortB: SnapshotCapable {}
