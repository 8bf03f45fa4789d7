// kHTTPd in the guest (workload=web) loaded by the LAN peer's HTTP load
// generator (NetPeerHTTPClient): every response is a 200 with index.html's
// length, the guest passes, native and with khttpd isolated, and a second run
// of the same machine is identical to the cycle.

import Foundation
import Testing
import Devices
import ELF
@testable import Machine

@Suite("kHTTPd loaded by the LAN peer's HTTP clients", .serialized)
struct PeerHTTPTests {
    static let requests: UInt64 = 12

    /// index.html as mkdisk.sh writes it.
    static var indexLength: UInt64 {
        get throws {
            let script = try String(contentsOfFile: TestImages.dir + "/tests/mkdisk.sh", encoding: .utf8)
            guard let a = script.range(of: "cat > \"$tmp/index.html\" <<'HTML'\n"), let b = script.range(of: "\nHTML\n", range: a.upperBound..<script.endIndex)
            else { throw TestImages.Failure(description: "no index.html in mkdisk.sh") }
            return UInt64(script[a.upperBound..<b.lowerBound].utf8.count + 1)
        }
    }

    struct Outcome: Equatable {
        var exit: MachineExit
        var cycles: UInt64
        var instructions: UInt64
        var http: PeerHTTPCounters?
        var serial: String
    }

    func run(nooks: String, disk: [UInt8], images: [String], keepAlive: Bool = false) throws -> Outcome {
        let plan = try MultibootLoader.plan(kernelPath: images[0], cmdline: "selftest=0 nooks=\(nooks) workload=web requests=\(Self.requests)",
                                            initrd: images[1...].joined(separator: ","), memoryBytes: 128 << 20)
        var cfg = MachineConfig()
        cfg.echoSerial = false
        cfg.peerTCP = PeerTCPOptions(sinkPort: nil, http: PeerHTTPLoad(connections: 3, requests: Self.requests, keepAlive: keepAlive))
        let m = Machine(config: cfg)
        m.attachDisk(MemoryBlockBackend(bytes: disk))
        try m.load(plan)
        let exit = m.run(maxInstructions: 20_000_000_000)
        return Outcome(exit: exit, cycles: m.cpu.cycles, instructions: m.cpu.instructions, http: m.peer?.httpCounters, serial: m.serialText)
    }

    func check(_ o: Outcome, _ what: String) throws {
        let length = try Self.indexLength
        #expect(o.exit == .powerOff, "\(what): exit \(o.exit)\n\(o.serial.suffix(3000))")
        #expect(o.serial.contains("workload: web requests=\(Self.requests) PASS"), "\(what):\n\(o.serial.suffix(3000))")
        let c = try #require(o.http)
        #expect(c.done && c.responses == Self.requests && c.status2xx == Self.requests, "\(what): \(c)")
        #expect(c.errors == 0 && c.failed == 0 && c.retries == 0, "\(what): \(c)")
        #expect(c.bodyBytes == Self.requests * length, "\(what): \(c.bodyBytes) body bytes, index.html has \(length)")
    }

    @Test("native and nooks=khttpd: every request answered 200 with index.html; a second run is identical")
    func nativeAndIsolated() throws {
        try #require(DiskFixture.toolsAvailable, "mkfs.vfat and mtools are needed")
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let disk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko", "modules/e1000.ko", "modules/khttpd.ko"])
        let native = try run(nooks: "none", disk: disk, images: images)
        try check(native, "native")
        #expect(native.http?.connections == Self.requests)
        let isolated = try run(nooks: "khttpd", disk: disk, images: images)
        try check(isolated, "nooks=khttpd")
        #expect(isolated.serial.contains("khttpd"))
        let again = try run(nooks: "khttpd", disk: disk, images: images)
        #expect(again == isolated, "two runs differ: \(again.cycles) vs \(isolated.cycles) cycles")
    }

    @Test("keep-alive: the requests share the clients' connections")
    func keepAlive() throws {
        try #require(DiskFixture.toolsAvailable, "mkfs.vfat and mtools are needed")
        let path = try DiskFixture.make()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let disk = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let images = try DiskFixture.frozenImages(["kernel.elf", "modules/ide.ko", "modules/vfat.ko", "modules/e1000.ko", "modules/khttpd.ko"])
        let o = try run(nooks: "khttpd", disk: disk, images: images, keepAlive: true)
        try check(o, "keep-alive")
        #expect(o.http?.connections == 3)
    }
}
