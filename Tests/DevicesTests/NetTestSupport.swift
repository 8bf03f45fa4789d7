// Test helpers for the NIC tests: a fake guest RAM behind the DMA closures, a
// NIC wired to it with rings set up the way a driver does, and frame builders.

@testable import Devices

/// Guest RAM as a byte array; DMA outside it is refused (nil / false).
final class FakeRAM {
    var bytes: [UInt8]
    private(set) var refusedReads = 0
    private(set) var refusedWrites = 0

    init(size: Int = 1 << 20) { bytes = [UInt8](repeating: 0, count: size) }

    func read(_ address: UInt64, _ count: Int) -> [UInt8]? {
        guard count >= 0, address <= UInt64(bytes.count), UInt64(count) <= UInt64(bytes.count) - address else {
            refusedReads += 1
            return nil
        }
        return Array(bytes[Int(address)..<Int(address) + count])
    }

    func write(_ address: UInt64, _ data: [UInt8]) -> Bool {
        guard address <= UInt64(bytes.count), UInt64(data.count) <= UInt64(bytes.count) - address else {
            refusedWrites += 1
            return false
        }
        bytes.replaceSubrange(Int(address)..<Int(address) + data.count, with: data)
        return true
    }

    func put(_ address: Int, _ data: [UInt8]) { bytes.replaceSubrange(address..<address + data.count, with: data) }
    func get(_ address: Int, _ count: Int) -> [UInt8] { Array(bytes[address..<address + count]) }
    func put16(_ a: Int, _ v: UInt16) { put(a, [UInt8(v & 0xFF), UInt8(v >> 8)]) }
    func put32(_ a: Int, _ v: UInt32) { for i in 0..<4 { bytes[a + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) } }
    func put64(_ a: Int, _ v: UInt64) { put32(a, UInt32(truncatingIfNeeded: v)); put32(a + 4, UInt32(truncatingIfNeeded: v >> 32)) }
    func get16(_ a: Int) -> UInt16 { UInt16(bytes[a]) | UInt16(bytes[a + 1]) << 8 }
    func get32(_ a: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[a + $1]) << (8 * UInt32($1)) } }
}

/// Register offsets the tests use (the model's own table is internal on purpose).
enum Reg {
    static let ctrl: UInt32 = 0x0, status: UInt32 = 0x8, eecd: UInt32 = 0x10, eerd: UInt32 = 0x14, mdic: UInt32 = 0x20
    static let icr: UInt32 = 0xC0, ics: UInt32 = 0xC8, ims: UInt32 = 0xD0, imc: UInt32 = 0xD8
    static let rctl: UInt32 = 0x100, tctl: UInt32 = 0x400, tipg: UInt32 = 0x410
    static let rdbal: UInt32 = 0x2800, rdbah: UInt32 = 0x2804, rdlen: UInt32 = 0x2808, rdh: UInt32 = 0x2810, rdt: UInt32 = 0x2818
    static let tdbal: UInt32 = 0x3800, tdbah: UInt32 = 0x3804, tdlen: UInt32 = 0x3808, tdh: UInt32 = 0x3810, tdt: UInt32 = 0x3818
    static let gprc: UInt32 = 0x4074, gptc: UInt32 = 0x4080, tpr: UInt32 = 0x40D0, tpt: UInt32 = 0x40D4
    static let mpc: UInt32 = 0x4010, gorcl: UInt32 = 0x4088, gorch: UInt32 = 0x408C
    static let mta: UInt32 = 0x5200, ral0: UInt32 = 0x5400, rah0: UInt32 = 0x5404
}

/// Interrupt cause bits.
enum Cause {
    static let txdw: UInt32 = 0x01, txqe: UInt32 = 0x02, lsc: UInt32 = 0x04, rxdmt0: UInt32 = 0x10
    static let rxo: UInt32 = 0x40, rxt0: UInt32 = 0x80, mdac: UInt32 = 0x200
}

/// A NIC on fake RAM with a recording backend, programmed like firmware and
/// with bus mastering on (as a driver's pci_set_master does).
final class NICRig {
    static let txRing = 0x1000, rxRing = 0x2000, txBuffers = 0x10000, rxBuffers = 0x40000

    let ram: FakeRAM
    let irq: LineRecorder
    let wire: NetFrameRecorder
    let nic: E1000
    private(set) var txTail: UInt32 = 0
    private(set) var txCount: UInt32 = 0

    init(ramSize: Int = 1 << 20) {
        let ram = FakeRAM(size: ramSize)
        let irq = LineRecorder()
        self.ram = ram
        self.irq = irq
        wire = NetFrameRecorder()
        nic = E1000(dmaRead: { ram.read($0, $1) }, dmaWrite: { ram.write($0, $1) }, irq: { irq($0) })
        nic.backend = wire
        nic.programLikeFirmware()
        nic.configSpace.write(offset: 4, size: 2, value: 0x0107)
    }

    func r(_ off: UInt32) -> UInt32 { nic.mmioRead(offset: off, size: 4) }
    func w(_ off: UInt32, _ v: UInt32) { nic.mmioWrite(offset: off, size: 4, value: v) }

    /// A transmit ring of `count` descriptors at `txRing`, TCTL.EN|PSP.
    func setUpTX(count: UInt32 = 8, psp: Bool = true) {
        txCount = count
        w(Reg.tdbal, UInt32(Self.txRing)); w(Reg.tdbah, 0); w(Reg.tdlen, count * 16)
        w(Reg.tdh, 0); w(Reg.tdt, 0)
        w(Reg.tctl, 0x2 | (psp ? 0x8 : 0) | 0x10 << 4 | 0x40 << 12)
        txTail = 0
    }

