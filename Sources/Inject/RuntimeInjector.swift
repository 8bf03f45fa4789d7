// Runtime faults on a running machine: breakpoints at the module's function
// entries, at its calls to allocators, free functions and memcpy (and at the
// instruction after each allocator call, to see the block returned), and at its
// rep movs instructions. At each stop the injector counts the event, fires the
// faults due (RuntimeFault.swift says what each does) and resumes. With no
// faults it only counts: the fault-free "golden" run that sizes the draws.

import Core
import Machine

/// Block families: a block is freed by the free function of its own family.
public enum BlockFamily: Sendable { case kmem, skb, dma }

/// A live block the module allocated.
public struct HeapBlock: Sendable {
    public var address: UInt32
    public var size: Int
    public var family: BlockFamily
}

/// The kernel functions the runtime faults intercept.
enum Callee {
    /// Allocators: family, the argument holding the size (nil: fixed), fixed size.
    static let allocators: [String: (family: BlockFamily, sizeArg: Int?, fixed: Int)] = [
        "kmalloc": (.kmem, 0, 0), "kzalloc": (.kmem, 0, 0),
        "alloc_skb": (.skb, nil, 52), "dev_alloc_skb": (.skb, nil, 52),
        "pci_alloc_consistent": (.dma, 1, 0),
    ]
    /// Free functions: family and the argument holding the block.
    static let frees: [String: (family: BlockFamily, ptrArg: Int)] = [
        "kfree": (.kmem, 0), "kfree_skb": (.skb, 0), "dev_kfree_skb": (.skb, 0),
        "dev_kfree_skb_any": (.skb, 0), "pci_free_consistent": (.dma, 2),
    ]
    static let copies: [String: Int] = ["memcpy": 2, "memmove": 2]
}

/// Counts events and fires runtime faults on one machine.
public final class RuntimeInjector {
    typealias Block = HeapBlock
    enum Site { case entry, allocCall(String), allocReturn, freeCall(String), copyCall(String), repMovs(Int) }

    let textBase: UInt32
    var pending: [RuntimeFault]
    /// Events seen so far, per class.
    public private(set) var counts = EventCounts()
    /// One line per fault that fired.
    public private(set) var log: [String] = []
    var sites: [UInt32: [Site]] = [:]
    var live: [UInt32: Block] = [:]
    /// The live blocks, by address.
    public var liveBlocks: [HeapBlock] { live.values.sorted { $0.address < $1.address } }
    /// Allocations in flight: ESP at the call → (callee, size).
    var inFlight: [UInt32: (String, Int)] = [:]
    /// free fault: the call the injector made to the module's kfree import returns to this
    /// function entry with the argument still on the stack at this ESP.
    var injectedReturn: (address: UInt32, esp: UInt32)?
    let image: ModuleImage

    /// An injector for `faults` (empty: count only) on the module `image` loaded at `textBase`.
    /// `blocks` are live blocks known from before (the module's allocations during boot).
    /// With `heapOnly`, only allocations and frees are watched (to track blocks during boot).
    public init(image: ModuleImage, textBase: UInt32, faults: [RuntimeFault], decoder: LayoutDecoder?,
                blocks: [HeapBlock] = [], heapOnly: Bool = false) {
        self.image = image
        self.textBase = textBase
        self.pending = faults
        for b in blocks { live[b.address] = b }
        var classes = Set(faults.map(\.type))
        if heapOnly { classes = [.heap] }
        let counting = faults.isEmpty && !heapOnly
        func add(_ off: Int, _ s: Site) { sites[textBase &+ UInt32(off), default: []].append(s) }
        if counting || classes.contains(.stack) || classes.contains(.free) || (classes.contains(.heap) && !heapOnly) {
            for e in image.functionEntries { add(e, .entry) }
        }
        let trackAllocs = counting || !classes.isDisjoint(with: [.heap, .alloc, .free])
        let trackFrees = counting || !classes.isDisjoint(with: [.heap, .free, .leak])
        for c in image.callSites {
            if trackAllocs, Callee.allocators[c.callee] != nil {
                add(c.offset, .allocCall(c.callee)); add(c.offset + 5, .allocReturn)
            }
            if trackFrees, Callee.frees[c.callee] != nil { add(c.offset, .freeCall(c.callee)) }
            if counting || classes.contains(.bcopy), Callee.copies[c.callee] != nil { add(c.offset, .copyCall(c.callee)) }
        }
        if counting || classes.contains(.bcopy), let decoder {
            for i in decoder.decode(image.text) where i.repPrefixOffset != nil && (i.opcode == 0xA4 || i.opcode == 0xA5) {
                let unit = i.opcode == 0xA4 ? 1 : (i.bytes.prefix(i.prefixCount).contains(0x66) ? 2 : 4)
                add(i.offset, .repMovs(unit))
            }
        }
    }

