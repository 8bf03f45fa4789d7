// Bad input, natively and isolated: corrupt FAT images under workload=fs
// (the guest reports errors and ends cleanly; what it did not write is
// unchanged), and malformed frames delivered straight into the e1000's
// receive path while kHTTPd serves through slirp (the guest never panics and
// keeps serving). The same image corruptions run under QEMU in
// `make -C guest-images check-fs`.

import Testing
import Foundation
import Devices
import ELF
@testable import Machine

/// The layout of a mkdisk.sh FAT32 image and the corruptions of guest-images/tests/qemu-check-fs.sh.
struct FAT32Layout {
    let bytesPerSector = 512
    let sectorsPerCluster: Int, reserved: Int, fats: Int, fatSectors: Int, rootCluster: Int

    init(_ d: Data) {
        let b = [UInt8](d.prefix(512))
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        sectorsPerCluster = Int(b[13]); reserved = u16(14); fats = Int(b[16]); fatSectors = u32(36); rootCluster = u32(44)
    }
    var dataStart: Int { reserved + fats * fatSectors }
    func clusterOffset(_ c: Int) -> Int { (dataStart + (c - 2) * sectorsPerCluster) * bytesPerSector }
    func fatEntryOffsets(_ c: Int) -> [Int] { (0..<fats).map { (reserved + $0 * fatSectors) * bytesPerSector + c * 4 } }
    var clusterBytes: Int { sectorsPerCluster * bytesPerSector }

    /// Offset of the 32-byte root directory entry with the short name `name` (11 chars).
    func rootEntry(_ d: Data, _ name: String) -> Int? {
        let root = clusterOffset(rootCluster)
        return stride(from: root, to: root + clusterBytes, by: 32).first { Data(d[$0..<$0 + 11]) == Data(name.utf8) }
    }
    func startCluster(_ d: Data, entry e: Int) -> Int {
        Int(d[e + 26]) | Int(d[e + 27]) << 8 | Int(d[e + 20]) << 16 | Int(d[e + 21]) << 24
    }
    /// The byte ranges of /big.bin's clusters (mcopy writes it contiguously).
    func bigRange(_ d: Data) -> Range<Int> {
        let start = clusterOffset(startCluster(d, entry: rootEntry(d, "BIG     BIN")!))
        return start..<start + (1 << 20)
    }
}

enum Corruption: String, CaseIterable, CustomTestStringConvertible {
    case badBPB, fatCycle, outOfRangeCluster, crossLinked, garbageDirectory, truncatedImage
    var testDescription: String { rawValue }

    /// Damages the image at `path`; returns the byte ranges the guest must leave unchanged.
    func apply(_ path: String) throws -> [Range<Int>] {
        var d = try Data(contentsOf: URL(fileURLWithPath: path))
        let l = FAT32Layout(d)
        let bigEntry = l.rootEntry(d, "BIG     BIN")!, big = l.startCluster(d, entry: bigEntry), bigData = l.bigRange(d)
        func setFAT(_ c: Int, _ v: UInt32) {
            for o in l.fatEntryOffsets(c) { for k in 0..<4 { d[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) } }
        }
        var keep = [0..<512]
        switch self {
        case .badBPB:                      // bytes per sector 1000: the mount must refuse, nothing is written
            d[11] = 0xE8; d[12] = 0x03
            keep = [0..<d.count]
        case .fatCycle:                    // a loop inside /big.bin's chain
            setFAT(big + 40, UInt32(big + 3))
        case .outOfRangeCluster:           // /big.bin's chain leaves the volume
            setFAT(big + 40, 0x0FFF_FF00)
        case .crossLinked:                 // /index.html starts inside /big.bin's clusters
            let e = l.rootEntry(d, "INDEX~1 HTM")!, c = big + 5
            d[e + 26] = UInt8(c & 0xFF); d[e + 27] = UInt8(c >> 8 & 0xFF); d[e + 20] = UInt8(c >> 16 & 0xFF); d[e + 21] = UInt8(c >> 24)
            keep.append(bigData)
        case .garbageDirectory:            // the root directory after /big.bin's entry is noise
            var rng = SplitMix(seed: 7)
            let root = l.clusterOffset(l.rootCluster)
            for i in bigEntry + 32..<root + l.clusterBytes { d[i] = UInt8(truncatingIfNeeded: rng.next()) }
            keep.append(bigData)
        case .truncatedImage:              // the file ends 1 MiB + 100 bytes in
            d = d.prefix((1 << 20) + 100)
        }
        if self != .badBPB, self != .truncatedImage, self != .crossLinked, self != .garbageDirectory {
            keep.append(bigData)           // the data of /big.bin itself is never written
        }
        try d.write(to: URL(fileURLWithPath: path))
        return keep
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The guest ended without a crash: powered off or reported FAIL (debug-exit 1).
func endedCleanly(_ exit: MachineExit, _ text: String) -> Bool {
    (exit == .powerOff || exit == .debugExit(value: 1, status: 3))
        && !text.contains("Kernel panic") && !text.contains("Oops")
}

@Suite("Bad input: corrupt FAT images", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && DiskFixture.guestDriverPresent))
struct CorruptImageTests {
    static let cases: [(Corruption, String)] = Corruption.allCases.flatMap { [($0, "none"), ($0, "vfat")] }

