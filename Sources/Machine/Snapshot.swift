// Machine snapshots: CPU, RAM and every device, as plain data. A fault-injection
// campaign boots once, snapshots, and restores before each trial; restoring
// reproduces the original run exactly from that point.

import Core
import Devices

public struct MachineSnapshot: Sendable {
    public var cpu: CPUSnapshot
    public var ram: [UInt8]
    public var pic: PIC8259Pair.Snapshot
    public var pit: PIT8254.Snapshot
    public var uart: UART16550.Snapshot
    public var debugExit: DebugExit.Snapshot
    public var power: PowerControl.Snapshot
    public var cmos: CMOS.Snapshot
    public var portB: SystemControlPortB.Snapshot
    public var bus: PortBus.Snapshot
    public var serialOutput: [UInt8]
    public var pci: PCIBus.Snapshot
    public var nic: E1000.Snapshot?
    public var peer: NetPeer.Snapshot?
    public var board: [PCIConfigSpace.Snapshot]
    /// The IDE controller's registers and sector buffer. The disk's contents are
    /// its backend's and are NOT in the snapshot (use an OverlayBlockBackend per trial).
    public var ide: IDEChannel.Snapshot
}

extension Machine {
    public func snapshot() -> MachineSnapshot {
        MachineSnapshot(cpu: cpu.snapshot(), ram: memory.copyRAM(), pic: pic.snapshot(), pit: pit.snapshot(),
                        uart: uart.snapshot(), debugExit: debugExit.snapshot(), power: power.snapshot(),
                        cmos: cmos.snapshot(), portB: portB.snapshot(), bus: bus.snapshot(),
                        serialOutput: serialOutput, pci: pci.snapshot(), nic: nic?.snapshot(), peer: peer?.snapshot(),
                        board: boardFunctions.map { $0.configSpace.snapshot() }, ide: ide.snapshot())
    }

    /// Restore a snapshot taken from a machine with the same configuration.
    public func restore(_ s: MachineSnapshot) {
        memory.restoreRAM(s.ram)
        pic.restore(s.pic); pit.restore(s.pit); uart.restore(s.uart)
        debugExit.restore(s.debugExit); power.restore(s.power); cmos.restore(s.cmos)
        portB.restore(s.portB); bus.restore(s.bus)
        pci.restore(s.pci)
        if let nic, let ns = s.nic {
            // Restoring calls no callbacks: move the BAR windows by hand.
            for m in nic.configSpace.mappings { unmapWindow(m) }
            nic.restore(ns)
            for m in nic.configSpace.mappings { mapWindow(m, nic) }
        }
        if let peer, let ps = s.peer { peer.restore(ps) }
        if let f = ideFunction, let bm = ideBusMaster {
            // Restoring calls no callbacks: move the bus-master window by hand.
            for m in f.configSpace.mappings { unmapBusMaster(m.base, bm) }
        }
        for (f, b) in zip(boardFunctions, s.board) { f.configSpace.restore(b) }
        if let f = ideFunction, let bm = ideBusMaster {
            for m in f.configSpace.mappings { mapBusMaster(m.base, bm) }
        }
        ide.restore(s.ide)
        cpu.restore(s.cpu)
        serialOutput = s.serialOutput
        exitRequest = nil
    }
}

extension Machine {
    func unmapWindow(_ m: PCIBARMapping) {
        switch m.kind {
        case .memory32: memory.unmapMMIO(start: m.base)
        case .io: if m.base <= 0xFFFF { bus.unmap(UInt16(m.base)...UInt16(min(0xFFFF, m.base + m.size - 1))) }
        }
    }

    func mapWindow(_ m: PCIBARMapping, _ nic: E1000) {
        switch m.kind {
        case .memory32:
            if let b = mmioBridge, Int(m.base) >= memory.size { memory.mapMMIO(start: m.base, length: m.size, name: "e1000", handler: b) }
        case .io:
            if m.base >= 0x1000, m.base + m.size - 1 <= 0xFFFF { bus.map(UInt16(m.base)...UInt16(m.base + m.size - 1), to: nic) }
        }
    }
}
