// Tests for PortBus: dispatch, unmapped ports, the port 0x80 sink, size masking.

import Testing
@testable import Devices

/// Remembers the last access and answers with a fixed value.
final class ProbeDevice: PortDevice {
    var lastRead: (port: UInt16, size: Int)?
    var lastWrite: (port: UInt16, size: Int, value: UInt32)?
    var answer: UInt32 = 0xDEAD_BEEF
    func read(port: UInt16, size: Int) -> UInt32 {
        lastRead = (port, size)
        return answer
    }
    func write(port: UInt16, size: Int, value: UInt32) { lastWrite = (port, size, value) }
}

@Suite struct PortBusTests {
    @Test func dispatchesToMappedDeviceAndMasksToSize() {
        let bus = PortBus()
        let probe = ProbeDevice()
        bus.map(0x3F8...0x3FF, to: probe)
        #expect(bus.read(port: 0x3F9, size: 1) == 0xEF)
        #expect(probe.lastRead?.port == 0x3F9)
        #expect(bus.read(port: 0x3F8, size: 2) == 0xBEEF)
        #expect(bus.read(port: 0x3F8, size: 4) == 0xDEAD_BEEF)
        bus.write(port: 0x3FF, size: 1, value: 0x1234)
        #expect(probe.lastWrite?.port == 0x3FF)
        #expect(probe.lastWrite?.value == 0x34)
        #expect(bus.unmappedReads == 0 && bus.unmappedWrites == 0)
    }

    @Test func unmappedPortsFloatHighAndAreCounted() {
        let bus = PortBus()
        #expect(bus.read(port: 0x1234, size: 1) == 0xFF)
        #expect(bus.read(port: 0x1234, size: 2) == 0xFFFF)
        #expect(bus.read(port: 0x1235, size: 4) == 0xFFFF_FFFF)
        bus.write(port: 0x2000, size: 4, value: 7)
        #expect(bus.unmappedReads == 3)
        #expect(bus.unmappedWrites == 1)
        #expect(bus.firstUnmappedPorts == [0x1234, 0x1235, 0x2000])
        #expect(bus.unmappedSummary.contains("0x1234"))
    }

    @Test func remembersOnlyTheFirstFewDistinctUnmappedPorts() {
        let bus = PortBus()
        for port in UInt16(0x100)..<0x200 { _ = bus.read(port: port, size: 1) }
        #expect(bus.firstUnmappedPorts.count == PortBus.recordedUnmappedPortLimit)
        #expect(bus.firstUnmappedPorts.first == 0x100)
        #expect(bus.unmappedReads == 0x100)
    }

    @Test func port80IsASinkByDefault() {
        let bus = PortBus()
        bus.write(port: 0x80, size: 1, value: 0x55)
        #expect(bus.read(port: 0x80, size: 1) == 0xFF)
        #expect(bus.postPort.lastValue == 0x55)
        #expect(bus.unmappedReads == 0 && bus.unmappedWrites == 0)
    }

    @Test func remappingAndUnmapping() {
        let bus = PortBus()
        let a = ProbeDevice(), b = ProbeDevice()
        a.answer = 1
        b.answer = 2
        bus.map(0x10...0x1F, to: a)
        bus.map(0x18...0x18, to: b)
        bus.map(0x40...0x41, to: a)  // same device, second range: one index
        #expect(bus.read(port: 0x17, size: 1) == 1)
        #expect(bus.read(port: 0x18, size: 1) == 2)
        #expect(bus.read(port: 0x41, size: 1) == 1)
        #expect(bus.device(at: 0x18) === b)
        bus.unmap(0x10...0x1F)
        #expect(bus.device(at: 0x18) == nil)
        #expect(bus.read(port: 0x10, size: 1) == 0xFF)
    }

    @Test func wildSizesAreClamped() {
        let bus = PortBus()
        let probe = ProbeDevice()
        bus.map(0x60...0x60, to: probe)
        #expect(bus.read(port: 0x60, size: 0) == 0xEF)
        #expect(probe.lastRead?.size == 1)
        #expect(bus.read(port: 0x60, size: 3) == 0xAD_BEEF)
        #expect(bus.read(port: 0x60, size: 99) == 0xDEAD_BEEF)
        #expect(probe.lastRead?.size == 4)
        #expect(bus.read(port: 0xFFFF, size: -5) == 0xFF)
        bus.write(port: 0xFFFF, size: Int.min, value: .max)
    }

    @Test func snapshotRoundTrip() {
        let bus = PortBus()
        _ = bus.read(port: 0x300, size: 1)
        let saved = bus.snapshot()
        _ = bus.read(port: 0x301, size: 1)
        bus.write(port: 0x302, size: 1, value: 0)
        bus.restore(saved)
        #expect(bus.snapshot() == saved)
        #expect(bus.unmappedReads == 1 && bus.firstUnmappedPorts == [0x300])
    }
}
