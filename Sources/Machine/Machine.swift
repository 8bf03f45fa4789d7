// The PC-like machine: CPU + RAM + port bus + devices, the virtual-time run
// loop that interleaves the CPU with timer events, and Multiboot booting.
//
// Time only moves with the CPU's modeled cycle counter. The loop runs the CPU
// up to the next device event (the PIT's next IRQ0 edge), lets the devices catch
// up, and repeats; a HLT skips straight to the next event. Nothing here reads the
// host clock, so a run is a pure function of image, options and input.

import Core
import Devices
import ELF

/// How to build a machine.
public struct MachineConfig: Sendable {
    /// Guest RAM in MiB.
    public var memoryMiB: Int = 128
    public var costs = CostModel.default
    public var tlb = TLBConfig.default
    /// Echo serial output to the host's stdout as it is produced.
    public var echoSerial = true
    /// The network (an e1000 and the LAN peer by default, like QEMU's default NIC).
    public var network: NetworkMode = .peer
    /// Modeled latency of the LAN peer's replies (default: 10 µs of modeled time).
    public var netLatencyCycles: UInt64? = nil
    /// The LAN peer's TCP endpoints: a sink on port 5001 by default, optionally a source.
    public var peerTCP = PeerTCPOptions()
    public init() {}
}

/// How a machine run ended.
public enum MachineExit: Sendable, Equatable {
    /// The guest wrote `value` to the ISA debug-exit port; `status` is QEMU's (value<<1)|1.
    case debugExit(value: UInt32, status: Int32)
    /// The guest powered off through ACPI PM1a (SLP_EN, S5).
    case powerOff
    /// The CPU triple-faulted (a PC would reset).
    case tripleFault(TripleFaultReport)
    /// The guest halted with nothing left that could wake it.
    case hang(String)
    /// The instruction budget ran out.
    case instructionLimit
    /// A breakpoint was hit (debugger).
    case breakpoint(UInt32)
    /// A data watchpoint was hit (debugger).
    case watchpoint(WatchHit)
    /// Someone asked the machine to stop (debugger, signal).
    case stopped
}

public final class Machine: PortIO, InterruptAcknowledge {
    public let config: MachineConfig
    public let memory: PhysicalMemory
    public let cpu: CPU
    public let bus = PortBus()
    public private(set) var pic: PIC8259Pair!
    public private(set) var pit: PIT8254!
    public private(set) var uart: UART16550!
    public private(set) var debugExit: DebugExit!
    public private(set) var power: PowerControl!
    public private(set) var cmos = CMOS()
    public private(set) var portB: SystemControlPortB!
    public let pci = PCIBus()
    /// The PIIX3 IDE function's primary channel (0x1F0-0x1F7, 0x3F6, IRQ 14); a disk
    /// is attached with ``attachDisk(_:)``.
    public private(set) var ide: IDEChannel!
    /// The IDE function (00:01.1) and the bus-master window behind its BAR4.
    var ideFunction: BoardFunction?
    var ideBusMaster: IDEBusMaster?
    public internal(set) var nic: E1000?
    public internal(set) var peer: NetPeer?
    /// The libslirp backend of `--net user` (nil otherwise).
    public internal(set) var hostNet: SlirpBackend?
    /// Why `--net user` could not start (the machine then has a NIC with no cable).
    public internal(set) var networkSetupError: SlirpSetupError?
    var mmioBridge: MMIOBridge?
    var boardFunctions: [BoardFunction] = []
    var pcap: PcapWriter?

    /// Everything the guest wrote to COM1.
    public internal(set) var serialOutput: [UInt8] = []
    /// Host-side sink for serial bytes (stdout by default when echoing).
    public var serialSink: ((UInt8) -> Void)?

    var exitRequest: MachineExit?

    /// Polled at every timer event for host bytes to feed COM1 (e.g. stdin).
    /// Input arrives at event boundaries only, so a run without input stays deterministic.
    public var inputSource: (() -> [UInt8])?

    public init(config: MachineConfig = MachineConfig()) {
        self.config = config
        memory = PhysicalMemory(size: config.memoryMiB << 20)
        cpu = CPU(memory: memory, costs: config.costs, tlb: config.tlb)
        let cps = config.costs.cyclesPerSecond
        pic = PIC8259Pair { [unowned self] level in self.cpu.setINTR(level) }
        pit = PIT8254(cyclesPerSecond: cps, now: { [unowned self] in self.cpu.cycles },
                      irq0: { [unowned self] level in self.pic.setIRQ(0, level: level) })
        uart = UART16550(base: 0x3F8, output: { [unowned self] b in self.serialByte(b) },
                         irq: { [unowned self] level in self.pic.setIRQ(4, level: level) })
        debugExit = DebugExit { [unowned self] status in
            self.requestExit(.debugExit(value: UInt32(bitPattern: status) >> 1, status: status))
        }
        power = PowerControl { [unowned self] in self.requestExit(.powerOff) }
        portB = SystemControlPortB(pit: pit)
        bus.map(0x20...0x21, to: pic)
        bus.map(0xA0...0xA1, to: pic)
        bus.map(0x4D0...0x4D1, to: pic)
        bus.map(0x40...0x43, to: pit)
        bus.map(0x61...0x61, to: portB)
        bus.map(0x70...0x71, to: cmos)
        bus.map(0x3F8...0x3FF, to: uart)
        bus.map(0xF4...0xF7, to: debugExit)
        bus.map(0x604...0x605, to: power)
        ide = makeIDEChannel()
        attachPCIAndNetwork()
        cpu.io = self
        cpu.pic = self
        if config.echoSerial { serialSink = { SerialEcho.stdout($0) } }
    }

