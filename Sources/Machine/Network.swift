// The machine's PCI bus and network: the board's PIIX functions (Board.swift)
// and an Intel 82540EM (e1000) at 00:02.0 with IRQ 10 and BAR0 at 0xFEBC0000
// (where SeaBIOS puts QEMU's under `-vga none`), a peer on the LAN
// at 10.0.2.2 that answers ARP, ping and UDP echo and has TCP endpoints (a
// sink, optionally a source; `MachineConfig.peerTCP`), and an optional pcap tap.
//
// Frames the peer sends back are queued and written into guest RAM only at
// event boundaries (a fixed modeled latency after the request), so network
// runs are as deterministic as everything else. The peer's TCP timers run on
// the CPU's cycle counter: they are device events like the PIT's.
// With `PeerTCPOptions.linkBitsPerSecond` the cable has a rate (LinkModel):
// the peer takes a guest frame in when the wire is done with it (a peer
// event, like its timers), and its own frames reach the NIC the latency after
// the wire in their direction is done with them.
//
// With `.user` the NIC's cable goes to libslirp instead (SlirpBackend): real
// host sockets, NAT, hostfwd from 127.0.0.1. Its frames take the same delivery
// queue, but their arrival depends on the host, so such runs are NOT
// deterministic. The run loop polls slirp's sockets at every event boundary
// and, while the guest is halted, blocks in poll() for the wall-clock
// equivalent of the virtual time to the next device event. Slirp's own clock
// is the machine's virtual time. Its state is not part of machine snapshots.

import Core
import Devices

/// Which network the machine has.
public enum NetworkMode: Sendable, Equatable {
    /// No NIC at all.
    case none
    /// An e1000 NIC wired to the in-emulator LAN peer (10.0.2.2).
    case peer
    /// An e1000 NIC wired to libslirp user-mode NAT (not deterministic).
    case user(SlirpOptions)
}

/// Bridges a Devices MMIO device to the CPU's MMIO handler protocol.
final class MMIOBridge: MMIOHandler {
    unowned let device: MMIODevice
    init(_ d: MMIODevice) { device = d }
    func mmioRead(offset: UInt32, size: Int) -> UInt32 { device.mmioRead(offset: offset, size: size) }
    func mmioWrite(offset: UInt32, size: Int, value: UInt32) { device.mmioWrite(offset: offset, size: size, value: value) }
}

extension Machine {
    /// PCI slot and IRQ of the NIC (QEMU `pc` with `-vga none`: 00:02.0, IRQ 10).
    public static let nicSlot = 2
    public static let nicIRQ = 10

    func attachPCIAndNetwork() {
        bus.map(0xCF8...0xCFF, to: pci)
        for (slot, fn, dev) in BoardFunction.piix() {
            pci.attach(dev, slot: slot, function: fn)
            boardFunctions.append(dev)
            if slot == 1, fn == 1 { wireIDEBusMaster(dev) }
        }
        guard config.network != .none else { pci.programLikeFirmware(); return }
        let nic = E1000(
            dmaRead: { [unowned self] a, n in self.memory.isRAM(a, count: n) ? self.memory.read(at: UInt32(a), count: n) : nil },
            dmaWrite: { [unowned self] a, b in self.memory.isRAM(a, count: b.count) && self.memory.write(b, at: UInt32(a)) },
            irq: { [unowned self] level in self.pic.setIRQ(Machine.nicIRQ, level: level) })
        let bridge = MMIOBridge(nic)
        nic.configSpace.onBARChange = { [unowned self, unowned nic] c in
            switch c.kind {
            case .memory32:
                if let o = c.oldBase { self.memory.unmapMMIO(start: o) }
                if let n = c.newBase, Int(n) >= self.memory.size, UInt64(n) + UInt64(c.size) <= 0x1_0000_0000 {
                    self.memory.mapMMIO(start: n, length: c.size, name: "e1000", handler: bridge)
                }
            case .io:
                if let o = c.oldBase, o <= 0xFFFF { self.bus.unmap(UInt16(o)...UInt16(min(0xFFFF, o + c.size - 1))) }
                if let n = c.newBase, n <= 0xFFFF, n + c.size - 1 <= 0xFFFF, n >= 0x1000 {
                    self.bus.map(UInt16(n)...UInt16(n + c.size - 1), to: nic)
                }
            }
        }
        pci.attach(nic, slot: Machine.nicSlot)
        pci.programLikeFirmware()
        nic.programLikeFirmware(irqLine: UInt8(Machine.nicIRQ))
        // ELCR: IRQs 10 and 11 level-triggered, as SeaBIOS leaves them for PCI.
        bus.write(port: 0x4D1, size: 1, value: 0x0C)
        let latency = config.netLatencyCycles ?? max(1, config.costs.cyclesPerSecond / 100_000)
        if case .user(let options) = config.network {
            do {
                let slirp = try SlirpBackend(options: options, nowNanoseconds: { [unowned self] in self.virtualNanoseconds })
                slirp.deliver = { [unowned self, unowned nic] frame in
                    _ = nic.queueForDelivery(frame, atCycle: self.cpu.cycles &+ latency)
                }
                nic.backend = slirp
                hostNet = slirp
            } catch {
                networkSetupError = error
            }
        } else {
            let peer = NetPeer(tcp: config.peerTCP, cyclesPerSecond: config.costs.cyclesPerSecond)
            peer.reply = { [unowned self, unowned nic] frame in
                _ = nic.queueForDelivery(frame, atCycle: self.cpu.cycles &+ latency)
            }
            // With a link rate: the frame reaches the NIC its latency after the wire is done with it.
            peer.replyAt = { [unowned nic] frame, wireDone in
                _ = nic.queueForDelivery(frame, atCycle: wireDone &+ latency)
            }
            peer.clock = { [unowned self] in self.cpu.cycles }
            peer.onTimerScheduled = { [unowned self] due in self.cpu.limitRun(toCycle: due) }
            nic.backend = peer
            self.peer = peer
        }
        nic.onDeliveryScheduled = { [unowned self] due in self.cpu.limitRun(toCycle: due) }
        nic.tap = { [unowned self] frame, _ in self.pcap?.write(frame, cycles: self.cpu.cycles) }
        self.nic = nic
        self.mmioBridge = bridge
    }

