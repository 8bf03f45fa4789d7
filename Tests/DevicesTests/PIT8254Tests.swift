// Tests for the 8254 PIT on virtual time: exact cycle↔tick conversion, IRQ0 edge
// timing and counts, counter reads, latch and read-back, modes 0–5, gates via port
// 0x61, BCD, reprogramming, snapshots.

import Testing
@testable import Devices

@Suite struct PIT8254Tests {
    final class Harness {
        let clock = Clock()
        let irq = LineRecorder()
        var pit: PIT8254!
        init(cyclesPerSecond: UInt64 = PIT8254.inputHz) {  // default: one cycle per tick
            pit = PIT8254(cyclesPerSecond: cyclesPerSecond, now: { [unowned clock] in clock.cycles },
                          irq0: { [unowned irq] in irq($0) })
        }
        /// Control word then a lobyte/hibyte count.
        func program(channel: UInt8 = 0, mode: UInt8, count: UInt16, bcd: Bool = false) {
            pit.outb(0x43, channel << 6 | 0x30 | mode << 1 | (bcd ? 1 : 0))
            pit.outb(0x40 + UInt16(channel), UInt8(count & 0xFF))
            pit.outb(0x40 + UInt16(channel), UInt8(count >> 8))
        }
        func readCount(channel: UInt8 = 0) -> UInt16 {
            let lo = pit.inb(0x40 + UInt16(channel))
            let hi = pit.inb(0x40 + UInt16(channel))
            return UInt16(hi) << 8 | UInt16(lo)
        }
        func at(_ cycle: UInt64) {
            clock.cycles = cycle
            pit.advance(to: cycle)
        }
        /// Runs the machine's event loop to `end`; returns the event cycles taken.
        func runEvents(until end: UInt64) -> [UInt64] {
            var events: [UInt64] = []
            while let next = pit.nextEventCycle(), next <= end {
                #expect(next > clock.cycles || events.isEmpty)
                events.append(next)
                at(next)
            }
            at(end)
            return events
        }
    }

    // MARK: Time conversion

