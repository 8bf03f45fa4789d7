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
}

extension Machine {
    public func snapshot() -> MachineSnapshot {
        MachineSnapshot(cpu: cpu.snapshot(), ram: memory.copyRAM(), pic: pic.snapshot(), pit: pit.snapshot(),
                        uart: uart.snapshot(), debugExit: debugExit.snapshot(), power: power.snapshot(),
                        cmos: cmos.snapshot(), portB: portB.snapshot(), bus: bus.snapshot(),
                        serialOutput: serialOutput)
    }

    /// Restore a snapshot taken from a machine with the same configuration.
    public func restore(_ s: MachineSnapshot) {
        memory.restoreRAM(s.ram)
        pic.restore(s.pic); pit.restore(s.pit); uart.restore(s.uart)
        debugExit.restore(s.debugExit); power.restore(s.power); cmos.restore(s.cmos)
        portB.restore(s.portB); bus.restore(s.bus)
        cpu.restore(s.cpu)
        serialOutput = s.serialOutput
        exitRequest = nil
    }
}