    /// Breakpoint addresses to set.
    public var breakpoints: Set<UInt32> {
        disarmed ? Set(injectedReturn.map { [$0.address] } ?? []) : Set(sites.keys)
    }

    /// True once `disarm` was called.
    public private(set) var disarmed = false

    /// Stop injecting: the isolation manager caught a fault and will reload the module from
    /// its pristine image (which also undoes the code faults); the blocks and call sites known
    /// here belong to the old instance. Only an injected kfree still in flight is completed.
    public func disarm() {
        guard !disarmed else { return }
        disarmed = true
        for i in pending.indices { pending[i].ordinal = -1 }
        if !pending.isEmpty { log.append("disarmed: the isolation manager caught a fault") }
    }

    /// True when nothing is left to fire (and the run need not stop at breakpoints any more).
    public var done: Bool {
        !pending.isEmpty && pending.allSatisfy { $0.ordinal < 0 } && injectedReturn == nil
    }

    /// Handle a stop at `address`. Returns true if the injector moved EIP (skipped a call).
    public func handle(_ address: UInt32, cpu: CPU) -> Bool {
        if disarmed {
            if let r = injectedReturn, r.address == address, r.esp == cpu[.esp] {
                cpu[.esp] = r.esp &+ 4
                injectedReturn = nil
            }
            return false
        }
        guard let list = sites[address], verify(address, cpu: cpu, list) else { return false }
        var moved = false
        for s in list where !moved {
            switch s {
            case .entry:
                if let r = injectedReturn, r.address == address, r.esp == cpu[.esp] {
                    cpu[.esp] = r.esp &+ 4   // back from the injected kfree: drop its argument
                    injectedReturn = nil
                    break
                }
                counts[.entry] += 1
                if fire(.entry, cpu: cpu) { moved = true }
            case .allocReturn:
                let esp = cpu[.esp]
                if let (callee, size) = inFlight.removeValue(forKey: esp) {
                    let p = cpu[.eax]
                    if p != 0, let a = Callee.allocators[callee] {
                        let b = Block(address: p, size: max(1, size), family: a.family)
                        live[p] = b
                    }
                }
            case .allocCall(let callee):
                counts[.alloc] += 1
                let a = Callee.allocators[callee]!
                if take(.alloc, types: [.alloc]) != nil {
                    log.append("alloc: \(callee) call #\(counts[.alloc]) at \(image.describe(Int(address &- textBase))) returned NULL")
                    cpu.eip = address &+ 5
                    cpu[.eax] = 0
                    moved = true
                } else {
                    let size = a.sizeArg.map { Int(arg($0, cpu) ?? 0) } ?? a.fixed
                    inFlight[cpu[.esp]] = (callee, min(size, 1 << 20))
                }
            case .freeCall(let callee):
                counts[.free] += 1
                let f = Callee.frees[callee]!
                let p = arg(f.ptrArg, cpu) ?? 0
                if take(.free, types: [.leak]) != nil {
                    log.append("leak: \(callee)(0x\(String(p, radix: 16))) call #\(counts[.free]) at \(image.describe(Int(address &- textBase))) skipped")
                    cpu.eip = address &+ 5
                    moved = true
                    break
                }
                live[p] = nil
            case .copyCall(let callee):
                counts[.copy] += 1
                if let fault = take(.copy, types: [.bcopy]), let n = arg(Callee.copies[callee]!, cpu) {
                    let grown = n &+ UInt32(fault.copyGrowth)
                    setArg(Callee.copies[callee]!, grown, cpu)
                    log.append("bcopy: \(callee) copy #\(counts[.copy]) at \(image.describe(Int(address &- textBase))) length \(n) -> \(grown)")
                }
            case .repMovs(let unit):
                counts[.copy] += 1
                if let fault = take(.copy, types: [.bcopy]) {
                    let n = cpu[.ecx]
                    let grown = n &+ UInt32((fault.copyGrowth + unit - 1) / unit)
                    cpu[.ecx] = grown
                    log.append("bcopy: rep movs copy #\(counts[.copy]) at \(image.describe(Int(address &- textBase))) count \(n) -> \(grown)")
                }
            }
        }
        return moved
    }

