// Code faults on known bytes: each type changes exactly what it should, and a
// seed always gives the same faults.

import Testing
@testable import Inject

/// A small hand-assembled text with one instance of each pattern the planner looks for.
enum KnownText {
    static let bytes: [UInt8] = [
        0x55,                               // 0  push %ebp
        0x89, 0xE5,                         // 1  mov %esp,%ebp
        0xC7, 0x45, 0xFC, 0x05, 0, 0, 0,    // 3  movl $5,-0x4(%ebp)          init
        0x8B, 0x45, 0x08,                   // 10 mov 0x8(%ebp),%eax          interface
        0x8B, 0x48, 0x10,                   // 13 mov 0x10(%eax),%ecx         pointer
        0x75, 0x02,                         // 16 jne +2                      branch/invert
        0x9C,                               // 18 pushf
        0xFA,                               // 19 cli
        0x9D,                               // 20 popf                        irq
        0xF3, 0xA4,                         // 21 rep movsb                   branch/invert (rep)
        0x0F, 0x84, 0x10, 0, 0, 0,          // 23 je near                     branch/invert
        0x83, 0xC0, 0x07,                   // 29 add $7,%eax                 source = imm
        0x5D,                               // 32 pop %ebp
        0xC3,                               // 33 ret
    ]

    static func planner() throws -> CodeFaultPlanner {
        let d = try #require(LayoutDecoder())
        return CodeFaultPlanner(instructions: d.decode(bytes), textSize: bytes.count)
    }
}

@Suite("code faults on known bytes")
struct CodeFaultTests {
    @Test("the decoder finds ModRM, SIB, displacement and immediate offsets")
    func layout() throws {
        let d = try #require(LayoutDecoder())
        let l = d.decode(KnownText.bytes)
        #expect(l.map(\.offset) == [0, 1, 3, 10, 13, 16, 18, 19, 20, 21, 23, 29, 32, 33])
        let init_ = l[2]
        #expect(init_.modrmOffset == 1 && init_.dispOffset == 2 && init_.dispSize == 1 && init_.immOffset == 3 && init_.immSize == 4)
        #expect(init_.memoryBase == 5 && init_.displacement == -4)
        #expect(l[9].repPrefixOffset == 0 && l[9].prefixCount == 1)
        #expect(l[10].isConditionalJump && l[10].conditionOffset == 1)
    }

    @Test("each pattern type picks only its instructions", arguments: [
        (FaultType.`init`, [3]), (.interface, [10]), (.pointer, [13]), (.irq, [20]),
        (.branch, [16, 21, 23]), (.invert, [16, 21, 23]),
    ])
    func candidates(type: FaultType, offsets: [Int]) throws {
        #expect(try KnownText.planner().candidates(type).map(\.offset) == offsets)
    }

    @Test("each type changes exactly the bytes it should")
    func edits() throws {
        let p = try KnownText.planner()
        for seed in 0..<64 as Range<UInt64> {
            for type in FaultType.allCases where type.isCode {
                var rng = InjectRNG(seed: seed)
                let patch = try #require(p.plan(type, rng: &rng))
                var text = KnownText.bytes
                patch.apply(toText: &text)
                let changed = (0..<text.count).filter { text[$0] != KnownText.bytes[$0] }
                switch type {
                case .`init`:
                    #expect(Array(text[3..<10]) == [UInt8](repeating: 0x90, count: 7))
                    #expect(changed.allSatisfy { (3..<10).contains($0) })
                case .interface: #expect(Array(text[10..<13]) == [0x90, 0x90, 0x90] && changed.count == 3)
                case .irq: #expect(changed == [20] && text[20] == 0x90)
                case .invert:
                    #expect(changed.count == 1)
                    let c = try #require(changed.first)
                    #expect([16, 21, 24].contains(c) && text[c] ^ KnownText.bytes[c] == 1)
                case .branch:
                    #expect(changed == [16, 17] || changed == [21] || changed == Array(23..<29))
                    #expect(changed.allSatisfy { text[$0] == 0x90 })
                case .pointer:
                    // mov 0x10(%eax),%ecx: rm bits of the ModRM (byte 14) or the displacement (byte 15).
                    #expect(changed.count == 1)
                    let c = try #require(changed.first)
                    #expect(c == 15 || (c == 14 && (text[c] ^ KnownText.bytes[c]) & 0xF8 == 0))
                case .text, .destination, .source:
                    #expect(changed.count == 1)
                    let c = try #require(changed.first)
                    #expect((text[c] ^ KnownText.bytes[c]).nonzeroBitCount == 1)
                    if type == .source, c >= 29, c < 32 { #expect(c == 31) }   // add $7: the immediate
                case .nop:
                    let i = try #require(p.instructions.first { $0.offset == patch.offset })
                    #expect(changed.allSatisfy { (i.offset..<i.offset + i.length).contains($0) })
                    #expect(Array(text[i.offset..<i.offset + i.length]).allSatisfy { $0 == 0x90 })
                default: Issue.record("not a code fault: \(type)")
                }
            }
        }
    }

    @Test("a seed always gives the same faults; another seed gives others")
    func determinism() throws {
        let p = try KnownText.planner()
        var counts = EventCounts()
        counts[.entry] = 100; counts[.alloc] = 10; counts[.free] = 10; counts[.copy] = 10
        for type in FaultType.allCases {
            let spec = TrialSpec(target: "e1000", seed: 42, trial: 7, faults: 5, type: type)
            let a = TrialPlan(spec: spec, planner: p, counts: counts)
            let b = TrialPlan(spec: spec, planner: p, counts: counts)
            #expect(a == b)
            #expect(a.code.count + a.runtime.count == 5)
        }
        let specs = (0..<20).map { TrialSpec(target: "e1000", seed: 42, trial: $0, faults: 5, type: .text) }
        let plans = specs.map { TrialPlan(spec: $0, planner: p, counts: counts).code }
        #expect(Set(plans.map { $0.map(\.summary).joined() }).count > 15)
    }

    @Test("trial specs print and parse")
    func specs() {
        let s = TrialSpec(target: "e1000", seed: 9, trial: 3, faults: 5, type: .pointer)
        #expect(s.description == "e1000:9:3:5:pointer")
        #expect(TrialSpec(parsing: s.description) == s)
        #expect(TrialSpec(parsing: "e1000:9:3:5:bogus") == nil)
        #expect(TrialSpec(parsing: "nosuch:9:3:5:text") == nil)
    }
}
