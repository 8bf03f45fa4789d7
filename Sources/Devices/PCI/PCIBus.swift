// PCIBus: PCI configuration mechanism #1 (ports 0xCF8 CONFIG_ADDRESS and
// 0xCFC–0xCFF CONFIG_DATA) for bus 0, with an Intel 440FX host bridge at
// 00:00.0 like QEMU's `pc` machine and the functions the machine attaches.
//
// CONFIG_ADDRESS (0xCF8, 32-bit accesses only):
//
//   31   30..24    23..16   15..11   10..8     7..2      1..0
//  +---+---------+--------+--------+--------+----------+----+
//  | E | reserved|  bus   | device |function| register | 00 |
//  +---+---------+--------+--------+--------+----------+----+
//
// With E set, CONFIG_DATA at 0xCFC + k reaches byte k of the selected dword;
// 1-, 2- and 4-byte accesses work, clipped at the end of the dword. Anything
// not present (E clear, bus != 0, an empty slot, a function a single-function
// device lacks) reads as all ones and ignores writes, as under QEMU 7.2.

/// The host bridge of QEMU's `pc` machine: Intel 82441FX (440FX), 8086:1237 rev 02.
///
/// Only the type 0 header is modelled; the chipset registers (PAM, SMRAM, …)
/// read as 0 and ignore writes.
public final class PCIHostBridge: PCIFunction {
    public let configSpace = PCIConfigSpace(vendorID: 0x8086, deviceID: 0x1237, revision: 0x02,
                                            classCode: 0x06_00_00)
    public init() {}
}

/// PCI bus 0 behind configuration mechanism #1. A `PortDevice` for 0xCF8–0xCFF.
public final class PCIBus: PortDevice {
    public static let addressPort: UInt16 = 0xCF8
    public static let dataPort: UInt16 = 0xCFC

    /// The host bridge at 00:00.0.
    public let hostBridge = PCIHostBridge()

    /// Functions by (slot, function); slot 0 function 0 is the host bridge.
    private var functions: [Int: PCIFunction] = [:]
    private var configAddress: UInt32 = 0

    public init() {
        functions[0] = hostBridge
    }

    private static func key(_ slot: Int, _ function: Int) -> Int { slot << 3 | function }

    /// Attaches `function` at 00:`slot`.`function` (slot 1–31, function 0–7),
    /// replacing whatever was there. Machine configuration: out-of-range slots
    /// are a programming error.
    public func attach(_ device: PCIFunction, slot: Int, function: Int = 0) {
        precondition((0..<32).contains(slot) && (0..<8).contains(function), "PCIBus: no slot \(slot).\(function)")
        precondition(slot != 0 || function != 0, "PCIBus: 00:00.0 is the host bridge")
        functions[Self.key(slot, function)] = device
    }

    /// The function at 00:`slot`.`function`, if any.
    public func function(slot: Int, function: Int = 0) -> PCIFunction? {
        functions[Self.key(slot, function)]
    }

    /// The selected function and register offset, if CONFIG_ADDRESS selects a
    /// present function on bus 0.
    private func selected() -> (PCIConfigSpace, Int)? {
        let a = configAddress
        guard a & 0x8000_0000 != 0, (a >> 16) & 0xFF == 0 else { return nil }
        let slot = Int((a >> 11) & 0x1F), fn = Int((a >> 8) & 0x7)
        guard let f = functions[Self.key(slot, fn)] else { return nil }
        if fn != 0 {
            // A function other than 0 exists only if function 0 says it is multi-function.
            guard let f0 = functions[Self.key(slot, 0)],
                  f0.configSpace.read(offset: PCIConfigSpace.Offset.headerType, size: 1) & 0x80 != 0 else { return nil }
        }
        return (f.configSpace, Int(a & 0xFC))
    }

    // MARK: Port access

    public func read(port: UInt16, size: Int) -> UInt32 {
        let n = PortAccess.clampedSize(size)
        switch port {
        case Self.addressPort:
            return n == 4 ? configAddress : PortAccess.mask(n)
        case Self.dataPort...(Self.dataPort + 3):
            let k = Int(port - Self.dataPort)
            let width = min(n, 4 - k)
            guard let (space, reg) = selected() else { return PortAccess.mask(n) }
            let value = space.read(offset: reg + k, size: width)
            // Bytes of a wide access beyond the dword float high.
            return width == n ? value : value | (PortAccess.mask(n) & ~PortAccess.mask(width))
        default:
            return PortAccess.mask(n)  // 0xCF9–0xCFB: not ours (reset control is not modelled)
        }
    }

    public func write(port: UInt16, size: Int, value: UInt32) {
        let n = PortAccess.clampedSize(size)
        switch port {
        case Self.addressPort:
            if n == 4 { configAddress = value }
        case Self.dataPort...(Self.dataPort + 3):
            let k = Int(port - Self.dataPort)
            guard let (space, reg) = selected() else { return }
            space.write(offset: reg + k, size: min(n, 4 - k), value: value)
        default:
            break
        }
    }

    /// Programs the host bridge as SeaBIOS leaves it under QEMU 7.2 (command
    /// 0x0103: I/O, memory, SERR#). Devices program themselves (e.g.
    /// ``E1000/programLikeFirmware(mmioBase:ioBase:irqLine:enableBusMaster:)``).
    public func programLikeFirmware() {
        hostBridge.configSpace.write(offset: PCIConfigSpace.Offset.command, size: 2, value: 0x0103)
    }

    // MARK: Snapshot

    /// CONFIG_ADDRESS and the host bridge's config space; attached devices
    /// snapshot their own config spaces.
    public struct Snapshot: Equatable, Sendable, Codable {
        public var configAddress: UInt32
        public var hostBridge: PCIConfigSpace.Snapshot
    }

    public func snapshot() -> Snapshot {
        Snapshot(configAddress: configAddress, hostBridge: hostBridge.configSpace.snapshot())
    }

    public func restore(_ snapshot: Snapshot) {
        configAddress = snapshot.configAddress
        hostBridge.configSpace.restore(snapshot.hostBridge)
    }
}

extension PCIBus: SnapshotCapable {}