    func serialByte(_ b: UInt8) {
        serialOutput.append(b)
        serialSink?(b)
    }

    /// The serial output as text (invalid UTF-8 replaced).
    public var serialText: String { String(decoding: serialOutput, as: UTF8.self) }

    func requestExit(_ e: MachineExit) {
        if exitRequest == nil { exitRequest = e }
        cpu.requestStop()
    }

    /// Ask a running machine to stop at the next instruction boundary.
    public func stop() { requestExit(.stopped) }

    // MARK: PortIO / InterruptAcknowledge (called by the CPU)

    public func portRead(_ port: UInt16, size: Int) -> UInt32 {
        bus.read(port: port, size: size)
    }

    public func portWrite(_ port: UInt16, size: Int, value: UInt32) {
        bus.write(port: port, size: size, value: value)
        // A device may have scheduled an earlier event (e.g. the PIT was programmed).
        if let next = nextDeviceEvent() { cpu.limitRun(toCycle: next) }
    }

    public func acknowledgeInterrupt() -> UInt8 { pic.acknowledge() }

    // MARK: Booting

    /// Apply a Multiboot boot plan: write its bytes into RAM and set up the CPU
    /// the way a Multiboot loader hands over (flat protected mode, paging off).
    public func load(_ plan: BootPlan) throws(MachineError) {
        for s in plan.segments {
            guard memory.write(s.bytes, at: s.address) else {
                throw .doesNotFit("\(s.label) at 0x\(hex(s.address)) (\(s.bytes.count) bytes)")
            }
        }
        for z in plan.zeroFill {
            guard memory.fill(0, at: z.address, count: Int(z.length)) else {
                throw .doesNotFit("zero fill at 0x\(hex(z.address)) (\(z.length) bytes)")
            }
        }
        cpu.resetFlat()
        cpu[.eax] = plan.eax
        cpu[.ebx] = plan.ebx
        cpu.eip = plan.entry
    }

    // MARK: Running

    /// Run until the guest exits, hangs, faults fatally, or `maxInstructions` more instructions.
    public func run(maxInstructions: UInt64 = .max) -> MachineExit {
        let limit = maxInstructions == .max ? UInt64.max : cpu.instructions &+ maxInstructions
        while true {
            if let e = exitRequest { exitRequest = nil; return e }
            if let src = inputSource {
                let bytes = src()
                if !bytes.isEmpty { uart.receive(bytes) }
            }
            pollHostNetwork()
            let next = nextDeviceEvent() ?? .max
            let budget = limit == .max ? UInt64.max : limit &- cpu.instructions
            let r = cpu.run(untilCycle: next, maxInstructions: budget)
            advanceDevices()
            if let e = exitRequest { exitRequest = nil; return e }
            switch r {
            case .deadline:
                continue
            case .stopRequested:
                // Someone asked the CPU directly (a debugger hook): stop here.
                return .stopped
            case .halted:
                if hostNet != nil {
                    // User networking: wait for host sockets in wall-clock time (never "hang").
                    idleWithHostNetwork()
                    continue
                }
                guard let wake = nextDeviceEvent() else {
                    return .hang("CPU halted with interrupts enabled but no timer or device event pending")
                }
                cpu.advanceIdle(to: wake)
                advanceDevices()
            case .haltedForever:
                return .hang("CPU halted with interrupts disabled (cli; hlt)")
            case .instructionLimit:
                return .instructionLimit
            case .tripleFault(let report):
                return .tripleFault(report)
            case .breakpoint(let a):
                return .breakpoint(a)
            case .watchpoint(let hit):
                return .watchpoint(hit)
            case .exception(let v, let c):
                return .tripleFault(TripleFaultReport(faults: [Fault(v, c)], eip: cpu.eip, cr2: cpu.cr2, cr3: cpu.cr3))
            }
        }
    }

    /// Feed bytes to COM1's receiver (host keyboard or a script).
    public func sendSerialInput(_ bytes: [UInt8]) { uart.receive(bytes) }
}

/// Errors applying a boot plan.
public enum MachineError: Error, CustomStringConvertible, Equatable, Sendable {
    case doesNotFit(String)
    public var description: String {
        switch self {
        case .doesNotFit(let what): return "does not fit in guest RAM: \(what)"
        }
    }
}

func hex(_ v: UInt32) -> String { String(v, radix: 16) }
