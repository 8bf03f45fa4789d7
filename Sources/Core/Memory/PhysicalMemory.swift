// Guest physical memory: one flat RAM buffer plus MMIO windows.
//
// RAM is a single unsafe allocation; the CPU's fast translation cache points
// straight into it. Everything above RAM is either an MMIO window registered by
// a device or unmapped (reads as all ones, writes are dropped and counted, as on
// a PC bus). Per-page code generations let the decode cache notice writes to
// pages it has decoded instructions from — whoever writes (CPU, DMA, loader).
//
// RAM comes from an anonymous mmap: the host zeroes pages lazily, so a 128 MiB
// guest costs only the memory it touches.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A device reached through memory-mapped I/O.
public protocol MMIOHandler: AnyObject {
    /// Read `size` (1, 2 or 4) bytes at `offset` into the window.
    func mmioRead(offset: UInt32, size: Int) -> UInt32
    /// Write `size` (1, 2 or 4) bytes at `offset` into the window.
    func mmioWrite(offset: UInt32, size: Int, value: UInt32)
}

public final class PhysicalMemory {
    /// Host address of guest physical address 0.
    public let base: UnsafeMutableRawPointer
    /// RAM size in bytes (a multiple of 4 KiB).
    public let size: Int
    /// Number of 4 KiB RAM pages.
    public let pageCount: Int

    /// Per-page flag: 1 if the decode cache holds instructions from this page.
    let codePage: UnsafeMutablePointer<UInt8>
    /// Per-page generation, bumped when a code page is written.
    let codeGen: UnsafeMutablePointer<UInt32>
    /// Called when a code page is written (the CPU drops its fast write entries etc.).
    var onCodeWrite: ((Int) -> Void)?

    struct Window {
        var start: UInt32
        var end: UInt32   // exclusive
        var handler: MMIOHandler
        var name: String
    }
    var windows: [Window] = []

    /// Accesses to physical addresses that are neither RAM nor MMIO.
    public private(set) var unmappedReads: UInt64 = 0
    public private(set) var unmappedWrites: UInt64 = 0
    /// The first unmapped physical address touched, for diagnostics.
    public private(set) var firstUnmappedAddress: UInt32?

    /// Allocate `size` bytes of zeroed guest RAM (rounded up to 4 KiB).
    public init(size requested: Int) {
        let sz = max(4096, (requested + 4095) & ~4095)
        size = sz
        pageCount = sz >> 12
        let p = mmap(nil, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("cannot reserve \(sz >> 20) MiB of guest RAM") }
        base = p
        codePage = .allocate(capacity: pageCount)
        codePage.initialize(repeating: 0, count: pageCount)
        codeGen = .allocate(capacity: pageCount)
        codeGen.initialize(repeating: 0, count: pageCount)
    }

    deinit {
        munmap(base, size)
        codePage.deallocate()
        codeGen.deallocate()
    }

    // MARK: MMIO windows

    /// Map `handler` at physical `[start, start+length)`. The window must lie above RAM.
    public func mapMMIO(start: UInt32, length: UInt32, name: String, handler: MMIOHandler) {
        precondition(Int(start) >= size, "MMIO window overlaps RAM")
        windows.append(Window(start: start, end: start &+ length, handler: handler, name: name))
    }

    /// Remove the MMIO window starting at `start`, if any.
    public func unmapMMIO(start: UInt32) {
        windows.removeAll { $0.start == start }
    }

    @inline(__always) func window(containing pa: UInt32) -> Window? {
        for w in windows where pa >= w.start && pa < w.end { return w }
        return nil
    }

    // MARK: Code-page tracking

    /// Note that the bytes `[pa, pa+count)` changed: invalidate decoded code there.
    @inline(__always) public func noteWrite(_ pa: Int, count: Int) {
        guard count > 0 else { return }
        var page = pa >> 12
        let last = min((pa + count - 1) >> 12, pageCount - 1)
        while page <= last {
            if codePage[page] != 0 { invalidateCodePage(page) }
            page += 1
        }
    }

    func invalidateCodePage(_ page: Int) {
        codePage[page] = 0
        codeGen[page] &+= 1
        onCodeWrite?(page)
    }