    /// Write every frame in both directions to a pcap stream (virtual-time stamps).
    public func capturePackets(to sink: @escaping ([UInt8]) -> Void) {
        pcap = PcapWriter(cyclesPerSecond: config.costs.cyclesPerSecond, sink: sink)
    }

    /// The next cycle at which a device needs the machine's attention.
    /// Called on every port write: no allocation.
    func nextDeviceEvent() -> UInt64? {
        var next = pit.nextEventCycle()
        if let c = nic?.nextDeliveryCycle, c < next ?? .max { next = c }
        if let c = peer?.nextTimerCycle, c < next ?? .max { next = c }
        return next
    }

    /// Let devices catch up with the CPU's clock.
    func advanceDevices() {
        pit.advance(to: cpu.cycles)
        if let peer, let t = peer.nextTimerCycle, t <= cpu.cycles { peer.advance(to: cpu.cycles) }
        if let nic, nic.pendingFrameCount > 0 { _ = nic.deliverPending(upToCycle: cpu.cycles) }
    }
}

// MARK: Host networking (libslirp)

extension Machine {
    /// The machine's virtual time in nanoseconds (slirp's clock).
    var virtualNanoseconds: UInt64 {
        let cps = config.costs.cyclesPerSecond, c = cpu.cycles
        return (c / cps) &* 1_000_000_000 &+ (c % cps) &* 1_000_000_000 / cps
    }

    /// Polls the user network's host sockets, if there is one (zero timeout).
    func pollHostNetwork() {
        hostNet?.poll(timeoutMilliseconds: 0)
    }

    /// The guest is halted and user networking is on: block in poll() up to the
    /// wall-clock equivalent of the virtual time until the next device event
    /// (at most 100 ms when none is scheduled), or less if slirp's timers or a
    /// host socket want attention, then let the idle guest's virtual time move
    /// by the wall time waited, capped at the next device event (which may now
    /// be a frame slirp just queued); with less than a millisecond to go it
    /// moves straight to that event. Idle time thus tracks real time, so the
    /// guest's TCP timers and slirp's agree with real clients'. Not deterministic.
    func idleWithHostNetwork() {
        guard let hostNet else { return }
        let cps = max(1, config.costs.cyclesPerSecond)
        var ms: UInt64 = 100
        if let wake = nextDeviceEvent() {
            let cycles = wake > cpu.cycles ? wake - cpu.cycles : 0
            ms = min(1000, cycles / max(1, cps / 1000))
        }
        let r = hostNet.poll(timeoutMilliseconds: Int(ms))
        let product = r.waitedNanoseconds.multipliedFullWidth(by: cps)
        let waited = product.high >= 1_000_000_000 ? UInt64.max
            : UInt64(1_000_000_000).dividingFullWidth((high: product.high, low: product.low)).quotient
        // Less than a millisecond to go (poll's resolution): skip straight to the event.
        var target = ms == 0 ? UInt64.max : cpu.cycles &+ max(1, waited)
        if let wake = nextDeviceEvent() { target = min(target, wake) }
        cpu.advanceIdle(to: target)
        advanceDevices()
    }
}
