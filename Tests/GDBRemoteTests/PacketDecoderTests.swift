// Tests for PacketDecoder: framing, checksums, escapes, run-length encoding,
// control bytes, split chunks, garbage and oversized packets.

import Testing
@testable import GDBRemote

@Suite struct PacketDecoderTests {
    func decode(_ s: String) -> [PacketEvent] {
        var d = PacketDecoder()
        return d.feed(bytes(s))
    }

    @Test func plainPacket() {
        #expect(decode("$g#67") == [.packet(bytes("g"))])
        #expect(decode("$qSupported#37") == [.packet(bytes("qSupported"))])
        #expect(decode("$#00") == [.packet([])])
    }

    @Test func checksumDigitsAcceptEitherCase() {
        #expect(decode("$OK#9A") == [.packet(bytes("OK"))])
        #expect(decode("$OK#9a") == [.packet(bytes("OK"))])
    }

    @Test func badChecksumIsReported() {
        #expect(decode("$g#68") == [.badChecksum])
        #expect(decode("$g#zz") == [.badChecksum])
        // The stream carries on after a bad packet.
        #expect(decode("$g#00$g#67") == [.badChecksum, .packet(bytes("g"))])
    }

    @Test func controlBytes() {
        #expect(decode("+-\u{03}") == [.ack, .nack, .interrupt])
        #expect(decode("+$g#67+") == [.ack, .packet(bytes("g")), .ack])
    }

    @Test func interruptByteInsideAPacketIsData() {
        // X packets carry raw binary; 0x03 is not escaped.
        let raw: [UInt8] = bytes("$X0,1:") + [0x03] + bytes("#")
        let sum = (bytes("X0,1:") + [0x03]).reduce(UInt8(0), &+)
        var d = PacketDecoder()
        let events = d.feed(raw + Hex.byte(sum))
        #expect(events == [.packet(bytes("X0,1:") + [0x03])])
    }

    @Test func garbageBetweenPacketsIsSkipped() {
        #expect(decode("hello$g#67\r\nxyz$?#3f") == [.packet(bytes("g")), .packet(bytes("?"))])
    }

    @Test func splitAtEveryByte() {
        var d = PacketDecoder()
        var events: [PacketEvent] = []
        for b in bytes("+" + framed("m100,4") + "-\u{03}") { events += d.feed([b]) }
        #expect(events == [.ack, .packet(bytes("m100,4")), .nack, .interrupt])
    }

    @Test func splitInsideChecksum() {
        var d = PacketDecoder()
        #expect(d.feed(bytes("$g#6")).isEmpty)
        #expect(d.isInsidePacket)
        #expect(d.feed(bytes("7")) == [.packet(bytes("g"))])
        #expect(!d.isInsidePacket)
    }

    @Test func escapesAreUndone() {
        // "}\x03" is '#' (0x23 ^ 0x20 = 0x03), "}\x04" is '$', "}]" is '}', "}\n" is '*'.
        let body: [UInt8] = [UInt8(ascii: "X"), UInt8(ascii: "}"), 0x03, UInt8(ascii: "}"), 0x04,
                             UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x0A]
        var d = PacketDecoder()
        let events = d.feed([UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + Hex.byte(body.reduce(0, &+)))
        #expect(events == [.packet(bytes("X#$}*"))])
    }

    @Test func runLengthIsExpanded() {
        // '0* ' is '0' then ' ' - 29 = 3 more: "0000".
        #expect(decode(framed("0* ")) == [.packet(bytes("0000"))])
        // 'x*"' is 'x' + 5 more; combined with plain bytes either side.
        #expect(decode(framed("ax*\"b")) == [.packet(bytes("axxxxxxb"))])
    }

    @Test func runLengthWithoutAPreviousByteRepeatsNothing() {
        #expect(decode(framed("* a")) == [.packet(bytes("a"))])
    }

    @Test func danglingEscapeOrRunAtEndOfPacket() {
        #expect(decode(framed("a}")) == [.packet(bytes("a"))])
        #expect(decode(framed("a*")) == [.packet(bytes("a"))])
    }

    @Test func dollarInsideAPacketRestartsIt() {
        #expect(decode("$garbage$g#67") == [.packet(bytes("g"))])
    }

    @Test func oversizedPacketIsDroppedAndStreamRecovers() {
        var d = PacketDecoder(maxPayload: 8)
        #expect(d.feed(bytes(framed("123456789"))) == [.oversized])
        #expect(d.feed(bytes(framed("12345678"))) == [.packet(bytes("12345678"))])
    }

    @Test func runLengthCannotExceedTheLimit() {
        var d = PacketDecoder(maxPayload: 64)
        // Each "a*~" is 1 + 97 bytes.
        #expect(d.feed(bytes(framed("a*~"))) == [.oversized])
    }

    @Test func defaultLimitIs64KiB() {
        var d = PacketDecoder()
        let big = String(repeating: "a", count: GDBLimits.maxPayload)
        #expect(d.feed(bytes(framed(big))) == [.packet(bytes(big))])
        #expect(d.feed(bytes(framed(big + "a"))) == [.oversized])
    }
}