    @Test func tickConversionIsExact() {
        #expect(PIT8254.tick(atCycle: 123_456_789, cyclesPerSecond: PIT8254.inputHz) == 123_456_789)
        #expect(PIT8254.tick(atCycle: 100_000_000, cyclesPerSecond: 100_000_000) == 1_193_182)
        #expect(PIT8254.tick(atCycle: 99_999_999, cyclesPerSecond: 100_000_000) == 1_193_181)
        #expect(PIT8254.firstCycle(ofTick: 1_193_182, cyclesPerSecond: 100_000_000) == 100_000_000)
        // Far beyond 2^64 / 1193182 cycles the product needs 128 bits.
        let big: UInt64 = 1 << 62
        #expect(PIT8254.tick(atCycle: big, cyclesPerSecond: 4_000_000_000)
                == UInt64((UInt128(big) * 1_193_182) / 4_000_000_000))
        // Saturation instead of a trap.
        #expect(PIT8254.tick(atCycle: .max, cyclesPerSecond: 1) == .max)
        #expect(PIT8254.firstCycle(ofTick: .max, cyclesPerSecond: 4_000_000_000) == nil)
        #expect(PIT8254.tick(atCycle: 5, cyclesPerSecond: 0) == 5 * 1_193_182)
    }

    @Test(arguments: [UInt64(1_000), 1_193_181, 1_193_183, 33_333_333, 2_000_000_000, 3_999_999_989])
    func firstCycleIsTheExactInverse(cyclesPerSecond: UInt64) {
        var rng = SplitMix64(seed: cyclesPerSecond)
        for _ in 0..<2_000 {
            let tick = rng.next() >> 24
            guard let cycle = PIT8254.firstCycle(ofTick: tick, cyclesPerSecond: cyclesPerSecond) else { continue }
            #expect(PIT8254.tick(atCycle: cycle, cyclesPerSecond: cyclesPerSecond) >= tick)
            if cycle > 0 {
                #expect(PIT8254.tick(atCycle: cycle - 1, cyclesPerSecond: cyclesPerSecond) < tick)
            }
        }
    }

    // MARK: IRQ0 timing

    @Test func mode2PeriodInCycles() {
        let h = Harness(cyclesPerSecond: 10 * PIT8254.inputHz)  // 10 cycles per tick
        h.program(mode: 2, count: 1000)
        #expect(h.pit.nextEventCycle() == 10_000)
        let events = h.runEvents(until: 10 * PIT8254.inputHz)   // one virtual second
        #expect(events.count == 1193)
        #expect(events == (1...1193).map { UInt64($0) * 10_000 })
        #expect(h.irq.risingEdges == 1193)
        #expect(h.pit.irq0EdgeCount == 1193)
        #expect(h.irq.levels.count == 2 * 1193)  // pulses: raise then lower
        #expect(!h.irq.level)
    }

    @Test(arguments: [UInt64(33_333_333), 1_000_000_007, 250_000])
    func mode2EdgeCountOverASpanMatchesClosedForm(cyclesPerSecond: UInt64) {
        let h = Harness(cyclesPerSecond: cyclesPerSecond)
        h.at(12_345)
        h.program(mode: 2, count: 11_932)  // ≈100 Hz
        let startTick = PIT8254.tick(atCycle: 12_345, cyclesPerSecond: cyclesPerSecond)
        let end = 12_345 + 10 * cyclesPerSecond
        let events = h.runEvents(until: end)
        let expected = (PIT8254.tick(atCycle: end, cyclesPerSecond: cyclesPerSecond) - startTick) / 11_932
        #expect(UInt64(events.count) == expected)
        #expect(h.irq.risingEdges == events.count)
        for (k, cycle) in events.enumerated() {
            #expect(cycle == PIT8254.firstCycle(ofTick: startTick + UInt64(k + 1) * 11_932,
                                                cyclesPerSecond: cyclesPerSecond))
        }
    }

    @Test func slowCPUClockStillCountsEveryEdge() {
        // 1000 cycles per second: ~1193 ticks per cycle, an edge (N = 100) several times per cycle.
        let h = Harness(cyclesPerSecond: 1_000)
        h.program(mode: 2, count: 100)
        let events = h.runEvents(until: 1_000)
        #expect(h.pit.irq0EdgeCount == 11_931)  // 1 193 182 / 100
        #expect(h.irq.risingEdges == events.count)  // coalesced: one pulse per advance
        #expect(events.count <= 1_000)
    }

    @Test func aBigJumpCoalescesIntoOnePulse() {
        let h = Harness()
        h.program(mode: 2, count: 100)
        h.at(10_050)
        #expect(h.irq.risingEdges == 1)
        #expect(h.pit.irq0EdgeCount == 100)
        #expect(h.pit.nextEventCycle() == 10_100)
        h.at(10_000)  // time going backwards: ignored
        #expect(h.pit.irq0EdgeCount == 100)
    }

    @Test func reloadZeroMeans65536() {
        let h = Harness()
        h.program(mode: 2, count: 0)
        #expect(h.pit.nextEventCycle() == 65_536)
        h.at(1)
        #expect(h.readCount() == 65_535)
    }

    @Test func programLikeBIOSRunsAt18Hz() {
        let h = Harness()
        h.pit.programLikeBIOS()
        #expect(h.pit.nextEventCycle() == 65_536)
    }

    @Test func newCountInMode2TakesEffectAtEndOfPeriod() {
        let h = Harness()
        h.program(mode: 2, count: 1000)
        h.at(300)
        h.pit.outb(0x40, 0xF4); h.pit.outb(0x40, 0x01)  // 500, no control word
        #expect(h.readCount() == 700)  // still the old period
        let events = h.runEvents(until: 2_600)
        #expect(events == [1000, 1500, 2000, 2500])
        h.at(2_600)
        #expect(h.readCount() == 400)
    }

    @Test func controlWordStopsTheCounterUntilACountIsWritten() {
        let h = Harness()
        h.program(mode: 2, count: 100)
        h.at(50)
        h.pit.outb(0x43, 0x34)
        #expect(h.pit.nextEventCycle() == nil)
        h.at(500)
        #expect(h.pit.irq0EdgeCount == 0)
        h.pit.outb(0x40, 100); h.pit.outb(0x40, 0)
        #expect(h.pit.nextEventCycle() == 600)
    }

    // MARK: Reading

    @Test func counterReadsFollowNowAndLatchFreezes() {
        let h = Harness()
        h.program(mode: 2, count: 1000)
        h.clock.cycles = 250        // no advance: reads use now()
        #expect(h.readCount() == 750)
        h.pit.outb(0x43, 0x00)      // latch channel 0
        h.clock.cycles = 600
        h.pit.outb(0x43, 0x00)      // a second latch before reading is ignored
        #expect(h.readCount() == 750)
        #expect(h.readCount() == 400)  // latch consumed: live again
        h.clock.cycles = 1_001
        #expect(h.readCount() == 999)  // wrapped into the next period
    }

    @Test func readBackStatusThenCount() {
        let h = Harness()
        h.program(mode: 2, count: 1000)
        h.clock.cycles = 10
        h.pit.outb(0x43, 0xC2)      // read-back: count and status of channel 0
        h.clock.cycles = 20
        #expect(h.pit.inb(0x40) == 0xB4)  // OUT high, count loaded, lo/hi, mode 2, binary
        #expect(h.readCount() == 990)
        h.pit.outb(0x43, 0xE2)      // status only
        #expect(h.pit.inb(0x40) == 0xB4)
        #expect(h.readCount() == 980)
        h.pit.outb(0x43, 0x30)      // fresh control word, mode 0: null count, OUT low
        h.pit.outb(0x43, 0xE2)
        #expect(h.pit.inb(0x40) == 0x70)
        h.pit.outb(0x43, 0x34)      // mode 2: OUT high
        h.pit.outb(0x43, 0xE2)
        #expect(h.pit.inb(0x40) == 0xF4)
    }

    @Test func lobyteAndHibyteAccess() {
        let h = Harness()
        h.pit.outb(0x43, 0x14)      // channel 0, lobyte, mode 2
        h.pit.outb(0x40, 200)
        h.clock.cycles = 50
        #expect(h.pit.inb(0x40) == 150)
        #expect(h.pit.inb(0x40) == 150)  // no flip-flop in lobyte mode
        h.pit.outb(0x43, 0x24)      // hibyte: count = 0x0200
        h.pit.outb(0x40, 0x02)
        h.clock.cycles = 50 + 0x100
        #expect(h.pit.inb(0x40) == 0x01)
        #expect(h.pit.nextEventCycle() == 50 + 0x200)
    }

    @Test func bcdCounting() {
        let h = Harness()
        h.program(mode: 2, count: 0x1000, bcd: true)  // 1000 decimal
        h.clock.cycles = 1
        #expect(h.readCount() == 0x0999)
        #expect(h.pit.nextEventCycle() == 1000)
        h.program(mode: 0, count: 0x0000, bcd: true)   // 0 = 10000
        h.clock.cycles = 2
        #expect(h.readCount() == 0x9999)
    }

    // MARK: Modes

    @Test func mode0InterruptOnTerminalCountFiresOnce() {
        let h = Harness()
        h.program(mode: 0, count: 100)
        #expect(!h.pit.output(channel: 0))
        #expect(h.pit.nextEventCycle() == 100)
        h.clock.cycles = 150
        #expect(h.readCount() == UInt16(100 - 150 + 65_536))  // keeps counting, wrapping
        let events = h.runEvents(until: 200_000)
        #expect(events == [100])
        #expect(h.pit.output(channel: 0))
    }

    @Test func mode0FirstByteStopsCountingAndDropsOut() {
        let h = Harness()
        h.program(mode: 0, count: 10)
        h.at(20)
        #expect(h.pit.output(channel: 0))
        h.pit.outb(0x40, 50)        // first byte of a new count
        #expect(!h.pit.output(channel: 0))
        h.at(100)
        #expect(h.pit.irq0EdgeCount == 1)
        h.pit.outb(0x40, 0)         // second byte: restart with 50
        #expect(h.pit.nextEventCycle() == 150)
    }

    @Test func mode3SquareWave() {
        let h = Harness()
        h.program(mode: 3, count: 10)
        var counts: [UInt16] = [], outs: [Bool] = []
        for t in UInt64(0)..<10 {
            h.clock.cycles = t
            counts.append(h.readCount())
            outs.append(h.pit.output(channel: 0))
        }
        #expect(counts == [10, 8, 6, 4, 2, 10, 8, 6, 4, 2])
        #expect(outs == [true, true, true, true, true, false, false, false, false, false])
        #expect(h.runEvents(until: 35) == [10, 20, 30])
        let odd = Harness()
        odd.program(mode: 3, count: 5)
        var oddCounts: [UInt16] = [], oddOuts: [Bool] = []
        for t in UInt64(0)..<5 {
            odd.clock.cycles = t
            oddCounts.append(odd.readCount())
            oddOuts.append(odd.pit.output(channel: 0))
        }
        #expect(oddCounts == [5, 4, 2, 5, 2])
        #expect(oddOuts == [true, true, true, false, false])
    }

    @Test func mode4StrobeOnceAfterNPlusOne() {
        let h = Harness()
        h.program(mode: 4, count: 10)
        h.clock.cycles = 10
        #expect(!h.pit.output(channel: 0))  // the one-tick low strobe
        #expect(h.runEvents(until: 100_000) == [11])
        #expect(h.pit.output(channel: 0))
    }

    @Test func gateTriggeredModesNeverFireOnChannel0() {
        for mode: UInt8 in [1, 5] {
            let h = Harness()
            h.program(mode: mode, count: 10)
            #expect(h.pit.nextEventCycle() == nil)
            #expect(h.pit.output(channel: 0))
        }
    }

    @Test func modesSixAndSevenAreTwoAndThree() {
        let h = Harness()
        h.program(mode: 6, count: 100)
        #expect(h.runEvents(until: 250) == [100, 200])
        h.program(mode: 7, count: 100)
        h.clock.cycles = 251
        #expect(h.readCount() == 98)
    }

    @Test func countOfOneInMode2MakesNoEdgeStorm() {
        let h = Harness()
        h.program(mode: 2, count: 1)
        #expect(h.pit.nextEventCycle() == nil)
        h.at(1_000_000)
        #expect(h.pit.irq0EdgeCount == 0)
    }

    // MARK: Channel 2 and port 0x61

    @Test func channel2GateAndOutputThroughPort61() {
        let h = Harness()
        let port61 = SystemControlPortB(pit: h.pit)
        port61.outb(0x61, 0x00)    // gate 2 low
        h.program(channel: 2, mode: 0, count: 100)
        h.clock.cycles = 40
        #expect(h.readCount(channel: 2) == 100)  // gated off: no counting
        port61.outb(0x61, 0x01)    // gate high at 40
        h.clock.cycles = 139
        #expect(port61.inb(0x61) & 0x20 == 0)
        h.clock.cycles = 140
        #expect(port61.inb(0x61) & 0x21 == 0x21)
        #expect(h.pit.irq0EdgeCount == 0)  // channel 2 never drives IRQ0
        // Mode 0 suspension: gate low mid-count freezes the counter.
        h.program(channel: 2, mode: 0, count: 100)
        h.clock.cycles = 160
        port61.outb(0x61, 0x00)
        h.clock.cycles = 500
        #expect(h.readCount(channel: 2) == 80)
        port61.outb(0x61, 0x01)
        h.clock.cycles = 510
        #expect(h.readCount(channel: 2) == 70)
    }

    @Test func mode5TriggeredByGateRisingEdge() {
        let h = Harness()
        let port61 = SystemControlPortB(pit: h.pit)
        h.program(channel: 2, mode: 5, count: 10)
        h.clock.cycles = 100
        port61.outb(0x61, 0x00)
        port61.outb(0x61, 0x01)    // trigger at 100
        h.clock.cycles = 110
        #expect(port61.inb(0x61) & 0x20 == 0)  // strobe low at count 0
        h.clock.cycles = 111
        #expect(port61.inb(0x61) & 0x20 == 0x20)
    }

    @Test func refreshBitTogglesEvery18Ticks() {
        let h = Harness()
        let port61 = SystemControlPortB(pit: h.pit)
        var bits: [UInt8] = []
        for t in stride(from: UInt64(0), to: 72, by: 9) {
            h.clock.cycles = t
            bits.append(port61.inb(0x61) & 0x10)
        }
        #expect(bits == [0, 0, 0x10, 0x10, 0, 0, 0x10, 0x10])
        port61.outb(0x61, 0xFF)
        #expect(port61.inb(0x61) & 0xCF == 0x0F)
    }

    // MARK: Snapshots

    @Test func snapshotRestoreReplaysIdentically() {
        let h = Harness(cyclesPerSecond: 33_333_333)
        h.program(mode: 2, count: 5_000)
        h.program(channel: 2, mode: 3, count: 777)
        _ = h.runEvents(until: 1_000_000)
        h.pit.outb(0x43, 0x00)     // a pending latch is part of the state
        let saved = h.pit.snapshot()
        let savedClock = h.clock.cycles
        func run() -> [UInt64] {
            var trace = h.runEvents(until: savedClock + 3_000_000)
            trace.append(UInt64(h.readCount()))
            h.program(mode: 2, count: 1_234)
            trace += h.runEvents(until: savedClock + 6_000_000)
            trace.append(UInt64(h.readCount(channel: 2)))
            trace.append(h.pit.irq0EdgeCount)
            return trace
        }
        let edgesBefore = h.irq.risingEdges
        let first = run()
        let firstEdges = h.irq.risingEdges - edgesBefore
        h.pit.restore(saved)
        h.clock.cycles = savedClock
        #expect(h.pit.snapshot() == saved)
        let edgesMid = h.irq.risingEdges
        #expect(run() == first)
        #expect(h.irq.risingEdges - edgesMid == firstEdges)
        #expect(firstEdges > 0)
    }

    @Test func malformedSnapshotIsClamped() {
        let h = Harness()
        var bad = h.pit.snapshot()
        bad.channels = [PIT8254.Channel()]
        bad.channels[0].reload = 0
        bad.channels[0].active = 0
        bad.channels[0].access = 9
        bad.channels[0].counting = true
        bad.channels[0].controlMode = 2
        h.pit.restore(bad)
        #expect(h.pit.snapshot().channels.count == 3)
        h.clock.cycles = 5
        _ = h.readCount()
        _ = h.pit.nextEventCycle()
        h.at(100)
    }
}
