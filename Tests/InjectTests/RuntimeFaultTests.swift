// Runtime faults on the running guest: each fires at its event and does exactly
// its change (a skipped allocation returns NULL, a copy grows by the drawn
// amount, a stack word loses one bit, a free is skipped, a block is freed early).

import Testing
@testable import Inject

@Suite("runtime faults on the guest", .serialized)
struct RuntimeFaultTests {
    /// A plan of one trial with its faults replaced by `faults`.
    func plan(_ ctx: CampaignContext, _ type: FaultType, _ faults: [RuntimeFault]) -> TrialPlan {
        var p = ctx.plan(TrialSpec(target: ctx.targetName, seed: 1, trial: 0, faults: 1, type: type))
        p.runtime = faults
        return p
    }

    @Test("bcopy growth follows the paper's distribution")
    func growth() {
        func g(_ f: Double) -> Int { RuntimeFault(type: .bcopy, ordinal: 1, bit: 0, fraction: f).copyGrowth }
        #expect(g(0) == 8 && g(0.49) == 8)
        #expect(g(0.5) == 16 && (16...8192).contains(g(0.7)) && g(0.9399) <= 8192)
        #expect(g(0.94) == 8192 && (8192...16384).contains(g(0.99)))
    }

    @Test("alloc: the first allocation is skipped and returns NULL")
    func alloc() throws {
        let ctx = try Guest.context()
        let r = ctx.native.run(plan(ctx, .alloc, [RuntimeFault(type: .alloc, ordinal: 1, bit: 0, fraction: 0)]), budget: ctx.budget)
        #expect(r.fired.count == 1)
        #expect(r.fired.first?.contains("call #1") == true && r.fired.first?.contains("returned NULL") == true)
        #expect(r.outcome != .noEffect)
    }

    @Test("leak: a free is skipped, the system keeps running")
    func leak() throws {
        let ctx = try Guest.context()
        let n = ctx.goldenNative.counts[.free]
        #expect(n > 0)
        let r = ctx.native.run(plan(ctx, .leak, [RuntimeFault(type: .leak, ordinal: n, bit: 0, fraction: 0)]), budget: ctx.budget)
        #expect(r.fired.count == 1 && r.fired[0].contains("call #\(n)") && r.fired[0].contains("skipped"))
        #expect(r.outcome == .noEffect)
    }

    @Test("stack: one bit of one stack word flips at a function entry")
    func stack() throws {
        let ctx = try Guest.context()
        let f = RuntimeFault(type: .stack, ordinal: 3, bit: 2 * 32 + 5, fraction: 0)
        let r = ctx.native.run(plan(ctx, .stack, [f]), budget: ctx.budget)
        #expect(r.fired == [r.fired.first ?? ""] && r.fired[0].hasPrefix("stack: entry #3 flipped bit 5 of [esp+8]"))
    }

    @Test("bcopy and free on the echo driver's memcpy and kfree calls")
    func echoCopies() throws {
        let ctx = try Guest.context("echo")
        #expect(ctx.goldenNative.counts[.copy] > 0)
        let b = ctx.native.run(plan(ctx, .bcopy, [RuntimeFault(type: .bcopy, ordinal: 1, bit: 0, fraction: 0.1)]), budget: ctx.budget)
        let line = try #require(b.fired.first)
        #expect(line.contains("memcpy copy #1"))
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[1] == numbers[0] + 8)
        // free: the ring echo kmallocs at init is freed early; its own kfree at unload is then a double free.
        let fr = ctx.native.run(plan(ctx, .free, [RuntimeFault(type: .free, ordinal: 1, bit: 0, fraction: 0)]), budget: ctx.budget)
        #expect(fr.fired.count == 1 && fr.fired[0].hasPrefix("free: entry #1 ") && fr.fired[0].contains("early (4096 bytes"))
        #expect(fr.outcome == .crash)
        let iso = ctx.isolated.run(plan(ctx, .free, [RuntimeFault(type: .free, ordinal: 1, bit: 0, fraction: 0)]), budget: ctx.budget)
        #expect(iso.outcome != .crash)
    }
}
