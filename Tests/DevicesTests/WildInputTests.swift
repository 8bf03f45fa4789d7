// Wild guest input: every device, wired through one PortBus, takes a long seeded
// stream of random port accesses (odd sizes, any value, any port), IRQ line
// changes, INTAs, serial input and time jumps. Nothing may trap; the same seed
// must give the same final state.

import Testing
@testable import Devices

@Suite struct WildInputTests {
    /// All devices on one bus, the way a PC maps them.
    final class Board {
        let clock = Clock()
        let bus = PortBus()
        var pic: PIC8259Pair!
        var pit: PIT8254!
        var uart: UART16550!
        var port61: SystemControlPortB!
        let cmos = CMOS()
        var exits: [Int32] = []
        var powerOffs = 0
        var serialOut: [UInt8] = []
        var debugExit: DebugExit!
        var power: PowerControl!

        init(cyclesPerSecond: UInt64) {
            pic = PIC8259Pair(intr: { _ in })
            pit = PIT8254(cyclesPerSecond: cyclesPerSecond, now: { [unowned clock] in clock.cycles },
                          irq0: { [unowned self] in self.pic.setIRQ(0, level: $0) })
            uart = UART16550(output: { [unowned self] in self.serialOut.append($0) },
                             irq: { [unowned self] in self.pic.setIRQ(4, level: $0) })
            port61 = SystemControlPortB(pit: pit)
            debugExit = DebugExit(onExit: { [unowned self] in self.exits.append($0) })
            power = PowerControl(onPowerOff: { [unowned self] in self.powerOffs += 1 })
            bus.map(0x20...0x21, to: pic); bus.map(0xA0...0xA1, to: pic); bus.map(0x4D0...0x4D1, to: pic)
            bus.map(0x40...0x43, to: pit)
            bus.map(0x61...0x61, to: port61)
            bus.map(0x70...0x71, to: cmos)
            bus.map(0x3F8...0x3FF, to: uart)
            bus.map(0xF4...0xF7, to: debugExit)
            bus.map(0x604...0x605, to: power)
        }

        struct State: Equatable {
            var pic: PIC8259Pair.Snapshot, pit: PIT8254.Snapshot, uart: UART16550.Snapshot
            var cmos: CMOS.Snapshot, port61: SystemControlPortB.Snapshot, bus: PortBus.Snapshot
            var power: PowerControl.Snapshot, exit: DebugExit.Snapshot
            var serialOut: [UInt8], clock: UInt64, reads: UInt64
        }
    }

    static let interestingPorts: [UInt16] = [
        0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x70, 0x71,
        0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF, 0xF4, 0x604, 0x605, 0x80,
    ]