    /// free fault: make the module call kfree(block) now, at a function entry: push the block
    /// and a return address (this entry), jump to the target of the module's own `call kfree`
    /// (kfree natively, the Nooks import thunk when isolated). The stop back here pops the argument.
    func injectFree(_ f: RuntimeFault, cpu: CPU) -> Bool {
        let blocks = liveBlocks.filter { $0.family == .kmem }
        guard !blocks.isEmpty, let site = image.callSites.first(where: { $0.callee == "kfree" }),
              let rel = read32(textBase &+ UInt32(site.offset) &+ 1, cpu) else { return false }
        let b = blocks[min(blocks.count - 1, Int(f.fraction * Double(blocks.count)))]
        let target = textBase &+ UInt32(site.offset) &+ 5 &+ rel
        let esp = cpu[.esp], entry = cpu.eip
        guard cpu.pokeLinear(esp &- 8, le(entry) + le(b.address)) else { return false }
        cpu[.esp] = esp &- 8
        cpu.eip = target
        injectedReturn = (entry, esp &- 4)
        live[b.address] = nil
        log.append("free: entry #\(counts[.entry]) at \(image.describe(Int(entry &- textBase))) calls kfree(0x\(String(b.address, radix: 16))) early (\(b.size) bytes, \(blocks.count) live blocks)")
        return true
    }

    /// Fire the entry-class faults due now; true if EIP moved (an injected call).
    func fire(_ c: EventClass, cpu: CPU) -> Bool {
        for i in pending.indices where pending[i].ordinal >= 0 && pending[i].eventClass == c && pending[i].ordinal <= counts[c] {
            let f = pending[i]
            switch f.type {
            case .free:
                guard injectedReturn == nil else { continue }
                if injectFree(f, cpu: cpu) {
                    pending[i].ordinal = -1
                    return true
                }
            case .stack:
                let a = cpu[.esp] &+ UInt32(4 * (f.bit / 32))
                guard let v = read32(a, cpu) else { pending[i].ordinal = -1; continue }
                _ = cpu.pokeLinear(a, le(v ^ (1 << UInt32(f.bit % 32))))
                log.append("stack: entry #\(counts[c]) flipped bit \(f.bit % 32) of [esp+\(4 * (f.bit / 32))] = 0x\(String(a, radix: 16))")
                pending[i].ordinal = -1
            case .heap:
                let blocks = liveBlocks.filter { $0.family != .skb }
                let total = blocks.reduce(0) { $0 + $1.size }
                guard total > 0 else { continue }   // wait for a later entry
                var k = min(total - 1, Int(f.fraction * Double(total)))
                var target: UInt32 = 0
                for b in blocks { if k < b.size { target = b.address &+ UInt32(k); break }; k -= b.size }
                if let byte = cpu.peekLinear(target, count: 1).first, let b = byte {
                    _ = cpu.pokeLinear(target, [b ^ (1 << UInt8(f.bit))])
                    log.append("heap: entry #\(counts[c]) flipped bit \(f.bit) at 0x\(String(target, radix: 16)) (\(blocks.count) live blocks)")
                }
                pending[i].ordinal = -1
            default: break
            }
        }
        return false
    }

    /// Takes (marks fired) the first pending fault of `types` whose ordinal is the current count of `c`.
    func take(_ c: EventClass, types: Set<FaultType>) -> RuntimeFault? {
        guard let i = pending.firstIndex(where: { types.contains($0.type) && $0.ordinal == counts[c] }) else { return nil }
        let f = pending[i]
        pending[i].ordinal = -1
        return f
    }

    /// Is the instruction at `address` still the one the sites were made for (the module
    /// may have been reloaded elsewhere, and other code placed here)?
    func verify(_ address: UInt32, cpu: CPU, _ list: [Site]) -> Bool {
        let off = Int(address &- textBase)
        guard off >= 0, off < image.text.count, let b = cpu.peekLinear(address, count: 1).first, let byte = b else { return false }
        for s in list {
            if case .allocCall = s, byte != 0xE8 { return false }
            if case .freeCall = s, byte != 0xE8 { return false }
            if case .copyCall = s, byte != 0xE8 { return false }
        }
        return true
    }

    func arg(_ n: Int, _ cpu: CPU) -> UInt32? { read32(cpu[.esp] &+ UInt32(4 * n), cpu) }
    func setArg(_ n: Int, _ v: UInt32, _ cpu: CPU) { _ = cpu.pokeLinear(cpu[.esp] &+ UInt32(4 * n), le(v)) }

    func read32(_ a: UInt32, _ cpu: CPU) -> UInt32? {
        let b = cpu.peekLinear(a, count: 4)
        guard b.allSatisfy({ $0 != nil }) else { return nil }
        return b.enumerated().reduce(0) { $0 | UInt32($1.element!) << UInt32(8 * $1.offset) }
    }

    func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> UInt32(8 * $0)) } }
}
