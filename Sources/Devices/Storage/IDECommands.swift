// IDECommands: command execution and PIO data transfer for IDEChannel.
//
//   PIO in  (IDENTIFY, READ SECTORS/MULTIPLE [EXT]):
//     command ─► buffer ← first block, status DRDY|DSC|DRQ, INTRQ
//     guest reads the block through the data port ─► next block + INTRQ,
//     or after the last block: status DRDY|DSC, no interrupt
//   PIO out (WRITE SECTORS/MULTIPLE [EXT]):
//     command ─► status DRDY|DSC|DRQ, no interrupt
//     guest writes a block ─► pwrite to the backend, INTRQ, then DRQ again
//     for the next block or DRDY|DSC after the last
//   Non-data (FLUSH, SET FEATURES, SET MULTIPLE, ...): done at once, INTRQ.
//
// After each block the task file holds the next sector and the count still to
// go (as QEMU leaves it), so after an error it names the failing sector.
// Failures — unknown command, bad parameter, out-of-range LBA, host I/O
// error, write to a read-only disk — end the command with status DRDY|DSC|ERR,
// error ABRT and an interrupt.

extension IDEChannel {
    typealias Cmd = ATA.Command

    func command(_ c: UInt8) {
        guard present else { return }
        guard s.status & (ATA.Status.bsy | ATA.Status.drq) == 0 else {
            s.counters.ignoredWrites &+= 1
            return
        }
        s.counters.commands &+= 1
        s.counters.lastCommand = c
        s.control &= ~ATA.Control.hob
        s.error = 0
        s.transfer = nil
        s.pendingDMA = nil
        s.irqPending = false
        updateLine()
        switch c {
        case Cmd.identify:
            guard let disk else { return }
            s.transfer = Transfer(phase: .dataIn, lba: 0, remaining: 1, blockSectors: 1, lba48: false, identify: true)
            s.buffer = ATAIdentify.block(sectors: disk.sectorCount, geometry: s.geometry,
                                         multipleSectors: s.multipleSectors, writeCache: s.writeCache,
                                         transferMode: s.transferMode)
            s.bufferPos = 0
            s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.drq
            setIRQ(true)
        case Cmd.readSectors, Cmd.readSectorsNoRetry: startRead(lba48: false, block: 1)
        case Cmd.readSectorsExt: startRead(lba48: true, block: 1)
        case Cmd.readMultiple, Cmd.readMultipleExt:
            guard s.multipleSectors > 0 else { abort(); return }
            startRead(lba48: c == Cmd.readMultipleExt, block: s.multipleSectors)
        case Cmd.writeSectors, Cmd.writeSectorsNoRetry: startWrite(lba48: false, block: 1)
        case Cmd.writeSectorsExt: startWrite(lba48: true, block: 1)
        case Cmd.writeMultiple, Cmd.writeMultipleExt:
            guard s.multipleSectors > 0 else { abort(); return }
            startWrite(lba48: c == Cmd.writeMultipleExt, block: s.multipleSectors)
        case Cmd.readDMA, Cmd.readDMANoRetry, Cmd.readDMAExt:
            startDMA(toDevice: false, lba48: c == Cmd.readDMAExt)
        case Cmd.writeDMA, Cmd.writeDMANoRetry, Cmd.writeDMAExt:
            startDMA(toDevice: true, lba48: c == Cmd.writeDMAExt)
        case Cmd.readVerify, Cmd.readVerifyNoRetry, Cmd.readVerifyExt:
            let lba48 = c == Cmd.readVerifyExt
            guard let (lba, n) = address(lba48: lba48), inRange(lba, n) else { abort(); return }
            setSector(lba &+ UInt64(n), lba48: lba48)
            complete()
        case Cmd.setMultiple:
            let n = Int(s.count)
            guard n <= ATA.maxMultipleSectors, n & (n - 1) == 0 || n == 0 else { abort(); return }
            s.multipleSectors = n
            complete()
        case Cmd.flushCache, Cmd.flushCacheExt:
            s.counters.flushes &+= 1
            do { try disk?.flush() } catch { s.counters.ioErrors &+= 1; abort(); return }
            complete()
        case Cmd.setFeatures:
            guard ATA.acceptedFeatures.contains(s.features) else { abort(); return }
            if s.features == 0x02 { s.writeCache = true }
            if s.features == 0x82 { s.writeCache = false }
            if s.features == 0x03 {
                // Transfer mode: 00/01 PIO default, 08+n PIO n (n <= 4), 20+n MDMA n (<= 2), 40+n UDMA n (<= 5).
                let m = s.count
                switch m >> 3 {
                case 0, 1: guard m <= 0x01 || (0x08...0x0C).contains(m) else { abort(); return }
                case 4: guard m <= 0x22 else { abort(); return }
                case 8: guard m <= 0x45 else { abort(); return }
                default: abort(); return
                }
                s.transferMode = m
            }
            complete()
        case Cmd.initializeParameters, Cmd.seek, Cmd.standbyImmediate, Cmd.idleImmediate,
             Cmd.standby, Cmd.idle, Cmd.sleep:
            complete()
        case Cmd.checkPowerMode:
            s.count = 0xFF
            complete()
        case Cmd.readNativeMax, Cmd.readNativeMaxExt:
            let last = (disk?.sectorCount ?? 1) &- 1
            let lba48 = c == Cmd.readNativeMaxExt
            setSector(lba48 ? last : min(last, 0x0FFF_FFFF), lba48: lba48)
            complete()
        case Cmd.executeDiagnostic:
            let counters = s.counters
            reset(keepControl: true)
            s.counters = counters
            setIRQ(true)
        case _ where Cmd.recalibrate.contains(c):
            complete()
        default:
            abort()
        }
    }