    @Test("the guest reports errors, ends cleanly, and leaves what it did not write unchanged", arguments: cases)
    func corrupt(_ c: Corruption, nooks: String) throws {
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let keep = try c.apply(path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let (m, exit, _) = try DiskFixture.boot(disk: path, append: "selftest=0 nooks=\(nooks) workload=fs edge=0")
        let text = m.serialText
        #expect(endedCleanly(exit, text), "exit \(exit):\n\(text.suffix(3000))")
        #expect(text.contains("workload: fs files=") || text.contains("workload: fs mount vfat on 0300: -"), "\(text.suffix(2000))")
        // (a cross-linked /index.html and noise after /big.bin's entry are not read by the workload)
        #expect(!text.contains("workload: PASS") || c == .garbageDirectory || c == .crossLinked, "\(text.suffix(2000))")
        if nooks == "vfat", text.contains("nooks: fault domain=vfat") {
            #expect(text.contains("nooks: recovered domain=vfat"), "\(text.suffix(2000))")
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after.count == before.count, "the image does not grow")
        for r in keep where r.upperBound <= before.count {
            #expect(after[r] == before[r], "bytes \(r) changed")
        }
        switch c {
        case .badBPB, .truncatedImage:     // (a truncated file makes a disk smaller than the volume)
            #expect(text.contains("workload: fs mount vfat on 0300: -22"), "\(text.suffix(2000))")
        case .fatCycle, .outOfRangeCluster: #expect(text.contains("workload: fs round 2 FAIL -5"), "\(text.suffix(2000))")
        default: break
        }
    }
}

/// Malformed frames for the guest at 10.0.2.15 (MAC 52:54:00:12:34:56) from slirp's 10.0.2.2.
enum BadFrames {
    static let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    static let peerMAC: [UInt8] = [0x52, 0x55, 0x0A, 0x00, 0x02, 0x02]
    static let guestIP: [UInt8] = [10, 0, 2, 15], peerIP: [UInt8] = [10, 0, 2, 2]

    static func sum(_ b: [UInt8], _ initial: UInt32 = 0) -> UInt16 {
        var s = initial
        var i = 0
        while i + 1 < b.count { s += UInt32(b[i]) << 8 | UInt32(b[i + 1]); i += 2 }
        if i < b.count { s += UInt32(b[i]) << 8 }
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return ~UInt16(s)
    }
    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func eth(_ type: Int, _ payload: [UInt8]) -> [UInt8] { guestMAC + peerMAC + be16(type) + payload }

