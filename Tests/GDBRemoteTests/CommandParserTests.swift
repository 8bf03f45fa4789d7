// Tests for GDBCommand parsing: every packet family, with good and bad arguments.

import Testing
import GDBRemote

@Suite struct CommandParserTests {
    func parse(_ s: String) -> GDBCommand { GDBCommand(parsing: bytes(s)) }
    func parse(_ b: [UInt8]) -> GDBCommand { GDBCommand(parsing: b) }

    func isMalformed(_ c: GDBCommand) -> Bool {
        if case .malformed = c { return true }
        return false
    }

    @Test func connectionQueries() {
        #expect(parse("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
            == .querySupported(features: ["multiprocess+", "swbreak+", "hwbreak+", "xmlRegisters=i386"]))
        #expect(parse("qSupported") == .querySupported(features: []))
        #expect(parse("vMustReplyEmpty") == .mustReplyEmpty)
        #expect(parse("QStartNoAckMode") == .startNoAckMode)
        #expect(parse("qTStatus") == .traceStatus)
        #expect(parse("?") == .haltReason)
        #expect(parse("qfThreadInfo") == .threadInfoFirst)
        #expect(parse("qsThreadInfo") == .threadInfoNext)
        #expect(parse("qC") == .currentThread)
        #expect(parse("qAttached") == .attached)
        #expect(parse("qAttached:1") == .attached)
        #expect(parse("qOffsets") == .offsets)
        #expect(parse("qSymbol::") == .symbol(":"))
        #expect(parse("qSymbol:6d61696e:main") == .symbol("6d61696e:main"))
    }

    @Test func threads() {
        #expect(parse("Hg0") == .setThread(operation: "g", thread: .any))
        #expect(parse("Hc-1") == .setThread(operation: "c", thread: .all))
        #expect(parse("Hg1") == .setThread(operation: "g", thread: .id(1)))
        #expect(parse("Hgp1.2") == .setThread(operation: "g", thread: .id(2)))
        #expect(parse("Hgp1.-1") == .setThread(operation: "g", thread: .all))
        #expect(parse("T1") == .threadAlive(.id(1)))
        #expect(isMalformed(parse("Hgzz")))
        #expect(isMalformed(parse("Hg")))
        #expect(parse("Hs1") == .unknown(bytes("Hs1")))
    }

    @Test func registers() {
        #expect(parse("g") == .readRegisters)
        #expect(parse("p8") == .readRegister(8))
        #expect(parse("p1f") == .readRegister(31))
        #expect(parse("P8=00001000") == .writeRegister(8, [0, 0, 0x10, 0]))
        let g = String(repeating: "01000000", count: 16)
        #expect(parse("G" + g) == .writeRegisters(Array(repeating: [1, 0, 0, 0], count: 16).flatMap { $0 }))
        #expect(isMalformed(parse("G0102")))           // too short
        #expect(isMalformed(parse("G" + g + "0")))     // odd
        #expect(isMalformed(parse("p")))
        #expect(isMalformed(parse("pxyz")))
        #expect(isMalformed(parse("P8")))
        #expect(isMalformed(parse("P8=")))
        #expect(isMalformed(parse("P8=123")))
        #expect(isMalformed(parse("P=00")))
    }

    @Test func memoryReads() {
        #expect(parse("m100000,4") == .readMemory(address: 0x10_0000, length: 4))
        #expect(parse("mffffffff,1") == .readMemory(address: 0xFFFF_FFFF, length: 1))
        #expect(parse("m0,8000") == .readMemory(address: 0, length: 0x8000))
        #expect(isMalformed(parse("m100000")))          // no comma
        #expect(isMalformed(parse("m,4")))
        #expect(isMalformed(parse("m100,")))
        #expect(isMalformed(parse("mzz,4")))
        #expect(isMalformed(parse("m100000000,4")))     // address > 32 bits
        #expect(isMalformed(parse("m0,8001")))          // over the cap
        #expect(isMalformed(parse("m0,ffffffffffffffffffff")))
    }

    @Test func memoryWrites() {
        #expect(parse("M100,3:aabbcc") == .writeMemory(address: 0x100, bytes: [0xAA, 0xBB, 0xCC]))
        #expect(parse("M100,0:") == .writeMemory(address: 0x100, bytes: []))
        #expect(isMalformed(parse("M100,3:aabb")))      // length mismatch
        #expect(isMalformed(parse("M100,1:zz")))
        #expect(isMalformed(parse("M100,1")))
        #expect(isMalformed(parse("M100:aa")))
    }

    @Test func binaryMemoryWrites() {
        // Binary data may contain ':' ',' and any byte; the decoder already unescaped it.
        let data: [UInt8] = [0x3A, 0x2C, 0x00, 0xFF, 0x23, 0x03]
        #expect(parse(bytes("X200,6:") + data) == .writeMemoryBinary(address: 0x200, bytes: data))
        #expect(parse("X200,0:") == .writeMemoryBinary(address: 0x200, bytes: []))
        #expect(isMalformed(parse(bytes("X200,5:") + data)))
        #expect(isMalformed(parse("X200")))
    }

    @Test func breakpoints() {
        #expect(parse("Z0,100000,1") == .insertBreakpoint(.software, address: 0x10_0000, kind: 1))
        #expect(parse("z0,100000,1") == .removeBreakpoint(.software, address: 0x10_0000, kind: 1))
        #expect(parse("Z1,2000,1") == .insertBreakpoint(.hardware, address: 0x2000, kind: 1))
        #expect(parse("Z2,3000,4") == .insertBreakpoint(.writeWatchpoint, address: 0x3000, kind: 4))
        #expect(parse("Z3,3000,2") == .insertBreakpoint(.readWatchpoint, address: 0x3000, kind: 2))
        #expect(parse("z4,3000,1") == .removeBreakpoint(.accessWatchpoint, address: 0x3000, kind: 1))
        #expect(parse("Z0,100000,1;X2,0a0b") == .insertBreakpoint(.software, address: 0x10_0000, kind: 1))
        #expect(parse("Z5,100,1") == .unknown(bytes("Z5,100,1")))
        #expect(isMalformed(parse("Z0,100")))
        #expect(isMalformed(parse("Z0,,1")))
        #expect(isMalformed(parse("Zq,100,1")))
        #expect(isMalformed(parse("Z0,100,1,2")))
    }

    @Test func runControl() {
        #expect(parse("c") == .continue(address: nil))
        #expect(parse("c100000") == .continue(address: 0x10_0000))
        #expect(parse("s") == .step(address: nil))
        #expect(parse("s2000") == .step(address: 0x2000))
        #expect(parse("C05") == .continue(address: nil))
        #expect(parse("S0b;4000") == .step(address: 0x4000))
        #expect(isMalformed(parse("cxyz")))
        #expect(isMalformed(parse("C")))
        #expect(parse("k") == .kill)
        #expect(parse("vKill;1") == .vKill)
        #expect(parse("vKill") == .vKill)
        #expect(parse("D") == .detach)
        #expect(parse("D;1") == .detach)
    }

    @Test func vCont() {
        #expect(parse("vCont?") == .vContQuery)
        #expect(parse("vCont;c") == .vCont([VContAction(.continue)]))
        #expect(parse("vCont;s:1;c") == .vCont([VContAction(.step, thread: .id(1)), VContAction(.continue)]))
        #expect(parse("vCont;c:-1") == .vCont([VContAction(.continue, thread: .all)]))
        #expect(parse("vCont;C05:p1.1") == .vCont([VContAction(.continueWithSignal(5), thread: .id(1))]))
        #expect(parse("vCont;S0b") == .vCont([VContAction(.stepWithSignal(11))]))
        #expect(parse("vCont;r1000,1010:1")
            == .vCont([VContAction(.rangeStep(start: 0x1000, end: 0x1010), thread: .id(1))]))
        #expect(parse("vCont;t:1") == .vCont([VContAction(.stop, thread: .id(1))]))
        #expect(isMalformed(parse("vCont;")))
        #expect(isMalformed(parse("vCont;q")))
        #expect(isMalformed(parse("vCont;c:zz")))
        #expect(isMalformed(parse("vCont;cc")))
        #expect(parse("vCtrlC") == .unknown(bytes("vCtrlC")))
    }

    @Test func targetDescriptionRead() {
        #expect(parse("qXfer:features:read:target.xml:0,ffb")
            == .readFeatures(annex: "target.xml", offset: 0, length: 0xFFB))
        #expect(parse("qXfer:features:read:i386-core.xml:1a,20")
            == .readFeatures(annex: "i386-core.xml", offset: 0x1A, length: 0x20))
        #expect(isMalformed(parse("qXfer:features:read:target.xml:0")))
        #expect(isMalformed(parse("qXfer:features:read:target.xml")))
        #expect(parse("qXfer:memory-map:read::0,100") == .unknown(bytes("qXfer:memory-map:read::0,100")))
    }

    @Test func monitor() {
        // "info tlb" hex-encoded.
        #expect(parse("qRcmd,696e666f20746c62") == .monitor("info tlb"))
        #expect(parse("qRcmd,") == .monitor(""))
        #expect(isMalformed(parse("qRcmd,6")))
        #expect(isMalformed(parse("qRcmd,zz")))
    }

    @Test func unknownPackets() {
        #expect(parse("") == .unknown([]))
        #expect(parse("qL1200000000000000000") == .unknown(bytes("qL1200000000000000000")))
        #expect(parse("!") == .unknown(bytes("!")))
        #expect(parse("vFile:setfs:0") == .unknown(bytes("vFile:setfs:0")))
        #expect(parse("QNonStop:1") == .unknown(bytes("QNonStop:1")))
        #expect(parse("gx") == .unknown(bytes("gx")))
    }
}
