// Tests for the pcap writer: the global header and record layout byte by
// byte, timestamps from virtual cycles, snap length, determinism of a whole
// NIC + peer session, and (when tshark is installed) that tshark reads it.

import Foundation
import Testing
@testable import Devices

@Suite struct NetPcapTests {
    func le32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    @Test func globalHeaderIsClassicPcapForEthernet() {
        let pcap = PcapBuffer(cyclesPerSecond: 1_000_000_000)
        #expect(pcap.bytes == [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                               0xFF, 0xFF, 0, 0, 1, 0, 0, 0])
        let ns = PcapBuffer(cyclesPerSecond: 1, resolution: .nanoseconds)
        #expect(Array(ns.bytes.prefix(4)) == [0x4D, 0x3C, 0xB2, 0xA1])
    }

    @Test func recordsCarryVirtualTimestampsAndLengths() {
        let pcap = PcapBuffer(cyclesPerSecond: 1_000_000_000)
        let frame: [UInt8] = Array(0..<70)
        pcap.write(frame, cycles: 3_250_000_123)              // 3.250000123 s
        let r = Array(pcap.bytes[24...])
        #expect(r.count == 16 + 70)
        #expect(le32(r, 0) == 3)
        #expect(le32(r, 4) == 250_000)                         // microseconds, truncated
        #expect(le32(r, 8) == 70 && le32(r, 12) == 70)
        #expect(Array(r[16...]) == frame)
        #expect(pcap.writer.recordCount == 1 && pcap.writer.byteCount == UInt64(24 + 16 + 70))
    }

    @Test func timestampArithmeticDoesNotOverflow() {
        let w = PcapWriter(cyclesPerSecond: 3_000_000_000, resolution: .nanoseconds) { _ in }
        #expect(w.timestamp(cycles: 4_500_000_000) == (1, 500_000_000))
        let big = PcapWriter(cyclesPerSecond: .max) { _ in }
        #expect(big.timestamp(cycles: .max - 1) == (0, 999_999))
        let zero = PcapWriter(cyclesPerSecond: 0) { _ in }
        #expect(zero.timestamp(cycles: 7) == (7, 0))
    }

    @Test func longFramesAreCutToTheSnapLength() {
        var bytes: [UInt8] = []
        let w = PcapWriter(cyclesPerSecond: 1000, snapLength: 64) { bytes += $0 }
        w.write(Array(repeating: 0xAA, count: 100), cycles: 0)
        #expect(le32(bytes, 16) == 64)                         // snaplen in the header
        #expect(le32(bytes, 24 + 8) == 64 && le32(bytes, 24 + 12) == 100)
        #expect(bytes.count == 24 + 16 + 64)
    }

    /// A ping session through NIC and peer, captured; returns the pcap bytes.
    func session() -> [UInt8] {
        let rig = NICRig()
        var now: UInt64 = 0
        let pcap = PcapBuffer(cyclesPerSecond: 1_000_000_000)
        let peer = NetPeer()
        let nic = rig.nic
        peer.reply = { [unowned nic] in nic.queueForDelivery($0, atCycle: now + 20_000) }
        nic.backend = peer
        nic.tap = { frame, _ in pcap.write(frame, cycles: now) }
        rig.setUpTX()
        rig.setUpRX(count: 32)
        rig.transmit(Frames.arpRequest(for: .qemuHost))
        for i in 0..<10 {
            now += 1_000_000
            nic.deliverPending(upToCycle: now)
            rig.transmit(Frames.ping(sequence: UInt16(i)))
            rig.transmit(Frames.udpFrame(sourcePort: UInt16(1000 + i), [UInt8(i)]))
        }
        now += 1_000_000
        nic.deliverPending(upToCycle: now)
        return pcap.bytes
    }

    @Test func captureOfASessionIsDeterministic() {
        let a = session(), b = session()
        #expect(a == b)
        #expect(a.count > 24 + 42 * 16)
    }

    @Test(.enabled(if: NetPcapTests.tshark != nil))
    func tsharkReadsTheCapture() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nooks-emu-net-\(getpid()).pcap")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(session()).write(to: url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.tshark!)
        // Checksum validation on: status 1 = good, 0 = bad, 2 = not checked.
        process.arguments = ["-r", url.path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                             "-T", "fields", "-e", "frame.time_epoch", "-e", "_ws.col.Protocol",
                             "-e", "_ws.col.Info", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                             "-e", "icmp.checksum.status", "-e", "_ws.expert.message"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 42)   // 1 + 20 out, 1 + 20 back
        #expect(lines.first?.hasPrefix("0.000000000\tARP") == true)
        #expect(lines.filter { $0.contains("Echo (ping) reply") }.count == 10)
        #expect(lines.filter { $0.contains("\tECHO\t") || $0.contains("\tUDP\t") }.count == 20)
        #expect(!output.lowercased().contains("bad checksum") && !output.lowercased().contains("malformed"))
        let ipLines = lines.filter { !$0.contains("\tARP\t") }
        #expect(ipLines.count == 40)
        for line in ipLines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count >= 6 && fields[3] == "1", "IP checksum: \(line)")
            #expect(fields[4] == "1" || fields[5] == "1", "UDP/ICMP checksum: \(line)")
        }
    }

    static let tshark: String? = ["/usr/bin/tshark", "/usr/local/bin/tshark"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
