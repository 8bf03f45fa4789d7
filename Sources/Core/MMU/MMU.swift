// Paging: the two-level page walk, permission checks, accessed/dirty bits,
// #PF raising, and filling the modeled and fast TLBs. All of this is the cold
// path; the hot path is in MemoryAccess.swift.
//
//   linear address:  | dir (10) | table (10) | offset (12) |
//   PDE/PTE:         | frame (20) | avl (3) | G | PS | D | A | PCD | PWT | U/S | R/W | P |
//   4 MiB PDE (CR4.PSE, PS=1): frame in bits 31..22.

/// The kind of access being translated.
enum Access: UInt32 {
    case read = 0, write = 2, fetch = 4
}

/// #PF error-code bits.
enum PFErr {
    static let present: UInt32 = 1
    static let write: UInt32 = 2
    static let user: UInt32 = 4
}

extension CPU {
    @inline(__always) var pagingEnabled: Bool { cr0 & CR0.pg != 0 }

    /// Translate linear `la` for `access` at privilege `user` (CPL 3 semantics).
    /// Fills the modeled TLB and, for RAM pages, the fast TLB. Throws #PF.
    func translate(_ la: UInt32, _ access: Access, user: Bool, fillFast: Bool = true) throws(Fault) -> UInt32 {
        guard pagingEnabled else {
            if fillFast { fillFastEntry(la: la, pa: la, access: access, user: user, writable: true, dirty: true) }
            return la
        }
        let vpn = la >> 12
        let isFetch = access == .fetch
        var slot: Int
        if isFetch {
            itlb.counters.lookups &+= 1
            if let s = itlb.find(vpn) { slot = s } else { slot = try walkAndInsert(la, access, user: user, itlbSide: true) }
        } else {
            dtlb.counters.lookups &+= 1
            if let s = dtlb.find(vpn) { slot = s } else { slot = try walkAndInsert(la, access, user: user, itlbSide: false) }
        }
        var e = isFetch ? itlb.entries[slot] : dtlb.entries[slot]
        // Permission check against the cached combined permissions.
        let wp = cr0 & CR0.wp != 0
        if user && !e.user { throw pageFault(la, access, user: user, present: true) }
        if access == .write && !e.writable && (user || wp) {
            throw pageFault(la, access, user: user, present: true)
        }
        if access == .write && !e.dirty {
            // The CPU re-walks to set D in the PTE.
            try setDirty(la)
            e.dirty = true
            dtlb.entries[slot].dirty = true
        }
        let pa = (e.ppn << 12) | (la & 0xFFF)
        if fillFast {
            let writable = e.writable || (!user && !wp)
            fillFastEntry(la: la, pa: pa, access: access, user: user, writable: writable, dirty: e.dirty)
        }
        return pa
    }