    // MARK: Addresses

    /// The command's first sector and sector count from the task file, or nil
    /// for an impossible CHS address (sector 0, head or sector past the geometry).
    func address(lba48: Bool) -> (UInt64, Int)? {
        if lba48 {
            let lba = UInt64(s.hobLbaHigh) << 40 | UInt64(s.hobLbaMid) << 32 | UInt64(s.hobLbaLow) << 24
                | UInt64(s.lbaHigh) << 16 | UInt64(s.lbaMid) << 8 | UInt64(s.lbaLow)
            let n = Int(s.hobCount) << 8 | Int(s.count)
            return (lba, n == 0 ? 65536 : n)
        }
        let n = s.count == 0 ? 256 : Int(s.count)
        if s.device & ATA.Device.lba != 0 {
            let lba = UInt64(s.device & 0x0F) << 24 | UInt64(s.lbaHigh) << 16 | UInt64(s.lbaMid) << 8 | UInt64(s.lbaLow)
            return (lba, n)
        }
        let g = s.geometry
        let cyl = Int(s.lbaHigh) << 8 | Int(s.lbaMid), head = Int(s.device & 0x0F), sec = Int(s.lbaLow)
        guard sec >= 1, sec <= g.sectorsPerTrack, head < g.heads else { return nil }
        return (UInt64((cyl * g.heads + head) * g.sectorsPerTrack + sec - 1), n)
    }

    /// Writes `lba` back into the task file (LBA, or CHS if the command used CHS).
    func setSector(_ lba: UInt64, lba48: Bool) {
        if lba48 {
            s.lbaLow = UInt8(truncatingIfNeeded: lba); s.lbaMid = UInt8(truncatingIfNeeded: lba >> 8)
            s.lbaHigh = UInt8(truncatingIfNeeded: lba >> 16); s.hobLbaLow = UInt8(truncatingIfNeeded: lba >> 24)
            s.hobLbaMid = UInt8(truncatingIfNeeded: lba >> 32); s.hobLbaHigh = UInt8(truncatingIfNeeded: lba >> 40)
        } else if s.device & ATA.Device.lba != 0 {
            s.lbaLow = UInt8(truncatingIfNeeded: lba); s.lbaMid = UInt8(truncatingIfNeeded: lba >> 8)
            s.lbaHigh = UInt8(truncatingIfNeeded: lba >> 16)
            s.device = (s.device & 0xF0) | UInt8(truncatingIfNeeded: lba >> 24) & 0x0F
        } else {
            let g = s.geometry
            let perCyl = UInt64(g.heads * g.sectorsPerTrack)
            let cyl = lba / perCyl, rest = lba % perCyl
            s.lbaHigh = UInt8(truncatingIfNeeded: cyl >> 8); s.lbaMid = UInt8(truncatingIfNeeded: cyl)
            s.device = (s.device & 0xF0) | UInt8(truncatingIfNeeded: rest / UInt64(g.sectorsPerTrack)) & 0x0F
            s.lbaLow = UInt8(truncatingIfNeeded: rest % UInt64(g.sectorsPerTrack) + 1)
        }
    }

    /// Writes the remaining sector count back into the task file.
    func setCount(_ n: Int, lba48: Bool) {
        s.count = UInt8(truncatingIfNeeded: n)
        if lba48 { s.hobCount = UInt8(truncatingIfNeeded: n >> 8) }
    }

    func inRange(_ lba: UInt64, _ n: Int) -> Bool {
        guard let disk, disk.contains(sector: lba, count: n) else {
            s.counters.outOfRange &+= 1
            return false
        }
        return true
    }

    // MARK: Completion

    /// A non-data command finished: DRDY|DSC, interrupt.
    func complete() {
        s.status = ATA.Status.drdy | ATA.Status.dsc
        setIRQ(true)
    }