    // MARK: Physical access (slow path; the CPU reads RAM through its TLB)

    /// Read `size` bytes (1, 2, 4) at physical `pa`. RAM, MMIO or unmapped (all ones).
    public func read(_ pa: UInt32, size n: Int) -> UInt32 {
        let a = Int(pa)
        if a + n <= size {
            switch n {
            case 1: return UInt32(base.load(fromByteOffset: a, as: UInt8.self))
            case 2: return UInt32(base.loadUnaligned(fromByteOffset: a, as: UInt16.self))
            default: return base.loadUnaligned(fromByteOffset: a, as: UInt32.self)
            }
        }
        if let w = window(containing: pa) {
            return w.handler.mmioRead(offset: pa &- w.start, size: n)
        }
        unmappedReads &+= 1
        if firstUnmappedAddress == nil { firstUnmappedAddress = pa }
        return n == 4 ? 0xFFFF_FFFF : (n == 2 ? 0xFFFF : 0xFF)
    }

    /// Write `size` bytes (1, 2, 4) at physical `pa`.
    public func write(_ pa: UInt32, size n: Int, value: UInt32) {
        let a = Int(pa)
        if a + n <= size {
            switch n {
            case 1: base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: a, as: UInt8.self)
            case 2: base.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: a, as: UInt16.self)
            default: base.storeBytes(of: value, toByteOffset: a, as: UInt32.self)
            }
            noteWrite(a, count: n)
            return
        }
        if let w = window(containing: pa) {
            w.handler.mmioWrite(offset: pa &- w.start, size: n, value: value)
            return
        }
        unmappedWrites &+= 1
        if firstUnmappedAddress == nil { firstUnmappedAddress = pa }
    }

    /// True if `[pa, pa+count)` lies entirely in RAM.
    public func isRAM(_ pa: UInt64, count: Int) -> Bool {
        count >= 0 && pa + UInt64(count) <= UInt64(size)
    }

    // MARK: Bulk access for loaders, DMA and tools

    /// Copy `bytes` into RAM at `pa`. Returns false (and writes nothing) if the range leaves RAM.
    @discardableResult
    public func write(_ bytes: [UInt8], at pa: UInt32) -> Bool {
        guard isRAM(UInt64(pa), count: bytes.count) else { return false }
        bytes.withUnsafeBytes { src in
            if let p = src.baseAddress { (base + Int(pa)).copyMemory(from: p, byteCount: bytes.count) }
        }
        noteWrite(Int(pa), count: bytes.count)
        return true
    }

    /// Fill `count` bytes of RAM at `pa` with `value`. Returns false if the range leaves RAM.
    @discardableResult
    public func fill(_ value: UInt8, at pa: UInt32, count: Int) -> Bool {
        guard isRAM(UInt64(pa), count: count) else { return false }
        (base + Int(pa)).initializeMemory(as: UInt8.self, repeating: value, count: count)
        noteWrite(Int(pa), count: count)
        return true
    }

    /// Read `count` bytes of RAM at `pa`; bytes outside RAM read as 0xFF.
    public func read(at pa: UInt32, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0xFF, count: max(0, count))
        for i in 0..<out.count {
            let a = UInt64(pa) + UInt64(i)
            if a < UInt64(size) { out[i] = base.load(fromByteOffset: Int(a), as: UInt8.self) }
        }
        return out
    }

    /// Little-endian 32-bit read of RAM (0xFFFFFFFF outside RAM). For tools and loaders.
    public func load32(_ pa: UInt32) -> UInt32 { read(pa, size: 4) }

    /// Little-endian 32-bit write to RAM or MMIO. For tools and loaders.
    public func store32(_ pa: UInt32, _ v: UInt32) { write(pa, size: 4, value: v) }

    // MARK: Snapshots

    /// A copy of RAM contents (for snapshots).
    public func copyRAM() -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base, count: size))
    }

    /// Restore RAM contents from a snapshot of the same size; invalidates all decoded code.
    public func restoreRAM(_ bytes: [UInt8]) {
        precondition(bytes.count == size, "snapshot RAM size mismatch")
        bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: size) }
        for p in 0..<pageCount where codePage[p] != 0 { invalidateCodePage(p) }
    }
}