    /// Page walk after a modeled TLB miss; inserts the translation and returns its slot.
    func walkAndInsert(_ la: UInt32, _ access: Access, user: Bool, itlbSide: Bool) throws(Fault) -> Int {
        if itlbSide {
            itlb.counters.misses &+= 1
            if !itlb.droppedBySwitch.isEmpty, itlb.droppedBySwitch.remove(la >> 12) != nil { itlb.counters.refillsAfterSwitch &+= 1 }
        } else {
            dtlb.counters.misses &+= 1
            if !dtlb.droppedBySwitch.isEmpty, dtlb.droppedBySwitch.remove(la >> 12) != nil { dtlb.counters.refillsAfterSwitch &+= 1 }
        }
        let pdeAddr = (cr3 & 0xFFFF_F000) | ((la >> 22) << 2)
        var pde = memory.read(pdeAddr, size: 4)
        var accesses: UInt64 = 1
        defer {
            charge(costs.pageWalkAccess &* accesses)
            if itlbSide { itlb.counters.walks &+= 1; itlb.counters.walkAccesses &+= accesses }
            else { dtlb.counters.walks &+= 1; dtlb.counters.walkAccesses &+= accesses }
        }
        guard pde & 1 != 0 else { throw pageFault(la, access, user: user, present: false) }
        var entry = ModeledTLB.Entry()
        entry.vpn = la >> 12
        if pde & 0x80 != 0 && cr4 & CR4.pse != 0 {
            entry.ppn = ((pde & 0xFFC0_0000) | (la & 0x003F_F000)) >> 12
            entry.writable = pde & 2 != 0
            entry.user = pde & 4 != 0
            entry.global = pde & 0x100 != 0 && cr4 & CR4.pge != 0
            entry.large = true
            try checkWalkPermissions(la, access, user: user, entry)
            pde |= 0x20
            if access == .write { pde |= 0x40 }
            entry.dirty = pde & 0x40 != 0
            memory.write(pdeAddr, size: 4, value: pde)
        } else {
            let pteAddr = (pde & 0xFFFF_F000) | (((la >> 12) & 0x3FF) << 2)
            var pte = memory.read(pteAddr, size: 4)
            accesses = 2
            if pde & 0x20 == 0 { pde |= 0x20; memory.write(pdeAddr, size: 4, value: pde) }
            guard pte & 1 != 0 else { throw pageFault(la, access, user: user, present: false) }
            entry.ppn = pte >> 12
            entry.writable = pde & 2 != 0 && pte & 2 != 0
            entry.user = pde & 4 != 0 && pte & 4 != 0
            entry.global = pte & 0x100 != 0 && cr4 & CR4.pge != 0
            try checkWalkPermissions(la, access, user: user, entry)
            pte |= 0x20
            if access == .write { pte |= 0x40 }
            entry.dirty = pte & 0x40 != 0
            memory.write(pteAddr, size: 4, value: pte)
        }
        let evicted: UInt32?
        if itlbSide { evicted = itlb.insert(entry) } else { evicted = dtlb.insert(entry) }
        if let v = evicted {
            if itlbSide { fast.dropCode(v) } else { fast.dropData(v) }
        }
        return (itlbSide ? itlb.find(entry.vpn) : dtlb.find(entry.vpn)) ?? 0
    }

    @inline(__always) func checkWalkPermissions(_ la: UInt32, _ access: Access, user: Bool, _ e: ModeledTLB.Entry) throws(Fault) {
        if user && !e.user { throw pageFault(la, access, user: user, present: true) }
        if access == .write && !e.writable && (user || cr0 & CR0.wp != 0) {
            throw pageFault(la, access, user: user, present: true)
        }
    }

    /// Set the dirty bit of the PTE (or 4 MiB PDE) mapping `la`.
    func setDirty(_ la: UInt32) throws(Fault) {
        let pdeAddr = (cr3 & 0xFFFF_F000) | ((la >> 22) << 2)
        let pde = memory.read(pdeAddr, size: 4)
        charge(costs.pageWalkAccess)
        if pde & 0x80 != 0 && cr4 & CR4.pse != 0 {
            memory.write(pdeAddr, size: 4, value: pde | 0x60)
            return
        }
        let pteAddr = (pde & 0xFFFF_F000) | (((la >> 12) & 0x3FF) << 2)
        let pte = memory.read(pteAddr, size: 4)
        memory.write(pteAddr, size: 4, value: pte | 0x60)
    }

    func pageFault(_ la: UInt32, _ access: Access, user: Bool, present: Bool) -> Fault {
        cr2 = la
        var code: UInt32 = present ? PFErr.present : 0
        if access == .write { code |= PFErr.write }
        if user { code |= PFErr.user }
        return Fault(14, code)
    }

    /// Install a fast-TLB entry for a RAM page.
    @inline(__always) func fillFastEntry(la: UInt32, pa: UInt32, access: Access, user: Bool, writable: Bool, dirty: Bool) {
        let page = Int(pa >> 12)
        guard page < memory.pageCount else { return }
        if !watchedPages.isEmpty && watchedPages.contains(la >> 12) { return }
        let i = FastTLB.index(la)
        let tag = (la & 0xFFFF_F000) | (user ? 1 : 0)
        let paPage = Int(pa & 0xFFFF_F000), laPage = Int(la & 0xFFFF_F000)
        switch access {
        case .fetch:
            fast.code[i] = FastEntry(tag: tag, delta: paPage - laPage)
        case .read, .write:
            let hostDelta = Int(bitPattern: ram) &+ paPage &- laPage
            fast.read[i] = FastEntry(tag: tag, delta: hostDelta)
            if writable && dirty && memory.codePage[page] == 0 {
                fast.write[i] = FastEntry(tag: tag, delta: hostDelta)
            }
        }
    }