    /// The command failed: ERR with ABRT, interrupt, any transfer dropped.
    func abort() {
        s.counters.aborted &+= 1
        s.transfer = nil
        s.buffer = []
        s.bufferPos = 0
        s.error = ATA.ErrorBit.abrt
        s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.err
        setIRQ(true)
    }

    // MARK: PIO in

    func startRead(lba48: Bool, block: Int) {
        guard let (lba, n) = address(lba48: lba48) else { abort(); return }
        s.transfer = Transfer(phase: .dataIn, lba: lba, remaining: n, blockSectors: block, lba48: lba48, identify: false)
        loadReadBlock()
    }

    /// Reads the next DRQ block from the backend into the buffer and raises DRQ and INTRQ.
    func loadReadBlock() {
        guard let t = s.transfer, let disk else { return }
        let n = min(t.blockSectors, t.remaining)
        guard inRange(t.lba, n) else { abort(); return }
        do {
            s.buffer = try disk.read(sector: t.lba, count: n)
        } catch {
            s.counters.ioErrors &+= 1
            abort()
            return
        }
        s.bufferPos = 0
        s.counters.sectorsRead &+= UInt64(n)
        s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.drq
        setIRQ(true)
    }

    /// The guest has read the whole buffer.
    func finishReadBlock() {
        guard var t = s.transfer else { return }
        if t.identify {
            endTransfer()
            return
        }
        let n = min(t.blockSectors, t.remaining)
        t.lba &+= UInt64(n)
        t.remaining -= n
        setSector(t.lba, lba48: t.lba48)
        setCount(t.remaining, lba48: t.lba48)
        if t.remaining == 0 {
            endTransfer()
        } else {
            s.transfer = t
            loadReadBlock()
        }
    }

    func endTransfer() {
        s.transfer = nil
        s.buffer = []
        s.bufferPos = 0
        s.status = ATA.Status.drdy | ATA.Status.dsc
    }

    // MARK: PIO out

    func startWrite(lba48: Bool, block: Int) {
        guard let (lba, n) = address(lba48: lba48) else { abort(); return }
        s.transfer = Transfer(phase: .dataOut, lba: lba, remaining: n, blockSectors: block, lba48: lba48, identify: false)
        s.buffer = [UInt8](repeating: 0, count: min(block, n) * blockSectorSize)
        s.bufferPos = 0
        s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.drq
    }

    /// The guest has filled the buffer: write it, then ask for the next block or finish.
    func finishWriteBlock() {
        guard var t = s.transfer, let disk else { return }
        let n = min(t.blockSectors, t.remaining)
        guard inRange(t.lba, n) else { abort(); return }
        do {
            try disk.write(sector: t.lba, bytes: s.buffer)
        } catch {
            s.counters.ioErrors &+= 1
            abort()
            return
        }
        s.counters.sectorsWritten &+= UInt64(n)
        t.lba &+= UInt64(n)
        t.remaining -= n
        setSector(t.lba, lba48: t.lba48)
        setCount(t.remaining, lba48: t.lba48)
        if t.remaining == 0 {
            endTransfer()
        } else {
            s.transfer = t
            s.buffer = [UInt8](repeating: 0, count: min(t.blockSectors, t.remaining) * blockSectorSize)
            s.bufferPos = 0
            s.status = ATA.Status.drdy | ATA.Status.dsc | ATA.Status.drq
        }
        setIRQ(true)
    }

    // MARK: Data port

    /// A 16- or 32-bit read of the data register; 0 outside a PIO-in phase
    /// (QEMU), 0xFF for a byte read.
    func readData(size: Int) -> UInt32 {
        let width = PortAccess.clampedSize(size)
        guard width >= 2 else { return 0xFF }
        guard present, s.status & ATA.Status.drq != 0, s.transfer?.phase == .dataIn else { return 0 }
        var v: UInt32 = 0
        let n = min(width, s.buffer.count - s.bufferPos)
        for i in 0..<max(0, n) { v |= UInt32(s.buffer[s.bufferPos + i]) << UInt32(8 * i) }
        s.bufferPos += max(0, n)
        if s.bufferPos >= s.buffer.count { finishReadBlock() }
        return v
    }

    /// A 16- or 32-bit write of the data register; ignored outside a PIO-out phase.
    func writeData(size: Int, value: UInt32) {
        let width = PortAccess.clampedSize(size)
        guard width >= 2, present, s.status & ATA.Status.drq != 0, s.transfer?.phase == .dataOut else { return }
        let n = min(width, s.buffer.count - s.bufferPos)
        for i in 0..<max(0, n) { s.buffer[s.bufferPos + i] = UInt8(truncatingIfNeeded: value >> UInt32(8 * i)) }
        s.bufferPos += max(0, n)
        if s.bufferPos >= s.buffer.count { finishWriteBlock() }
    }
}