    /// Writes a legacy descriptor for `frame` (split into `pieces` buffers) and advances TDT.
    func transmit(_ frame: [UInt8], pieces: Int = 1, rs: Bool = true, advance: Bool = true) {
        let chunk = max(1, (frame.count + pieces - 1) / pieces)
        var offset = 0
        var i = 0
        while offset < frame.count || i == 0 {
            let part = Array(frame[offset..<min(frame.count, offset + chunk)])
            let buffer = Self.txBuffers + Int(txTail) * 2048
            ram.put(buffer, part)
            let d = Self.txRing + Int(txTail) * 16
            let last = offset + part.count >= frame.count
            ram.put64(d, UInt64(buffer))
            let cmd: UInt32 = (last ? 0x01 : 0) | 0x02 | (rs ? 0x08 : 0)
            ram.put32(d + 8, UInt32(part.count) | cmd << 24)
            ram.put32(d + 12, 0)
            txTail = (txTail + 1) % txCount
            offset += part.count
            i += 1
            if part.isEmpty { break }
        }
        if advance { w(Reg.tdt, txTail) }
    }

    /// A receive ring of `count` descriptors with 2 KiB buffers; RDT = count - 1
    /// (all but one descriptor given to the NIC, as drivers do).
    func setUpRX(count: UInt32 = 8, rctl: UInt32 = 0x2 | 0x8000 | 0x0400_0000) {
        for i in 0..<Int(count) {
            let d = Self.rxRing + i * 16
            ram.put64(d, UInt64(Self.rxBuffers + i * 2048))
            ram.put(d + 8, [UInt8](repeating: 0, count: 8))
        }
        w(Reg.rdbal, UInt32(Self.rxRing)); w(Reg.rdbah, 0); w(Reg.rdlen, count * 16)
        w(Reg.rdh, 0); w(Reg.rdt, count - 1)
        w(Reg.rctl, rctl)
    }

    /// (length, status, errors) of receive descriptor `i`.
    func rxDescriptor(_ i: Int) -> (length: Int, status: UInt8, errors: UInt8) {
        let d = Self.rxRing + i * 16
        return (Int(ram.get16(d + 8)), ram.bytes[d + 12], ram.bytes[d + 13])
    }

    func rxBuffer(_ i: Int, _ count: Int) -> [UInt8] { ram.get(Self.rxBuffers + i * 2048, count) }
}

/// Frame builders.
enum Frames {
    static let guestMAC = MACAddress.qemuDefault
    static let guestIP = IPv4Address.qemuGuest

    static func ethernet(to dst: MACAddress, from src: MACAddress = guestMAC, type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        dst.bytes + src.bytes + [UInt8(type >> 8), UInt8(type & 0xFF)] + payload
    }

    static func arpRequest(for target: IPv4Address, from ip: IPv4Address = guestIP, mac: MACAddress = guestMAC) -> [UInt8] {
        ethernet(to: .broadcast, from: mac, type: 0x0806,
                 [0, 1, 8, 0, 6, 4, 0, 1] + mac.bytes + ip.bytes + [0, 0, 0, 0, 0, 0] + target.bytes)
    }

    static func ipv4(proto: UInt8, from: IPv4Address = guestIP, to: IPv4Address, id: UInt16 = 0x1234,
                     ttl: UInt8 = 64, _ payload: [UInt8]) -> [UInt8] {
        var h: [UInt8] = [0x45, 0, 0, 0, UInt8(id >> 8), UInt8(id & 0xFF), 0x40, 0, ttl, proto, 0, 0]
        NetBytes.put16(&h, 2, UInt16(20 + payload.count))
        h += from.bytes + to.bytes
        NetBytes.put16(&h, 10, NetBytes.internetChecksum(h, 0..<20))
        return h + payload
    }

    static func icmpEcho(id: UInt16, sequence: UInt16, data: [UInt8], type: UInt8 = 8) -> [UInt8] {
        var m: [UInt8] = [type, 0, 0, 0, UInt8(id >> 8), UInt8(id & 0xFF), UInt8(sequence >> 8), UInt8(sequence & 0xFF)] + data
        NetBytes.put16(&m, 2, NetBytes.internetChecksum(m, 0..<m.count))
        return m
    }

    static func udp(from: IPv4Address = guestIP, to: IPv4Address, sourcePort: UInt16, port: UInt16,
                    _ payload: [UInt8], checksum: Bool = true) -> [UInt8] {
        var u: [UInt8] = [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(port >> 8), UInt8(port & 0xFF), 0, 0, 0, 0]
        u += payload
        NetBytes.put16(&u, 4, UInt16(u.count))
        if checksum {
            let pseudo = NetBytes.pseudoHeaderSum(source: from.value, destination: to.value, proto: 17, length: u.count)
            let sum = NetBytes.finish(NetBytes.onesComplementSum(u, 0..<u.count, initial: pseudo))
            NetBytes.put16(&u, 6, sum == 0 ? 0xFFFF : sum)
        }
        return u
    }

    static func ping(to peer: IPv4Address = .qemuHost, mac: MACAddress = .qemuHost, id: UInt16 = 0xABCD,
                     sequence: UInt16 = 1, data: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzabcdef".utf8)) -> [UInt8] {
        ethernet(to: mac, type: 0x0800, ipv4(proto: 1, to: peer, icmpEcho(id: id, sequence: sequence, data: data)))
    }

    static func udpFrame(to peer: IPv4Address = .qemuHost, mac: MACAddress = .qemuHost, sourcePort: UInt16 = 40000,
                         port: UInt16 = 7, _ payload: [UInt8], checksum: Bool = true) -> [UInt8] {
        ethernet(to: mac, type: 0x0800,
                 ipv4(proto: 17, to: peer, udp(to: peer, sourcePort: sourcePort, port: port, payload, checksum: checksum)))
    }
}
