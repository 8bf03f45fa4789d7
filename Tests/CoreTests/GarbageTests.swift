// The host never traps on guest behaviour: execute random bytes from random
// places, in ring 0 and ring 3, with paging on, and let whatever those bytes do
// (wild stores into page tables, the IDT, descriptor loads, far jumps, port I/O,
// HLT, divide errors...) happen. Every run must end in a defined StopReason.

import Testing
@testable import Core

/// A tiny deterministic PRNG (xorshift64*).
struct TestRNG {
    var s: UInt64
    init(_ seed: UInt64) { s = seed | 1 }
    mutating func next() -> UInt64 { s ^= s >> 12; s ^= s << 25; s ^= s >> 27; return s &* 2685821657736338717 }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

@Suite("Executing garbage")
struct GarbageTests {
    @Test("random code in ring 0 never traps the host", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func ring0(seed: UInt64) throws {
        var rng = TestRNG(seed)
        let t = TestBench(memory: 4 << 20)
        if seed % 2 == 0 { t.enablePaging() }
        var bytes = [UInt8](repeating: 0, count: 0x4000)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        t.mem.write(bytes, at: 0x20000)
        var ends: [String: Int] = [:]
        for _ in 0..<300 {
            t.cpu.eip = 0x20000 + UInt32(rng.below(0x3FF0))
            t.cpu.halted = false
            t.cpu[.esp] = 0x9000
            let r = t.cpu.run(maxInstructions: 2000)
            ends[String(describing: r).prefix(12).description, default: 0] += 1
            if case .tripleFault = r {
                // A PC would reset: rebuild the machine state and go on.
                let fresh = TestBench(memory: 4 << 20)
                t.cpu.restore(fresh.cpu.snapshot())
                t.mem.write(fresh.mem.read(at: 0, count: 0x20000), at: 0)
                t.mem.write(bytes, at: 0x20000)
            }
        }
        #expect(ends.values.reduce(0, +) == 300)
    }

    @Test("random code in ring 3 never traps the host and never gains ring 0 without a gate")
    func ring3() throws {
        var rng = TestRNG(99)
        let t = TestBench()
        var bytes = [UInt8](repeating: 0, count: 0x1000)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        try enterRing3(t, userCode: "nop")
        t.mem.write(bytes, at: 0x2000)
        #expect(t.cpu.cpl == 3)
        for _ in 0..<200 {
            t.cpu.eip = 0x2000 + UInt32(rng.below(0xFF0))
            let r = t.cpu.run(maxInstructions: 500)
            // Either still in ring 3, or in ring 0 inside one of the IDT's stubs.
            if t.cpu.cpl == 0 {
                #expect(t.cpu.eip >= TestBench.stubs && t.cpu.eip < TestBench.stubs + 64 * 32, "\(r) eip=\(t.cpu.eip)")
                t.cpu.halted = false
                try enterRing3(t, userCode: "nop")
                t.mem.write(bytes, at: 0x2000)
                #expect(t.cpu.cpl == 3)
            }
        }
    }
}