    static func hammer(seed: UInt64, steps: Int) -> Board.State {
        var rng = SplitMix64(seed: seed)
        let cps = [UInt64(1), 1_000, 1_193_182, 33_333_333, 4_000_000_000][Int(rng.next() % 5)]
        let board = Board(cyclesPerSecond: cps)
        var readSum: UInt64 = 0
        for _ in 0..<steps {
            let r = rng.next()
            let port: UInt16 = r & 7 == 0
                ? UInt16(truncatingIfNeeded: r >> 16)
                : interestingPorts[Int((r >> 16) % UInt64(interestingPorts.count))]
            let size = Int((r >> 40) % 12) - 3         // -3 ... 8
            let value = UInt32(truncatingIfNeeded: rng.next())
            switch (r >> 8) % 16 {
            case 0..<6:
                readSum &+= UInt64(board.bus.read(port: port, size: size))
            case 6..<12:
                if (0xF4...0xF7).contains(port) || (0x604...0x605).contains(port) { continue }  // exits: below
                board.bus.write(port: port, size: size, value: value)
            case 12:
                board.pic.setIRQ(Int(Int8(truncatingIfNeeded: value)) % 20, level: value & 0x100 != 0)
                readSum &+= UInt64(board.pic.acknowledge())
            case 13:
                board.uart.receive((0..<Int(value % 40)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            case 14:
                // Time: small steps, event-to-event, or huge jumps towards the end of 64 bits.
                switch value % 4 {
                case 0: board.clock.cycles &+= UInt64(value % 5_000)
                case 1: if let next = board.pit.nextEventCycle() { board.clock.cycles = max(board.clock.cycles, next) }
                case 2: board.clock.cycles = max(board.clock.cycles, board.clock.cycles &+ (rng.next() >> (value % 64)))
                default: board.clock.cycles &+= 1
                }
                board.pit.advance(to: board.clock.cycles)
            default:
                board.pit.setGate(channel: Int(value % 5) - 1, level: value & 0x10 != 0)
                readSum &+= board.pit.output(channel: Int(value % 5) - 1) ? 1 : 0
            }
        }
        // Exits with wild values too.
        board.bus.write(port: 0xF4, size: 4, value: UInt32(truncatingIfNeeded: rng.next()))
        board.bus.write(port: 0x604, size: 2, value: 0x2000)
        #expect(board.exits.count == 1 && board.powerOffs == 1)
        return Board.State(pic: board.pic.snapshot(), pit: board.pit.snapshot(), uart: board.uart.snapshot(),
                           cmos: board.cmos.snapshot(), port61: board.port61.snapshot(), bus: board.bus.snapshot(),
                           power: board.power.snapshot(), exit: board.debugExit.snapshot(),
                           serialOut: board.serialOut, clock: board.clock.cycles, reads: readSum)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 0xDEAD_BEEF, 0x5EED_0F_F00D])
    func randomStreamNeverTrapsAndIsDeterministic(seed: UInt64) {
        let first = Self.hammer(seed: seed, steps: 100_000)
        let second = Self.hammer(seed: seed, steps: 100_000)
        #expect(first == second)
    }

    @Test func everyPortEverySizeReadAndWritten() {
        let board = Board(cyclesPerSecond: 1_193_182)
        for port in 0...0xFFFF {
            for size in [1, 2, 4] {
                if (0xF4...0xF7).contains(port) || (0x604...0x605).contains(port) { continue }
                _ = board.bus.read(port: UInt16(port), size: size)
                board.bus.write(port: UInt16(port), size: size, value: 0xFFFF_FFFF)
                _ = board.bus.read(port: UInt16(port), size: size)
            }
        }
        board.clock.cycles = .max
        board.pit.advance(to: .max)
        _ = board.pit.nextEventCycle()
        _ = board.bus.read(port: 0x40, size: 4)
    }

    @Test func restoringSnapshotsMidStreamReplaysTheRest() {
        // Snapshot every device after a warm-up, continue, restore, continue again.
        let board = Board(cyclesPerSecond: 33_333_333)
        board.bus.write(port: 0x43, size: 1, value: 0x34)
        board.bus.write(port: 0x40, size: 1, value: 0x9C)
        board.bus.write(port: 0x40, size: 1, value: 0x2E)
        board.pic.programLikeBIOS(mask: 0xFFEE)
        board.bus.write(port: 0x3F9, size: 1, value: 0x03)
        board.bus.write(port: 0x3FC, size: 1, value: 0x08)
        board.uart.receive(Array("hello".utf8))
        let saved = (board.pic.snapshot(), board.pit.snapshot(), board.uart.snapshot(), board.clock.cycles)
        func run() -> [UInt32] {
            var trace: [UInt32] = []
            var rng = SplitMix64(seed: 42)
            for _ in 0..<5_000 {
                if let next = board.pit.nextEventCycle(), next <= board.clock.cycles + 20_000 {
                    board.clock.cycles = next
                } else {
                    board.clock.cycles += 20_000
                }
                board.pit.advance(to: board.clock.cycles)
                if board.pic.intrAsserted {
                    let vector = board.pic.acknowledge()
                    trace.append(UInt32(vector))
                    if vector == 0x0C { trace.append(board.bus.read(port: 0x3FA, size: 1)) }
                    if vector == 0x0C { trace.append(board.bus.read(port: 0x3F8, size: 1)) }
                    board.bus.write(port: 0x20, size: 1, value: 0x20)
                }
                if rng.next() % 50 == 0 { board.bus.write(port: 0x3F8, size: 1, value: 0x2E) }
                trace.append(board.bus.read(port: 0x40, size: 1))
            }
            return trace
        }
        let first = run()
        #expect(first.contains(0x08) && first.contains(0x0C))
        board.pic.restore(saved.0)
        board.pit.restore(saved.1)
        board.uart.restore(saved.2)
        board.clock.cycles = saved.3
        #expect(run() == first)
    }
}