    /// An IPv4 packet; `ihl`, `total`, `frag` and a broken checksum on request.
    static func ip(_ proto: UInt8, _ payload: [UInt8], ihl: Int = 5, total: Int? = nil, frag: Int = 0,
                   badSum: Bool = false, src: [UInt8] = peerIP) -> [UInt8] {
        var h: [UInt8] = [UInt8(0x40 | (ihl & 0xF)), 0] + be16(total ?? (20 + payload.count)) + [0x12, 0x34] + be16(frag)
            + [64, proto, 0, 0] + src + guestIP
        let opts = max(0, ihl * 4 - 20)
        h += [UInt8](repeating: 1, count: min(opts, 40))
        let c = sum(Array(h.prefix(max(20, ihl * 4))))
        h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xFF) ^ (badSum ? 0x55 : 0)
        return eth(0x0800, h + payload)
    }

    /// A TCP segment with a correct checksum (so the stack looks at the rest).
    static func tcp(sport: Int, dport: Int = 80, seq: UInt32 = 1000, ack: UInt32 = 0, offset: Int = 5, flags: UInt8,
                    data: [UInt8] = [], src: [UInt8] = peerIP) -> [UInt8] {
        var t: [UInt8] = be16(sport) + be16(dport) + be16(Int(seq >> 16)) + be16(Int(seq & 0xFFFF))
            + be16(Int(ack >> 16)) + be16(Int(ack & 0xFFFF)) + [UInt8((offset & 0xF) << 4), flags] + be16(8192) + [0, 0, 0, 0]
        t += data
        let pseudo = src + guestIP + [0, 6] + be16(t.count)
        var pre: UInt32 = 0
        for i in stride(from: 0, to: pseudo.count, by: 2) { pre += UInt32(pseudo[i]) << 8 | UInt32(pseudo[i + 1]) }
        let c = sum(t, pre)
        t[16] = UInt8(c >> 8); t[17] = UInt8(c & 0xFF)
        return ip(6, t, src: src)
    }

    static func udp(dport: Int, length: Int?, data: [UInt8]) -> [UInt8] {
        ip(17, be16(4000) + be16(dport) + be16(length ?? (8 + data.count)) + [0, 0] + data)
    }

