// Snapshots are plain data: each survives a JSON round trip unchanged, so a
// campaign runner can store a post-boot state and replay from it later.

import Foundation
import Testing
@testable import Devices

@Suite struct SnapshotCodingTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> Bool {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value)) == value
    }

    @Test func everySnapshotRoundTripsThroughJSON() throws {
        let clock = Clock()
        let pic = PIC8259Pair(intr: { _ in })
        let pit = PIT8254(cyclesPerSecond: 50_000_000, now: { clock.cycles }, irq0: { pic.setIRQ(0, level: $0) })
        let uart = UART16550(output: { _ in }, irq: { pic.setIRQ(4, level: $0) })
        pic.programLikeBIOS()
        pit.programLikeBIOS()
        pit.outb(0x43, 0xB6); pit.outb(0x42, 0x34); pit.outb(0x42, 0x12)
        pit.outb(0x43, 0x00)  // pending latch (an Optional field)
        clock.cycles = 123_456_789
        pit.advance(to: clock.cycles)
        uart.outb(0x3FA, 0xC1)
        uart.receive(Array(0..<50))
        let bus = PortBus()
        _ = bus.read(port: 0x1234, size: 2)
        let exit = DebugExit(onExit: { _ in })
        exit.write(port: 0xF4, size: 1, value: 9)
        let power = PowerControl(onPowerOff: {})
        power.write(port: 0x604, size: 2, value: 0x2401)

        #expect(try roundTrip(pic.snapshot()))
        #expect(try roundTrip(pit.snapshot()))
        #expect(try roundTrip(uart.snapshot()))
        #expect(try roundTrip(bus.snapshot()))
        #expect(try roundTrip(bus.postPort.snapshot()))
        #expect(try roundTrip(exit.snapshot()))
        #expect(try roundTrip(power.snapshot()))
        #expect(try roundTrip(CMOS().snapshot()))
        #expect(try roundTrip(SystemControlPortB(pit: pit).snapshot()))
    }
}
