// Tests for PacketEncoder and the hex helpers.

import Testing
@testable import GDBRemote

@Suite struct PacketEncoderTests {
    @Test func literalPackets() {
        #expect(text(PacketEncoder.encode("OK")) == "$OK#9a")
        #expect(text(PacketEncoder.encode("")) == "$#00")
        #expect(text(PacketEncoder.encode("E01")) == "$E01#a6")
        #expect(text(PacketEncoder.encode("S05")) == "$S05#b8")
    }

    @Test func specialBytesAreEscaped() {
        let packet = PacketEncoder.encode(bytes("a#$}*b"))
        let body = bytes("a}\u{03}}\u{04}}]}\nb")
        #expect(packet == [UInt8(ascii: "$")] + body + [UInt8(ascii: "#")] + Hex.byte(body.reduce(0, &+)))
    }

    @Test func encodeThenDecodeRoundTripsAllBytes() {
        let payload = (0...255).map { UInt8($0) }
        var d = PacketDecoder()
        #expect(d.feed(PacketEncoder.encode(payload)) == [.packet(payload)])
    }

    @Test func hexNumbers() {
        #expect(Hex.uint32(bytes("0")) == 0)
        #expect(Hex.uint32(bytes("ffffffff")) == 0xFFFF_FFFF)
        #expect(Hex.uint32(bytes("00000000ffffffff")) == 0xFFFF_FFFF)  // leading zeros are fine
        #expect(Hex.uint32(bytes("100000000")) == nil)  // overflow
        #expect(Hex.uint32(bytes("")) == nil)
        #expect(Hex.uint32(bytes("12g")) == nil)
        #expect(Hex.uint32(bytes("-1")) == nil)
        #expect(Hex.int(bytes("8000"), limit: 0x8000) == 0x8000)
        #expect(Hex.int(bytes("8001"), limit: 0x8000) == nil)
        #expect(Hex.int(bytes("1"), limit: 0) == nil)
        #expect(Hex.int(bytes("0"), limit: 0) == 0)
    }

    @Test func hexBytes() {
        #expect(Hex.decode(bytes("00ff7A")) == [0x00, 0xFF, 0x7A])
        #expect(Hex.decode(bytes("0")) == nil)
        #expect(Hex.decode(bytes("zz")) == nil)
        #expect(Hex.decode(bytes("")) == [])
        #expect(text(Hex.encode([0xDE, 0xAD, 0x01])) == "dead01")
        #expect(text(Hex.littleEndian(0x1122_3344)) == "44332211")
        #expect(text(Hex.number(0)) == "0")
        #expect(text(Hex.number(0x10_0000)) == "100000")
    }
}