    /// Every kind, then seeded noise with plausible headers.
    static func all() -> [[UInt8]] {
        var f: [[UInt8]] = []
        f += (0..<14).map { [UInt8](repeating: 0xAB, count: $0) }               // runts
        f.append(eth(0x0800, []))                                               // an empty IPv4 frame
        f.append(eth(0x0806, [0, 1, 8, 0, 6, 4, 0, 1]))                         // a truncated ARP
        f.append(eth(0x0806, [0, 1, 8, 0, 99, 99, 0, 1] + [UInt8](repeating: 0, count: 20)))   // bogus ARP lengths
        f.append(eth(0x0806, [0, 1, 8, 0, 6, 4, 0, 9] + peerMAC + peerIP + guestMAC + guestIP))   // an unknown ARP op
        for ihl in [0, 1, 4, 6, 15] { f.append(ip(1, [8, 0, 0, 0, 0, 0, 0, 0], ihl: ihl)) }          // bad IHL
        f.append(eth(0x0800, [0x60] + [UInt8](repeating: 0, count: 39)))        // version 6 in an IPv4 frame
        f.append(ip(1, [8, 0, 0, 0], total: 1400))                              // total length past the frame
        f.append(ip(1, [8, 0, 0, 0], total: 12))                                // total length below the header
        f.append(ip(1, [8, 0, 0xF7, 0xFF, 0, 1, 0, 1], badSum: true))           // a bad header checksum
        f.append(ip(1, [8, 0, 0, 0] + [UInt8](repeating: 7, count: 64), frag: 0x2000))        // a first fragment
        f.append(ip(1, [UInt8](repeating: 7, count: 64), frag: 0x0008))         // a later fragment
        f.append(ip(1, [8, 0]))                                                 // a truncated ICMP echo
        f.append(ip(1, [8, 0, 0x12, 0x34, 0, 1, 0, 1] + [UInt8](repeating: 1, count: 1400)))  // a big echo, bad checksum
        f.append(ip(255, [1, 2, 3]))                                            // an unknown protocol
        f.append(udp(dport: 7, length: 2000, data: [1, 2, 3]))                   // UDP length past the packet
        f.append(udp(dport: 7, length: 3, data: [1, 2, 3]))                      // UDP length below its header
        f.append(ip(17, [0, 1]))                                                // a truncated UDP header
        f.append(ip(6, [0, 80, 0, 80]))                                         // a truncated TCP header
        for off in [0, 1, 4, 15] { f.append(tcp(sport: 5000 + off, offset: off, flags: 0x02)) }   // bogus data offsets
        f.append(tcp(sport: 5100, flags: 0xFF))                                 // every flag
        f.append(tcp(sport: 5101, flags: 0x03))                                 // SYN+FIN
        f.append(tcp(sport: 5102, seq: 12345, flags: 0x04))                     // a stray RST
        f.append(tcp(sport: 5103, ack: 999, flags: 0x10, data: Array("GET / HTTP/1.0\r\n\r\n".utf8)))  // data, no connection
        f.append(tcp(sport: 5104, dport: 81, flags: 0x02))                      // a SYN to a closed port
        for i in 0..<200 {                                                      // a SYN flood to port 80
            f.append(tcp(sport: 20000 + i, seq: UInt32(i) &* 7919, flags: 0x02, src: [10, 0, 2, UInt8(100 + i % 50)]))
        }
        var rng = SplitMix(seed: 42)
        for i in 0..<300 {                                                      // noise in plausible headers
            let n = 14 + Int(rng.next() % 1500)
            var b = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            b.replaceSubrange(0..<12, with: guestMAC + peerMAC)
            b[12] = 0x08; b[13] = i % 5 == 0 ? 0x06 : 0x00
            if n >= 34, i % 5 != 0 { b[14] = 0x45; b[23] = [1, 6, 17][i % 3]; b.replaceSubrange(26..<34, with: peerIP + guestIP) }
            f.append(b)
        }
        return f
    }
}

@Suite("Bad input: malformed frames", .serialized,
       .enabled(if: DiskFixture.toolsAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
                && FileManager.default.fileExists(atPath: TestImages.dir + "/net/khttpd")))
struct BadNetworkInputTests {
    /// Runs `web` until `done()` or the machine stops; at most `seconds` of host time.
    func run(_ web: WebUnderLoad, seconds: Double = 50, until done: () -> Bool) -> MachineExit {
        let deadline = Date().addingTimeInterval(seconds)
        var exit = MachineExit.instructionLimit
        while exit == .instructionLimit, Date() < deadline, !done() { exit = web.machine.run(maxInstructions: 1_000_000) }
        return exit
    }

    @Test("malformed Ethernet/ARP/IPv4/ICMP/UDP/TCP frames and a SYN flood: the guest survives and still serves",
          arguments: ["none", "khttpd,e1000"])
    func malformedFrames(nooks: String) throws {
        let web = try WebUnderLoad(append: "selftest=0 nooks=\(nooks) workload=web requests=3 webtime=20")
        let m = web.machine
        let before = try Data(contentsOf: URL(fileURLWithPath: web.disk))
        #expect(run(web) { web.serial.text.contains("workload: web serving") } == .instructionLimit)
        let frames = BadFrames.all()
        let nic = try #require(m.nic)
        for (i, f) in frames.enumerated() { nic.queueForDelivery(f, atCycle: m.cpu.cycles + UInt64(i) * 2_000) }
        #expect(run(web) { nic.pendingFrameCount == 0 } == .instructionLimit)
        web.startClient(count: 3)
        let exit = run(web) { false }
        let text = web.serial.text
        #expect(endedCleanly(exit, text), "exit \(exit):\n\(text.suffix(3000))")
        #expect(text.contains("workload: web requests=3 PASS"), "\(text.suffix(3000))")
        #expect(web.codes == ["200", "200", "200"], "codes: \(web.codes)")
        #expect(!text.contains("nooks: fault"), "\(text.suffix(3000))")
        #expect(HostFAT.sameExceptFSInfoHints(try Data(contentsOf: URL(fileURLWithPath: web.disk)), before))
    }
}
