// A scripted conversation in the order gdb 13.1 really speaks (recorded by
// RealGDBTests against this stub), with every reply written out literally.

import Testing
import GDBRemote

@Suite struct ConversationTests {
    /// One exchange: what gdb sends (framed here) and the exact bytes we answer.
    typealias Exchange = (send: String, expect: String)

    func run(_ script: [Exchange], on session: GDBSession) {
        for (i, step) in script.enumerated() {
            #expect(session.send(step.send) == step.expect, "step \(i): \(step.send)")
        }
    }

    @Test func gdb13ConnectBreakContinueDetach() {
        let (s, t) = makeSession()
        let regs = "04:00000900;05:10000900;08:00001000;thread:1;"
        run([
            ("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;"
                + "exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386",
             "+" + framed("PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+")),
            ("vMustReplyEmpty", "+$#00"),
            ("QStartNoAckMode", "+$OK#9a"),
            // From here on: no acks.
            ("Hg0", "$OK#9a"),
        ], on: s)
        #expect(s.receive(bytes("+")).isEmpty)  // gdb acks our OK to QStartNoAckMode

        let xml = s.send("qXfer:features:read:target.xml:0,1000")
        #expect(xml.hasPrefix("$l<?xml version=\"1.0\"?>"))
        #expect(xml.contains("<architecture>i386</architecture>"))

        run([
            ("qTStatus", "$#00"),
            ("?", framed("T05" + regs)),
            ("qfThreadInfo", framed("m1")),
            ("qsThreadInfo", framed("l")),
            ("qAttached", framed("1")),
            ("Hc-1", "$OK#9a"),
            ("g", framed("44332211" + "02000000" + "03000000" + "04000000" + "00000900" + "10000900"
                         + "07000000" + "08000000" + "00001000" + "02020000" + "08000000"
                         + "10000000" + "10000000" + "10000000" + "10000000" + "10000000")),
            ("m100000,1", framed("55")),
            ("m100000,4", framed("5589e5c3")),
            ("Z0,100002,1", "$OK#9a"),
            ("vCont?", framed("vCont;c;C;s;S")),
            ("vCont;c:p1.-1", ""),
        ], on: s)
        #expect(t.breakpoints == ["0@100002/1"])
        #expect(t.resumes == [false] && s.state == .running)

        // The machine runs outside the session, hits the breakpoint, and the lead reports it.
        t.registers[.eip] = 0x10_0002
        #expect(text(s.stopped(.softwareBreakpoint))
            == framed("T0504:00000900;05:10000900;08:02001000;thread:1;swbreak:;"))

        run([
            ("z0,100002,1", "$OK#9a"),
            ("p8", framed("02001000")),
            ("vCont;s:1", ""),
        ], on: s)
        t.registers[.eip] = 0x10_0003
        #expect(text(s.stopped(.trap)) == framed("T0504:00000900;05:10000900;08:03001000;thread:1;"))

        run([("D;1", "$OK#9a")], on: s)
        #expect(t.detached && s.isFinished && t.breakpoints.isEmpty)
    }

    @Test func openingWithoutNoAckModeAsTheBriefListsIt() {
        let (s, t) = makeSession()
        run([
            ("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386",
             "+" + framed("PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+")),
            ("vMustReplyEmpty", "+$#00"),
            ("Hg0", "+$OK#9a"),
            ("qTStatus", "+$#00"),
            ("?", "+" + framed("T0504:00000900;05:10000900;08:00001000;thread:1;")),
            ("qfThreadInfo", "+" + framed("m1")),
            ("qAttached", "+" + framed("1")),
            ("m100000,4", "+" + framed("5589e5c3")),
            ("Z0,100003,1", "+$OK#9a"),
            ("vCont;c", "+"),
        ], on: s)
        t.registers[.eip] = 0x10_0003
        #expect(text(s.stopped(.softwareBreakpoint)).hasPrefix("$T05"))
        #expect(text(s.receive(bytes("+"))) == "")     // gdb acks the stop reply
        run([("D", "+$OK#9a")], on: s)
        #expect(t.detached)
    }

    @Test func interruptAContinue() {
        let (s, t) = makeSession()
        run([("QStartNoAckMode", "+$OK#9a"), ("vCont;c", "")], on: s)
        #expect(s.receive([0x03]).isEmpty)
        #expect(t.interrupts == 1)
        #expect(text(s.stopped(.interrupted)) == framed("T0204:00000900;05:10000900;08:00001000;thread:1;"))
        run([("vKill;1", "$OK#9a")], on: s)
        #expect(t.killed)
    }
}