    // MARK: Flushes

    func flushAllTLBs() {
        fast.flushAll()
        itlb.flush(keepGlobal: false) { _ in }
        dtlb.flush(keepGlobal: false) { _ in }
    }

    /// What a CR3 load does to the TLBs: drop non-global entries (remembering
    /// them, so the misses that refill them can be attributed to the switch).
    func flushNonGlobal() {
        let f = fast
        // Pages dropped by switches stay remembered until missed on again (a call
        // into a domain and back flushes twice), bounded so the set stays small.
        if itlb.droppedBySwitch.count > 8192 { itlb.droppedBySwitch.removeAll() }
        if dtlb.droppedBySwitch.count > 8192 { dtlb.droppedBySwitch.removeAll() }
        var di: [UInt32] = [], dd: [UInt32] = []
        itlb.flush(keepGlobal: cr4 & CR4.pge != 0) { f.dropCode($0); di.append($0) }
        dtlb.flush(keepGlobal: cr4 & CR4.pge != 0) { f.dropData($0); dd.append($0) }
        itlb.droppedBySwitch.formUnion(di)
        dtlb.droppedBySwitch.formUnion(dd)
        if !pagingEnabled { fast.flushAll() }
    }

    func invalidatePage(_ la: UInt32) {
        let f = fast
        itlb.invalidate(la >> 12) { f.dropCode($0) }
        dtlb.invalidate(la >> 12) { f.dropData($0) }
        f.dropCode(la >> 12)
        f.dropData(la >> 12)
    }

    /// The decode cache found code on physical `page`: stop writing it through the fast path.
    func pageBecameCode(_ page: Int) {
        fast.dropWrites(toHost: Int(bitPattern: ram) &+ (page << 12))
    }

    /// A code page was written (by anyone): decoded blocks there are stale.
    func codePageWritten(_ page: Int) {
        stats.codeInvalidations &+= 1
        if page == execPage { deadline = 0 }
    }

    // MARK: Debugger view

    /// Walk the page tables for `la` under `cr3` without side effects (no A/D bits, no TLB fill).
    public func inspectTranslation(_ la: UInt32, cr3 root: UInt32? = nil) -> PageWalkInfo {
        var info = PageWalkInfo(linear: la)
        guard pagingEnabled || root != nil else { info.physical = la; info.writable = true; info.user = true; return info }
        let base = (root ?? cr3) & 0xFFFF_F000
        info.pdeAddress = base | ((la >> 22) << 2)
        let pde = memory.read(info.pdeAddress!, size: 4)
        info.pde = pde
        guard pde & 1 != 0 else { return info }
        if pde & 0x80 != 0 && cr4 & CR4.pse != 0 {
            info.large = true
            info.physical = (pde & 0xFFC0_0000) | (la & 0x003F_FFFF)
            info.writable = pde & 2 != 0; info.user = pde & 4 != 0; info.global = pde & 0x100 != 0
            return info
        }
        info.pteAddress = (pde & 0xFFFF_F000) | (((la >> 12) & 0x3FF) << 2)
        let pte = memory.read(info.pteAddress!, size: 4)
        info.pte = pte
        guard pte & 1 != 0 else { return info }
        info.physical = (pte & 0xFFFF_F000) | (la & 0xFFF)
        info.writable = pde & 2 != 0 && pte & 2 != 0
        info.user = pde & 4 != 0 && pte & 4 != 0
        info.global = pte & 0x100 != 0
        return info
    }
}

/// The result of a side-effect-free page walk (for the debugger).
public struct PageWalkInfo: Sendable, Equatable {
    public var linear: UInt32
    public var pdeAddress: UInt32? = nil
    public var pde: UInt32? = nil
    public var pteAddress: UInt32? = nil
    public var pte: UInt32? = nil
    public var physical: UInt32? = nil
    public var large = false
    public var writable = false
    public var user = false
    public var global = false
}
