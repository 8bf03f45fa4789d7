// Guest memory accesses by linear address: the hot path.
//
// Each access is one fast-TLB load and one compare (tag match and "does not
// cross the page end"); everything else — modeled TLB, page walk, faults, MMIO,
// page-crossing accesses, writes to pages holding decoded code — is the cold
// `readSlow`/`writeSlow` path.

extension CPU {
    // MARK: Reads

    @inline(__always) func read8(_ la: UInt32) throws(Fault) -> UInt32 {
        let e = fast.read[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit) {
            fastDataHits &+= 1
            return UInt32(UnsafeRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.load(as: UInt8.self))
        }
        return try readSlow(la, 1)
    }

    @inline(__always) func read16(_ la: UInt32) throws(Fault) -> UInt32 {
        let e = fast.read[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit && la & 0xFFF <= 0xFFE) {
            fastDataHits &+= 1
            return UInt32(UnsafeRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.loadUnaligned(as: UInt16.self))
        }
        return try readSlow(la, 2)
    }

    @inline(__always) func read32(_ la: UInt32) throws(Fault) -> UInt32 {
        let e = fast.read[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit && la & 0xFFF <= 0xFFC) {
            fastDataHits &+= 1
            return UnsafeRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.loadUnaligned(as: UInt32.self)
        }
        return try readSlow(la, 4)
    }

    /// Read of width w (0 = 8, 1 = 16, 2 = 32 bits).
    @inline(__always) func readW(_ la: UInt32, _ w: UInt8) throws(Fault) -> UInt32 {
        w == 2 ? try read32(la) : (w == 1 ? try read16(la) : try read8(la))
    }

    // MARK: Writes

    @inline(__always) func write8(_ la: UInt32, _ v: UInt32) throws(Fault) {
        let e = fast.write[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit) {
            fastDataHits &+= 1
            UnsafeMutableRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
            return
        }
        try writeSlow(la, 1, v)
    }

    @inline(__always) func write16(_ la: UInt32, _ v: UInt32) throws(Fault) {
        let e = fast.write[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit && la & 0xFFF <= 0xFFE) {
            fastDataHits &+= 1
            UnsafeMutableRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.storeBytes(of: UInt16(truncatingIfNeeded: v), as: UInt16.self)
            return
        }
        try writeSlow(la, 2, v)
    }

    @inline(__always) func write32(_ la: UInt32, _ v: UInt32) throws(Fault) {
        let e = fast.write[FastTLB.index(la)]
        if _fastPath(e.tag == (la & 0xFFFF_F000) | userBit && la & 0xFFF <= 0xFFC) {
            fastDataHits &+= 1
            UnsafeMutableRawPointer(bitPattern: Int(la) &+ e.delta).unsafelyUnwrapped.storeBytes(of: v, as: UInt32.self)
            return
        }
        try writeSlow(la, 4, v)
    }

    @inline(__always) func writeW(_ la: UInt32, _ w: UInt8, _ v: UInt32) throws(Fault) {
        if w == 2 { try write32(la, v) } else if w == 1 { try write16(la, v) } else { try write8(la, v) }
    }

    // MARK: Slow paths

    @inline(never)
    func readSlow(_ la: UInt32, _ size: Int) throws(Fault) -> UInt32 {
        let v = try readSlowUnwatched(la, size)
        checkWatch(la, size, write: false, value: v)
        return v
    }

    func readSlowUnwatched(_ la: UInt32, _ size: Int) throws(Fault) -> UInt32 {
        let user = cpl == 3
        if Int(la & 0xFFF) + size > 0x1000 {
            // Crosses a page: translate both pages before touching anything.
            let pa1 = try translate(la, .read, user: user, fillFast: false)
            let la2 = (la & 0xFFFF_F000) &+ 0x1000
            let pa2 = try translate(la2, .read, user: user, fillFast: false)
            var v: UInt32 = 0
            for i in 0..<size {
                let a = la &+ UInt32(i)
                let pa = a >= la2 || a < la ? pa2 &+ (a &- la2) : pa1 &+ UInt32(i)
                v |= memory.read(pa, size: 1) << (8 * UInt32(i))
            }
            return v
        }
        let pa = try translate(la, .read, user: user)
        if Int(pa) >= memory.size { charge(costs.mmio) }
        return memory.read(pa, size: size)
    }

    @inline(never)
    func writeSlow(_ la: UInt32, _ size: Int, _ v: UInt32) throws(Fault) {
        try writeSlowUnwatched(la, size, v)
        checkWatch(la, size, write: true, value: v)
    }

    func writeSlowUnwatched(_ la: UInt32, _ size: Int, _ v: UInt32) throws(Fault) {
        let user = cpl == 3
        if Int(la & 0xFFF) + size > 0x1000 {
            let pa1 = try translate(la, .write, user: user, fillFast: false)
            let la2 = (la & 0xFFFF_F000) &+ 0x1000
            let pa2 = try translate(la2, .write, user: user, fillFast: false)
            for i in 0..<size {
                let a = la &+ UInt32(i)
                let pa = a >= la2 || a < la ? pa2 &+ (a &- la2) : pa1 &+ UInt32(i)
                memory.write(pa, size: 1, value: v >> (8 * UInt32(i)))
            }
            return
        }
        let pa = try translate(la, .write, user: user)
        if Int(pa) >= memory.size { charge(costs.mmio) }
        memory.write(pa, size: size, value: v)
    }

    /// Check that a write of `size` bytes at `la` would succeed (for multi-part stores).
    func probeWrite(_ la: UInt32, _ size: Int) throws(Fault) {
        let user = cpl == 3
        _ = try translate(la, .write, user: user, fillFast: false)
        if Int(la & 0xFFF) + size > 0x1000 {
            _ = try translate((la & 0xFFFF_F000) &+ 0x1000, .write, user: user, fillFast: false)
        }
    }

    // MARK: Supervisor ("system") accesses: descriptor tables, TSS, interrupt stacks

    func readSys(_ la: UInt32, _ size: Int) throws(Fault) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<size {
            let pa = try translate(la &+ UInt32(i), .read, user: false, fillFast: false)
            v |= memory.read(pa, size: 1) << (8 * UInt32(i))
        }
        return v
    }

    func writeSys(_ la: UInt32, _ size: Int, _ v: UInt32) throws(Fault) {
        for i in 0..<size {
            let pa = try translate(la &+ UInt32(i), .write, user: false, fillFast: false)
            memory.write(pa, size: 1, value: v >> (8 * UInt32(i)))
        }
    }

    // MARK: Tools (debugger, loaders): no faults, no TLB side effects

    /// Read `count` bytes at linear `la` through the current page tables; unmapped bytes are nil.
    public func peekLinear(_ la: UInt32, count: Int) -> [UInt8?] {
        (0..<count).map { i in
            let a = la &+ UInt32(i)
            guard let pa = inspectTranslation(a).physical else { return nil }
            return UInt8(truncatingIfNeeded: memory.read(pa, size: 1))
        }
    }

    /// Write bytes at linear `la` through the current page tables (ignoring protection).
    /// Returns false if some byte is unmapped.
    @discardableResult
    public func pokeLinear(_ la: UInt32, _ bytes: [UInt8]) -> Bool {
        var ok = true
        for (i, b) in bytes.enumerated() {
            let a = la &+ UInt32(i)
            guard let pa = inspectTranslation(a).physical else { ok = false; continue }
            memory.write(pa, size: 1, value: UInt32(b))
        }
        return ok
    }
}
