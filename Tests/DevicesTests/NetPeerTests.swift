// Tests for the in-emulator LAN peer: ARP, ping and UDP echo answers with
// correct checksums, malformed frames dropped and counted, frames for others
// ignored, and the whole path guest NIC → peer → delivery queue → RX ring.

import Testing
@testable import Devices

@Suite struct NetPeerTests {
    func makePeer() -> (NetPeer, NetFrameRecorder) {
        let out = NetFrameRecorder()
        let peer = NetPeer(reply: { out.send($0) })
        return (peer, out)
    }

    @Test func answersARPForItsAddress() {
        let (peer, out) = makePeer()
        peer.send(Frames.arpRequest(for: .qemuHost))
        // Byte for byte what QEMU 7.2's slirp answered the same request with (64 bytes, zero padded).
        let slirp = "52540012345652550a0002020806000108000604000252550a0002020a0002025254001234560a00020f"
        #expect(out.frames.count == 1)
        #expect(hex(out.frames[0]) == slirp + String(repeating: "00", count: 22))
        peer.send(Frames.arpRequest(for: IPv4Address(10, 0, 2, 3)))   // someone else
        #expect(out.frames.count == 1)
        #expect(peer.counters.arpReplies == 1 && peer.counters.ignored == 1)
    }

    func hex(_ b: [UInt8]) -> String {
        b.map { let s = String($0, radix: 16); return s.count == 1 ? "0" + s : s }.joined()
    }

    @Test func answersPingLikeSlirp() {
        let (peer, out) = makePeer()
        let data = Array("abcdefghijklmnopqrstuvwxyzabcdef".utf8)
        peer.send(Frames.ping(id: 0xABCD, sequence: 1, data: data))
        #expect(out.frames.count == 1)
        let r = out.frames[0]
        // The reply QEMU 7.2's slirp gave the probe's identical ping (see PCIQEMUProbeTests).
        let slirp = "52540012345652550a00020208004500003c00004000ff0163b00a0002020a00020f00009b68abcd0001"
            + hex(data)
        #expect(hex(r) == slirp)
        #expect(NetBytes.internetChecksum(r, 14..<34) == 0)           // IPv4 header checksum
        #expect(NetBytes.internetChecksum(r, 34..<r.count) == 0)      // ICMP checksum
        #expect(peer.counters.echoReplies == 1)
    }

    @Test func echoesUDPToPort7WithAValidChecksum() {
        let (peer, out) = makePeer()
        let payload = Array("hello, nooks".utf8)
        peer.send(Frames.udpFrame(sourcePort: 40000, port: 7, payload))
        #expect(out.frames.count == 1)
        let r = out.frames[0]
        #expect(Array(r[0..<6]) == Frames.guestMAC.bytes && Array(r[6..<12]) == MACAddress.qemuHost.bytes)
        #expect(NetBytes.be32(r, 26) == IPv4Address.qemuHost.value && NetBytes.be32(r, 30) == Frames.guestIP.value)
        #expect(NetBytes.be16(r, 34) == 7 && NetBytes.be16(r, 36) == 40000)
        #expect(Array(r[42...]) == payload)
        #expect(NetBytes.internetChecksum(r, 14..<34) == 0)
        let pseudo = NetBytes.pseudoHeaderSum(source: IPv4Address.qemuHost.value, destination: Frames.guestIP.value,
                                              proto: 17, length: 8 + payload.count)
        #expect(NetBytes.finish(NetBytes.onesComplementSum(r, 34..<r.count, initial: pseudo)) == 0)
        #expect(NetBytes.be16(r, 40) != 0)
        // Without a checksum (0) the datagram is accepted too; the echo carries one.
        peer.send(Frames.udpFrame(port: 7, [1, 2, 3], checksum: false))
        #expect(out.frames.count == 2 && NetBytes.be16(out.frames[1], 40) != 0)
        #expect(peer.counters.udpEchoes == 2)
    }

    @Test func paddedFramesAreAnsweredFromTheIPLength() {
        let (peer, out) = makePeer()
        let udp = Frames.udpFrame(port: 7, [0x42])   // 43 bytes: padded on the wire
        peer.send(udp + [UInt8](repeating: 0, count: 60 - udp.count))
        #expect(out.frames.count == 1 && Array(out.frames[0][42...]) == [0x42])
    }

    @Test func ignoresWhatIsNotForItOrNotAService() {
        let (peer, out) = makePeer()
        peer.send(Frames.udpFrame(port: 9, [1]))                                   // not the echo port
        peer.send(Frames.ping(to: IPv4Address(10, 0, 2, 3)))                       // other IP
        peer.send(Frames.ping(mac: MACAddress([0x52, 0x54, 0, 0, 0, 9])))          // other MAC
        peer.send(Frames.ethernet(to: .qemuHost, type: 0x86DD, Array(repeating: 0, count: 60)))  // IPv6
        peer.send(Frames.ethernet(to: .qemuHost, type: 0x0800,
                                  Frames.ipv4(proto: 1, to: .qemuHost, Frames.icmpEcho(id: 1, sequence: 1, data: [], type: 0))))
        #expect(out.frames.isEmpty)
        #expect(peer.counters.ignored == 5 && peer.counters.malformed == 0)
    }

