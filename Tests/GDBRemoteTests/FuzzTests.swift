// Fuzz tests: random bytes, random packet-shaped input and random commands go
// into the decoder, the parser and the session. Nothing may trap, the decoder's
// buffer stays within its limit, and every reply is a well-formed packet.

import Testing
@testable import GDBRemote

@Suite struct FuzzTests {
    /// Bytes that steer the decoder and parser into interesting states.
    static let alphabet: [UInt8] = Array("$#}*+-\u{03}0123456789abcdefABCDEF,:;=?gGpPmMXZzcsCSHTkDqQv-xl".utf8)

    func randomBytes(_ n: Int, _ rng: inout SplitMix64) -> [UInt8] {
        (0..<n).map { _ in
            Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng)
                                     : Self.alphabet.randomElement(using: &rng)!
        }
    }

    /// A random hex number, sometimes too long or with a bad digit.
    func randomHex(_ rng: inout SplitMix64, maxDigits: Int = 8) -> String {
        let digits = Array("0123456789abcdef")
        var s = String((0..<Int.random(in: 1...maxDigits, using: &rng)).map { _ in digits.randomElement(using: &rng)! })
        if Int.random(in: 0..<20, using: &rng) == 0 { s += "g" }
        return s
    }

    /// A plausible packet payload: a command with well-formed arguments most of
    /// the time, random bytes appended some of the time.
    func randomPayload(_ rng: inout SplitMix64) -> [UInt8] {
        let len = Int.random(in: 0...8, using: &rng)
        let data = String(repeating: "a5", count: len)
        let args: [String] = [
            "g", "G" + String(repeating: "01", count: 64), "p" + randomHex(&rng, maxDigits: 2),
            "P" + randomHex(&rng, maxDigits: 2) + "=78563412",
            "m" + randomHex(&rng) + "," + randomHex(&rng, maxDigits: 4),
            "M" + randomHex(&rng) + ",\(String(len, radix: 16)):" + data,
            "X" + randomHex(&rng) + ",\(String(len, radix: 16)):" + String(repeating: "z", count: len),
            "Z\(Int.random(in: 0...5, using: &rng))," + randomHex(&rng) + ",1",
            "z\(Int.random(in: 0...5, using: &rng))," + randomHex(&rng) + ",4",
            "c", "s", "c" + randomHex(&rng), "C05", "S05;" + randomHex(&rng),
            "Hg" + randomHex(&rng, maxDigits: 2), "Hc-1", "T" + randomHex(&rng, maxDigits: 2), "?",
            "qSupported:swbreak+;hwbreak+",
            "qXfer:features:read:target.xml:" + randomHex(&rng, maxDigits: 4) + "," + randomHex(&rng, maxDigits: 4),
            "qRcmd," + randomHex(&rng), "vCont;c", "vCont;s:1;c", "vCont;C05:" + randomHex(&rng, maxDigits: 1),
            "vCont?", "qfThreadInfo", "qsThreadInfo", "qC", "qAttached", "qTStatus", "qOffsets",
            "QStartNoAckMode", "vMustReplyEmpty", "qSymbol::", "D", "k", "vKill;1", "qL1160000000000000000",
        ]
        var p = Array(args.randomElement(using: &rng)!.utf8)
        if Int.random(in: 0..<4, using: &rng) == 0 { p += randomBytes(Int.random(in: 1...24, using: &rng), &rng) }
        return p
    }

    /// Splits a reply stream into packets; fails the test if it is not well formed.
    func checkWellFormed(_ out: [UInt8]) {
        var d = PacketDecoder()
        for event in d.feed(out) {
            switch event {
            case .packet, .ack, .nack: break
            default: Issue.record("bad reply stream: \(text(out))")
            }
        }
        #expect(!d.isInsidePacket)
    }

    @Test func randomBytesIntoTheDecoderStayBounded() {
        var rng = SplitMix64(state: 1)
        var d = PacketDecoder(maxPayload: 256)
        for _ in 0..<2000 {
            _ = d.feed(randomBytes(Int.random(in: 1...600, using: &rng), &rng))
            #expect(d.bufferedByteCount <= 256 + 2)
        }
    }

    @Test func randomPayloadsIntoTheParser() {
        var rng = SplitMix64(state: 2)
        var kinds: Set<String> = []
        for _ in 0..<20000 {
            let command = GDBCommand(parsing: randomPayload(&rng))
            kinds.insert(String(String(describing: command).prefix { $0 != "(" }))
            _ = GDBCommand(parsing: randomBytes(Int.random(in: 0...40, using: &rng), &rng))
        }
        // The generator reaches well-formed commands of most kinds, not only errors.
        #expect(kinds.count >= 25, "\(kinds.sorted())")
    }

    @Test func randomBytesIntoSessions() {
        var rng = SplitMix64(state: 3)
        var (session, _) = makeSession()
        for _ in 0..<3000 {
            if session.isFinished { (session, _) = makeSession() }
            let out = session.receive(randomBytes(Int.random(in: 1...200, using: &rng), &rng))
            #expect(out.count <= 4 * GDBLimits.maxPayload)
            if session.state == .running { _ = session.stopped(.trap) }
        }
    }

    @Test func randomCommandsIntoSessions() {
        var rng = SplitMix64(state: 4)
        var (session, target) = makeSession()
        var count = 0
        for _ in 0..<20000 {
            if session.isFinished { (session, target) = makeSession() }
            var out = session.receive(PacketEncoder.encode(randomPayload(&rng)))
            if session.state == .running {
                if Bool.random(using: &rng) { out += session.receive([0x03]) }
                let reasons: [StopReason] = [.trap, .softwareBreakpoint, .interrupted, .signal(11),
                                             .watchpoint(.accessWatchpoint, address: 4), .exited(1)]
                out += session.stopped(reasons.randomElement(using: &rng)!)
            }
            checkWellFormed(out)
            count += target.resumes.count
        }
        #expect(count > 0)  // the generator reaches the run-control paths
    }

    @Test func hugeInputWithoutAnEndStaysBounded() {
        let (s, _) = makeSession()
        _ = s.receive(bytes("$"))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 0x10000)
        for _ in 0..<64 { #expect(s.receive(chunk).isEmpty) }   // 4 MiB, never a '#'
        #expect(s.send("qC") == "+$QC1#c5")  // a new '$' resynchronises
    }
}
