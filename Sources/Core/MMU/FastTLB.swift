// The fast translation cache on the hot path: virtual page -> host address.
//
// Direct-mapped, one load and one compare per access. A tag is the page's linear
// address with bit 0 set for user-mode (CPL 3) entries, so kernel and user
// permissions never share an entry. `delta` is added to the linear address to get
// the host address (read/write arrays) or the physical address (code array).
// Entries exist only for RAM pages, and only for pages the modeled TLB holds.

struct FastEntry {
    var tag: UInt32
    var delta: Int
}

final class FastTLB {
    static let bits = 10
    static let count = 1 << bits
    static let mask: UInt32 = UInt32(count - 1)
    static let invalid: UInt32 = 0xFFE

    /// Readable pages: delta = host address - linear address.
    let read: UnsafeMutablePointer<FastEntry>
    /// Writable pages (dirty already set, no decoded code): delta as for `read`.
    let write: UnsafeMutablePointer<FastEntry>
    /// Executable pages: delta = physical address - linear address.
    let code: UnsafeMutablePointer<FastEntry>

    init() {
        read = .allocate(capacity: Self.count)
        write = .allocate(capacity: Self.count)
        code = .allocate(capacity: Self.count)
        read.initialize(repeating: FastEntry(tag: Self.invalid, delta: 0), count: Self.count)
        write.initialize(repeating: FastEntry(tag: Self.invalid, delta: 0), count: Self.count)
        code.initialize(repeating: FastEntry(tag: Self.invalid, delta: 0), count: Self.count)
    }

    deinit {
        read.deallocate()
        write.deallocate()
        code.deallocate()
    }

    @inline(__always) static func index(_ la: UInt32) -> Int { Int((la >> 12) & mask) }

    func flushAll() {
        for i in 0..<Self.count {
            read[i].tag = Self.invalid
            write[i].tag = Self.invalid
            code[i].tag = Self.invalid
        }
    }

    /// Drop data entries (read and write) for virtual page `vpn`.
    @inline(__always) func dropData(_ vpn: UInt32) {
        let i = Int(vpn & Self.mask)
        if read[i].tag >> 12 == vpn { read[i].tag = Self.invalid }
        if write[i].tag >> 12 == vpn { write[i].tag = Self.invalid }
    }

    /// Drop the code entry for virtual page `vpn`.
    @inline(__always) func dropCode(_ vpn: UInt32) {
        let i = Int(vpn & Self.mask)
        if code[i].tag >> 12 == vpn { code[i].tag = Self.invalid }
    }

    /// Drop every write entry that points at host page `hostPage` (a page that now holds code).
    func dropWrites(toHost host: Int) {
        for i in 0..<Self.count where write[i].tag != Self.invalid {
            let h = Int(write[i].tag & ~0xFFF) &+ write[i].delta
            if h == host { write[i].tag = Self.invalid }
        }
    }
}
