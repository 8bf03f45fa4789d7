// The decode cache: decoded basic blocks keyed by the physical address of their
// first instruction. A block never crosses a 4 KiB page; it remembers the code
// generation of its page, and PhysicalMemory bumps that generation whenever the
// page is written (by the CPU, a DMA engine or a loader), so stale blocks are
// never executed. When the instruction pool fills up, everything is dropped.

struct Block {
    var pa: UInt32 = .max
    var gen: UInt32 = 0
    var epoch: UInt32 = 0
    var start: Int32 = 0
    var count: Int32 = 0
}

final class DecodeCache {
    static let tableBits = 15
    static let tableSize = 1 << tableBits
    static let poolCapacity = 1 << 18
    static let maxBlockLength = 48

    let table: UnsafeMutablePointer<Block>
    let pool: UnsafeMutablePointer<DecodedInstr>
    var used = 0
    /// Bumped to invalidate every block at once.
    var epoch: UInt32 = 1

    init() {
        table = .allocate(capacity: Self.tableSize)
        table.initialize(repeating: Block(), count: Self.tableSize)
        pool = .allocate(capacity: Self.poolCapacity + Self.maxBlockLength)
        pool.initialize(repeating: DecodedInstr(), count: Self.poolCapacity + Self.maxBlockLength)
    }

    deinit {
        table.deallocate()
        pool.deallocate()
    }

    @inline(__always) static func slot(_ pa: UInt32) -> Int {
        Int((pa ^ (pa >> 13)) & UInt32(tableSize - 1))
    }

    func flush() {
        epoch &+= 1
        used = 0
    }
}

extension CPU {
    /// Translate EIP for execution (through the code fast TLB, else the ITLB) to a physical address.
    @inline(__always) func fetchPhysical(_ la: UInt32) throws(Fault) -> UInt32 {
        let e = fast.code[FastTLB.index(la)]
        if e.tag == (la & 0xFFFF_F000) | userBit {
            fastCodeHits &+= 1
            return UInt32(truncatingIfNeeded: Int(la) &+ e.delta)
        }
        return try translate(la, .fetch, user: cpl == 3)
    }

    /// Find or build the block starting at linear `la`. Returns (first instruction, count).
    /// A count of 0 with a nil pointer never happens: an undecodable instruction becomes `.ud`.
    @inline(__always) func block(at la: UInt32) throws(Fault) -> (UnsafeMutablePointer<DecodedInstr>, Int) {
        let pa = try fetchPhysical(la)
        let c = cache
        let s = DecodeCache.slot(pa)
        let b = c.table[s]
        let page = Int(pa >> 12)
        if b.pa == pa && b.epoch == c.epoch && page < memory.pageCount && b.gen == memory.codeGen[page] {
            return (c.pool + Int(b.start), Int(b.count))
        }
        return try buildBlock(la: la, pa: pa, slot: s)
    }

    func buildBlock(la: UInt32, pa: UInt32, slot: Int) throws(Fault) -> (UnsafeMutablePointer<DecodedInstr>, Int) {
        let page = Int(pa >> 12)
        guard page < memory.pageCount else {
            // Executing outside RAM (MMIO or nothing): decode from a copy, never cache.
            return try decodeUncached(la: la)
        }
        let c = cache
        if c.used + DecodeCache.maxBlockLength > DecodeCache.poolCapacity { c.flush() }
        if memory.codePage[page] == 0 {
            memory.codePage[page] = 1
            pageBecameCode(page)
        }
        let start = c.used
        var off = Int(pa & 0xFFF)
        var n = 0
        let pageBase = ram + (page << 12)
        while n < DecodeCache.maxBlockLength {
            let p = UnsafePointer(pageBase.assumingMemoryBound(to: UInt8.self)) + off
            let outcome = Decoder.decode(p, 4096 - off, &c.pool[start + n])
            if outcome == .needBytes {
                if n > 0 { break }
                // First instruction crosses the page end: execute it uncached.
                return try decodeUncached(la: la)
            }
            if outcome == .tooLong {
                if n > 0 { break }
                c.pool[start] = DecodedInstr()
                c.pool[start].op = .ud
                c.pool[start].len = 15
                c.pool[start].imm2 = 1   // marks "too long": #GP(0)
                n = 1
                break
            }
            let d = c.pool[start + n]
            n += 1
            off += Int(d.len)
            if d.op.endsBlock || d.isRepString || off >= 4096 { break }
            let nextLA = la &+ UInt32(off - Int(pa & 0xFFF))
            if hasBreakpoints && breakpoints.contains(nextLA) { break }
            if hasBlockSplits && blockSplits.contains(nextLA) { break }
        }
        c.used += n
        c.table[slot] = Block(pa: pa, gen: memory.codeGen[page], epoch: c.epoch, start: Int32(start), count: Int32(n))
        stats.blocksDecoded &+= 1
        return (c.pool + start, n)
    }

    /// Decode one instruction whose bytes cross a page boundary (or lie outside RAM).
    func decodeUncached(la: UInt32) throws(Fault) -> (UnsafeMutablePointer<DecodedInstr>, Int) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 {
            let a = la &+ UInt32(i)
            let pa: UInt32
            do { pa = try translate(a, .fetch, user: cpl == 3, fillFast: false) } catch {
                // Only fault if the instruction actually needs this byte.
                var d = DecodedInstr()
                let r = bytes.withUnsafeBufferPointer { Decoder.decode($0.baseAddress!, i, &d) }
                if r == .ok { return storeScratch(d) }
                throw error
            }
            bytes[i] = UInt8(truncatingIfNeeded: memory.read(pa, size: 1))
        }
        var d = DecodedInstr()
        let r = bytes.withUnsafeBufferPointer { Decoder.decode($0.baseAddress!, 16, &d) }
        if r != .ok { d = DecodedInstr(); d.op = .ud; d.len = 15; d.imm2 = 1 }
        return storeScratch(d)
    }

    private func storeScratch(_ d: DecodedInstr) -> (UnsafeMutablePointer<DecodedInstr>, Int) {
        let p = cache.pool + DecodeCache.poolCapacity
        p.pointee = d
        return (p, 1)
    }
}
