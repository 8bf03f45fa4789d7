// Tests for GDBSession, one command family at a time, with literal packets.

import Testing
@testable import GDBRemote

@Suite struct SessionTests {
    @Test func everyPacketIsAckedThenAnswered() {
        let (s, _) = makeSession()
        #expect(s.send("vMustReplyEmpty") == "+$#00")
        #expect(text(s.receive(bytes("$qC#b4"))) == "+$QC1#c5")
    }

    @Test func supportedFeatures() {
        let (s, _) = makeSession()
        #expect(s.send("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
            == "+" + framed("PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+"))
        let (plain, _) = makeSession()
        #expect(plain.send("qSupported") == "+" + framed("PacketSize=4000;qXfer:features:read+;QStartNoAckMode+"))
    }

    @Test func threadQueries() {
        let (s, _) = makeSession()
        #expect(s.send("Hg0") == "+$OK#9a")
        #expect(s.send("Hc-1") == "+$OK#9a")
        #expect(s.send("qfThreadInfo") == "+" + framed("m1"))
        #expect(s.send("qsThreadInfo") == "+" + framed("l"))
        #expect(s.send("qAttached") == "+" + framed("1"))
        #expect(s.send("T1") == "+$OK#9a")
        #expect(s.send("T2") == "+$E01#a6")
        #expect(s.send("qTStatus") == "+$#00")
        #expect(s.send("qOffsets") == "+" + framed("Text=0;Data=0;Bss=0"))
        #expect(s.send("qSymbol::") == "+$OK#9a")
    }

    @Test func haltReasonReportsTheLastStopWithExpeditedRegisters() {
        let (s, _) = makeSession()
        // esp = 0x90000, ebp = 0x90010, eip = 0x100000, little-endian.
        #expect(s.send("?") == "+" + framed("T0504:00000900;05:10000900;08:00001000;thread:1;"))
    }

    @Test func readAllRegisters() {
        let (s, _) = makeSession()
        let expected = "44332211" + "02000000" + "03000000" + "04000000" + "00000900" + "10000900"
            + "07000000" + "08000000" + "00001000" + "02020000" + "08000000" + "10000000"
            + "10000000" + "10000000" + "10000000" + "10000000"
        #expect(s.send("g") == "+" + framed(expected))
    }

    @Test func writeAllRegisters() {
        let (s, t) = makeSession()
        let values = (0..<16).map { UInt32($0) * 0x0101_0101 }
        let hex = values.map { text(Hex.littleEndian($0)) }.joined()
        #expect(s.send("G" + hex) == "+$OK#9a")
        #expect(t.registers.values == values)
        t.refuseRegisterWrites = true
        #expect(s.send("G" + hex) == "+$E01#a6")
        #expect(s.send("G00") == "+$E01#a6")
    }

    @Test func readOneRegister() {
        let (s, _) = makeSession()
        #expect(s.send("p0") == "+" + framed("44332211"))
        #expect(s.send("p8") == "+" + framed("00001000"))
        #expect(s.send("pf") == "+" + framed("10000000"))
        // x87 registers are described for gdb but unavailable.
        #expect(s.send("p10") == "+" + framed(String(repeating: "x", count: 20)))
        #expect(s.send("p18") == "+" + framed("xxxxxxxx"))
        #expect(s.send("p20") == "+$E01#a6")
    }

    @Test func writeOneRegister() {
        let (s, t) = makeSession()
        #expect(s.send("P8=78563412") == "+$OK#9a")
        #expect(t.registers[.eip] == 0x1234_5678)
        #expect(t.registers[.eax] == 0x1122_3344)
        #expect(s.send("P8=7856") == "+$E01#a6")       // wrong width
        #expect(s.send("P10=00000000000000000000") == "+$E01#a6")  // st0
        t.refuseRegisterWrites = true
        #expect(s.send("P0=00000000") == "+$E01#a6")
    }

    @Test func readMemory() {
        let (s, _) = makeSession()
        #expect(s.send("m100000,4") == "+" + framed("5589e5c3"))
        #expect(s.send("m100001,2") == "+" + framed("89e5"))
        #expect(s.send("m100002,10") == "+" + framed("e5c3"))       // short read
        #expect(s.send("m200000,4") == "+$E14#aa")                  // unmapped
        #expect(s.send("m100000") == "+$E01#a6")                    // malformed
        #expect(s.send("m0,100000") == "+$E01#a6")                  // over the cap
        #expect(s.send("m100000,0") == "+$#00")
    }

    @Test func readMemoryNeverWrapsPast4GiB() {
        let (s, t) = makeSession()
        t.map(0xFFFF_FFFE, [1, 2])
        t.map(0, [3])
        #expect(s.send("mfffffffe,4") == "+" + framed("0102"))
    }

    @Test func writeMemoryHexAndBinary() {
        let (s, t) = makeSession()
        #expect(s.send("M100000,2:cc90") == "+$OK#9a")
        #expect(t.memory[0x10_0000] == 0xCC && t.memory[0x10_0001] == 0x90)
        #expect(s.send("M300000,1:00") == "+$E14#aa")
        #expect(s.send("M100000,2:cc") == "+$E01#a6")
        // X with escaped '#', '$', '}' and '*' plus a raw 0x03.
        let data: [UInt8] = [0x23, 0x24, 0x7D]
        var packet = bytes("$X100000,4:")
        var body = bytes("X100000,4:")
        for b in data { body += [0x7D, b ^ 0x20] }
        body.append(0x03)
        packet = [UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + Hex.byte(body.reduce(0, &+))
        #expect(text(s.receive(packet)) == "+$OK#9a")
        #expect((0..<4).map { t.memory[0x10_0000 + $0] } == [0x23, 0x24, 0x7D, 0x03])
        #expect(s.send("X100000,0:") == "+$OK#9a")                  // gdb's probe
    }

    @Test func breakpointsAndWatchpoints() {
        let (s, t) = makeSession()
        #expect(s.send("Z0,100000,1") == "+$OK#9a")
        #expect(s.send("Z1,100002,1") == "+$OK#9a")
        #expect(s.send("Z2,5000,4") == "+$OK#9a")
        #expect(t.breakpoints == ["0@100000/1", "1@100002/1", "2@5000/4"])
        #expect(s.send("z0,100000,1") == "+$OK#9a")
        #expect(t.breakpoints == ["1@100002/1", "2@5000/4"])
        // Unsupported types get an empty reply.
        #expect(s.send("Z3,5000,4") == "+$#00")
        #expect(s.send("z4,5000,4") == "+$#00")
        #expect(s.send("Z9,5000,4") == "+$#00")
        #expect(s.send("Z0,zz,1") == "+$E01#a6")
    }

    @Test func continueRunsUntilStopped() {
        let (s, t) = makeSession()
        #expect(s.send("c") == "+")
        #expect(t.resumes == [false])
        #expect(s.state == .running)
        t.registers[.eip] = 0x10_0002
        #expect(text(s.stopped(.trap)) == framed("T0504:00000900;05:10000900;08:02001000;thread:1;"))
        #expect(s.state == .halted)
    }

    @Test func continueOrStepFromAnAddressSetsEip() {
        let (s, t) = makeSession()
        #expect(s.send("c200000") == "+")
        #expect(t.registers[.eip] == 0x20_0000)
        _ = s.stopped(.trap)
        #expect(s.send("s300000") == "+")
        #expect(t.registers[.eip] == 0x30_0000 && t.resumes == [false, true])
        _ = s.stopped(.trap)
        t.refuseRegisterWrites = true
        #expect(s.send("c400000") == "+$E01#a6")
        #expect(t.resumes.count == 2 && s.state == .halted)
    }

    @Test func vContActions() {
        let (s, t) = makeSession()
        #expect(s.send("vCont?") == "+" + framed("vCont;c;C;s;S"))
        #expect(s.send("vCont;s:1;c") == "+")
        _ = s.stopped(.trap)
        #expect(s.send("vCont;s:2;c") == "+")   // the step is for another thread
        _ = s.stopped(.trap)
        #expect(s.send("vCont;C0b") == "+")
        _ = s.stopped(.trap)
        #expect(t.resumes == [true, false, false])
        #expect(s.send("vCont;c:2") == "+$E01#a6")
        #expect(s.send("vCont;t") == "+$E01#a6")
        #expect(s.send("vCont;r1000,2000") == "+$E01#a6")
    }

    @Test func stopReasons() {
        let (s, t) = makeSession()
        _ = s.send("qSupported:swbreak+;hwbreak+")
        t.registers = I386Registers()
        let regs = "04:00000000;05:00000000;08:00000000;thread:1;"
        func stop(_ r: StopReason) -> String {
            _ = s.send("c")
            return text(s.stopped(r))
        }
        #expect(stop(.softwareBreakpoint) == framed("T05" + regs + "swbreak:;"))
        #expect(stop(.hardwareBreakpoint) == framed("T05" + regs + "hwbreak:;"))
        #expect(stop(.watchpoint(.writeWatchpoint, address: 0x5000)) == framed("T05" + regs + "watch:5000;"))
        #expect(stop(.watchpoint(.readWatchpoint, address: 0x5000)) == framed("T05" + regs + "rwatch:5000;"))
        #expect(stop(.watchpoint(.accessWatchpoint, address: 0x5002)) == framed("T05" + regs + "awatch:5002;"))
        #expect(stop(.interrupted) == framed("T02" + regs))
        #expect(stop(.signal(11)) == framed("T0b" + regs))
        #expect(s.send("?") == "+" + framed("T0b" + regs))
        #expect(stop(.exited(3)) == "$W03#ba")
        #expect(s.state == .exited && s.isFinished)
    }

    @Test func terminatedBySignal() {
        let (s, _) = makeSession()
        _ = s.send("c")
        #expect(text(s.stopped(.terminated(9))) == framed("X09"))
        #expect(s.isFinished)
    }

    @Test func breakpointKindOnlyWhenGdbUnderstandsIt() {
        let (s, _) = makeSession()
        _ = s.send("c")
        #expect(!text(s.stopped(.softwareBreakpoint)).contains("swbreak"))
    }

    @Test func stoppedWhileHaltedSendsNothingButIsRemembered() {
        let (s, _) = makeSession()
        #expect(s.stopped(.signal(11)).isEmpty)
        #expect(s.send("?").hasPrefix("+$T0b"))
    }

    @Test func interruptWhileRunningAsksTheTargetOnce() {
        let (s, t) = makeSession()
        #expect(s.receive([0x03]).isEmpty)       // halted: ignored
        #expect(t.interrupts == 0)
        _ = s.send("vCont;c")
        #expect(s.receive([0x03]).isEmpty)
        #expect(s.receive([0x03]).isEmpty)
        #expect(t.interrupts == 1)
        #expect(text(s.stopped(.interrupted)).hasPrefix("$T02"))
        _ = s.send("c")
        _ = s.receive([0x03])
        #expect(t.interrupts == 2)
    }

    @Test func packetsWhileRunningGetErrors() {
        let (s, _) = makeSession()
        _ = s.send("c")
        #expect(s.send("g") == "+$E01#a6")
        #expect(s.state == .running)
    }

    @Test func consoleOutputOnlyWhileRunning() {
        let (s, _) = makeSession()
        #expect(s.consoleOutput("hi\n").isEmpty)
        _ = s.send("c")
        #expect(text(s.consoleOutput("hi\n")) == framed("O68690a"))
    }

    @Test func targetDescriptionInChunks() {
        let (s, _) = makeSession()
        let xml = I386TargetDescription.xml
        var document = ""
        var offset = 0
        while true {
            let reply = s.send("qXfer:features:read:target.xml:\(String(offset, radix: 16)),100")
            var d = PacketDecoder()
            guard case .packet(let payload)? = d.feed(bytes(String(reply.dropFirst()))).first else {
                Issue.record("no packet in \(reply)")
                return
            }
            document += text(Array(payload.dropFirst()))
            offset += payload.count - 1
            if payload.first == UInt8(ascii: "l") { break }
            #expect(payload.first == UInt8(ascii: "m"))
        }
        #expect(document == xml)
        #expect(s.send("qXfer:features:read:target.xml:ffff,100") == "+" + framed("l"))
        #expect(s.send("qXfer:features:read:other.xml:0,100") == "+$E01#a6")
    }

    @Test func targetDescriptionContents() {
        let xml = I386TargetDescription.xml
        #expect(xml.contains("<architecture>i386</architecture>"))
        #expect(xml.contains("<feature name=\"org.gnu.gdb.i386.core\">"))
        #expect(xml.contains("<flags id=\"i386_eflags\" size=\"4\">"))
        #expect(xml.contains("<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\" regnum=\"9\"/>"))
        #expect(xml.contains("<reg name=\"gs\" bitsize=\"32\" type=\"int32\" regnum=\"15\"/>"))
        #expect(xml.contains("<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"))
        let names = I386Register.allCases.map(\.name)
        #expect(names == ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                          "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"])
    }

    @Test func monitorCommands() {
        let (s, t) = makeSession()
        // "info tlb" → "ran info tlb\n" as an O packet, then OK.
        #expect(s.send("qRcmd,696e666f20746c62")
            == "+" + framed("O" + text(Hex.encode(bytes("ran info tlb\n")))) + framed("OK"))
        #expect(t.monitorCommands == ["info tlb"])
        t.monitorReply = { _ in "" }
        #expect(s.send("qRcmd,78") == "+$OK#9a")
        t.monitorReply = { _ in String(repeating: "z", count: GDBLimits.maxConsoleChunk + 1) }
        let reply = s.send("qRcmd,78")
        #expect(reply.split(separator: "$").filter { $0.hasPrefix("O7a") }.count == 2)   // two O packets
        #expect(reply.hasSuffix(framed("OK")))
    }

    @Test func detachEndsTheSession() {
        let (s, t) = makeSession()
        #expect(s.send("D") == "+$OK#9a")
        #expect(t.detached && s.state == .detached && s.isFinished)
        #expect(s.send("g").isEmpty)            // nothing after the end
    }

    @Test func killEndsTheSession() {
        let (s, t) = makeSession()
        #expect(s.send("k") == "+")
        #expect(t.killed && s.state == .killed)
        let (v, vt) = makeSession()
        #expect(v.send("vKill;1") == "+$OK#9a")
        #expect(vt.killed && v.isFinished)
    }

    @Test func unknownPacketsGetEmptyReplies() {
        let (s, _) = makeSession()
        for p in ["qL1200000000000000000", "!", "vFile:setfs:0", "QNonStop:1", "qXfer:auxv:read::0,100", ""] {
            #expect(s.send(p) == "+$#00")
        }
    }

    @Test func malformedPacketsGetE01() {
        let (s, _) = makeSession()
        for p in ["m", "mzz,1", "M1,2:zz", "P1", "pzz", "Z0,1", "Hgq", "qRcmd,1", "vCont;x", "cq",
                  "qXfer:features:read:target.xml:zz"] {
            #expect(s.send(p) == "+$E01#a6", "\(p)")
        }
        #expect(s.lastError != nil)
        #expect(s.state == .halted)
    }

    @Test func badChecksumGetsNackAndTheRetryWorks() {
        let (s, _) = makeSession()
        #expect(text(s.receive(bytes("$g#00"))) == "-")
        #expect(s.send("qC") == "+" + framed("QC1"))
    }

    @Test func nackRetransmitsTheLastPacket() {
        let (s, _) = makeSession()
        #expect(s.send("qC") == "+$QC1#c5")
        #expect(text(s.receive(bytes("-"))) == "$QC1#c5")
        #expect(s.receive(bytes("+")).isEmpty)
    }

    @Test func oversizedPacketGetsAnError() {
        let (s, _) = makeSession()
        let big = "M0," + String(repeating: "0", count: GDBLimits.maxPayload)
        #expect(s.send(big) == "+$E01#a6")
        #expect(s.send("qC") == "+$QC1#c5")
    }

    @Test func noAckMode() {
        let (s, _) = makeSession()
        // The QStartNoAckMode packet itself is still acked.
        #expect(s.send("QStartNoAckMode") == "+$OK#9a")
        #expect(s.noAckMode)
        #expect(text(s.receive(bytes("+"))).isEmpty)    // gdb's ack of our OK
        #expect(s.send("qC") == "$QC1#c5")
        #expect(text(s.receive(bytes("$g#00"))).isEmpty) // bad checksum: silently dropped
        #expect(text(s.receive(bytes("-"))).isEmpty)     // no retransmission
        #expect(s.send("m0,8001") == "$E01#a6")
    }

    @Test func splitChunksAreReassembled() {
        let (s, _) = makeSession()
        var out: [UInt8] = []
        for b in bytes(framed("m100000,4")) { out += s.receive([b]) }
        #expect(text(out) == "+" + framed("5589e5c3"))
        // Several packets in one chunk are answered in order.
        #expect(text(s.receive(bytes(framed("qC") + "+" + framed("p8"))))
            == "+" + framed("QC1") + "+" + framed("00001000"))
    }
}