    @Test func malformedFramesAreDroppedAndCounted() {
        let (peer, out) = makePeer()
        let ping = Frames.ping()
        var cases: [([UInt8], String)] = []
        cases.append((Array(ping.prefix(10)), "shorter than an Ethernet header"))
        var badIPSum = ping; badIPSum[24] ^= 0xFF
        cases.append((badIPSum, "IPv4 header checksum"))
        var badICMPSum = ping; badICMPSum[36] ^= 0x01
        cases.append((badICMPSum, "ICMP checksum"))
        var badVersion = ping; badVersion[14] = 0x65
        cases.append((badVersion, "IP version"))
        var badIHL = ping; badIHL[14] = 0x44
        cases.append((badIHL, "header length"))
        var longTotal = ping; NetBytes.put16(&longTotal, 16, 1000)
        NetBytes.put16(&longTotal, 24, 0); NetBytes.put16(&longTotal, 24, NetBytes.internetChecksum(longTotal, 14..<34))
        cases.append((longTotal, "total length"))
        cases.append((Array(ping.prefix(40)), "IPv4 total length"))
        var badUDPSum = Frames.udpFrame(port: 7, [1, 2, 3]); badUDPSum[42] ^= 0xFF
        cases.append((badUDPSum, "UDP checksum"))
        var badUDPLength = Frames.udpFrame(port: 7, [1, 2, 3]); NetBytes.put16(&badUDPLength, 38, 200)
        cases.append((badUDPLength, "UDP length"))
        cases.append((Array(Frames.arpRequest(for: .qemuHost).prefix(30)), "ARP frame"))
        var badARP = Frames.arpRequest(for: .qemuHost); badARP[18] = 8
        cases.append((badARP, "ARP header"))
        var groupSource = ping; groupSource[6] = 0x01
        cases.append((groupSource, "group address"))
        cases.append((Array(repeating: 0x00, count: 3000), "MTU"))
        for (i, (frame, reason)) in cases.enumerated() {
            peer.send(frame)
            #expect(peer.counters.malformed == UInt64(i + 1), "case \(i): \(reason)")
            #expect(peer.counters.lastMalformed?.contains(reason) == true,
                    "case \(i): expected \(reason), got \(peer.counters.lastMalformed ?? "nil")")
        }
        #expect(out.frames.isEmpty)
        peer.send(ping)                                   // and it still answers good ones
        #expect(out.frames.count == 1)
    }

    @Test func randomBytesNeverTrap() {
        let (peer, _) = makePeer()
        var rng = SplitMix64(seed: 77)
        for _ in 0..<3000 {
            var frame = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if frame.count > 14, rng.next() & 1 == 0 {
                frame.replaceSubrange(0..<6, with: MACAddress.qemuHost.bytes)
                frame[12] = 0x08; frame[13] = rng.next() & 1 == 0 ? 0x00 : 0x06
                if frame.count > 15 { frame[14] = 0x45 }
            }
            peer.send(frame)
        }
        #expect(peer.counters.framesSeen == 3000)
    }

    @Test func guestPingsThePeerThroughTheNICAndTheDeliveryQueue() {
        let rig = NICRig()
        var now: UInt64 = 1_000
        let latency: UInt64 = 5_000
        let peer = NetPeer()
        let nic = rig.nic
        peer.reply = { [unowned nic] in nic.queueForDelivery($0, atCycle: now + latency) }
        nic.backend = peer
        rig.setUpTX()
        rig.setUpRX()
        rig.w(Reg.ims, Cause.rxt0)
        rig.transmit(Frames.arpRequest(for: .qemuHost))
        now = 2_000
        rig.transmit(Frames.ping())
        #expect(peer.counters.arpReplies == 1 && peer.counters.echoReplies == 1)
        #expect(nic.pendingFrameCount == 2 && nic.nextDeliveryCycle == 6_000)
        #expect(rig.r(Reg.rdh) == 0 && !rig.irq.level)       // nothing written during the MMIO write
        nic.deliverPending(upToCycle: 6_500)
        #expect(rig.r(Reg.rdh) == 1 && rig.irq.level)
        #expect(rig.rxDescriptor(0).length == 64)             // slirp-sized ARP reply
        nic.deliverPending(upToCycle: 7_000)
        #expect(rig.rxDescriptor(1).length == 74)
        let reply = rig.rxBuffer(1, 74)
        #expect(reply[34] == 0 && NetBytes.internetChecksum(reply, 34..<74) == 0)
    }
}
