// Turns a Multiboot kernel file into the bytes to load, the way QEMU 7.2's
// hw/i386/multiboot.c does: from the header's address fields when flags bit 16 is set
// (the "a.out kludge", with QEMU's validity checks), otherwise from the ELF PT_LOAD
// segments placed at their physical addresses.

/// A kernel's load image: where it starts, how big it is with bss, and where it is entered.
struct MultibootKernelImage {
    var loadAddress: UInt32
    /// mb_kernel_size in QEMU: loaded bytes plus bss.
    var size: UInt64
    var entry: UInt32
    var segments: [BootSegment]
    var zeroFill: [BootZeroFill]
    var warnings: [String] = []

    /// The image described by the header's address fields (flags bit 16).
    static func fromAddressFields(_ header: MultibootHeader, kernel: [UInt8],
                                  path: String) throws(MultibootError) -> MultibootKernelImage {
        guard let fields = header.addressFields else {
            throw .badHeader(path: path, reason: "the address fields run past the end of the file")
        }
        guard fields.headerAddr >= fields.loadAddr else {
            throw .badHeader(path: path, reason: "header_addr \(hex(fields.headerAddr)) is below load_addr \(hex(fields.loadAddr))")
        }
        guard fields.headerAddr - fields.loadAddr <= UInt32(header.offset) else {
            throw .badHeader(path: path, reason: "header_addr - load_addr exceeds the header's file offset \(hex(header.offset))")
        }
        let textOffset = UInt32(header.offset) - (fields.headerAddr - fields.loadAddr)
        let loadSize: UInt32
        if fields.loadEndAddr != 0 {
            guard fields.loadEndAddr >= fields.loadAddr else {
                throw .badHeader(path: path, reason: "load_end_addr \(hex(fields.loadEndAddr)) is below load_addr \(hex(fields.loadAddr))")
            }
            loadSize = fields.loadEndAddr - fields.loadAddr
        } else {
            loadSize = UInt32(clamping: kernel.count) - textOffset   // textOffset <= header.offset < file size
        }
        guard loadSize <= UInt32.max - fields.loadAddr else {
            throw .tooLarge(what: "kernel image", end: UInt64(fields.loadAddr) + UInt64(loadSize), limit: 1 << 32)
        }
        let size: UInt32
        if fields.bssEndAddr != 0 {
            guard fields.bssEndAddr >= fields.loadAddr + loadSize else {
                throw .badHeader(path: path, reason: "bss_end_addr \(hex(fields.bssEndAddr)) is below the end of the loaded data \(hex(fields.loadAddr + loadSize))")
            }
            size = fields.bssEndAddr - fields.loadAddr
        } else {
            size = loadSize
        }
        guard kernel.contains(offset: UInt64(textOffset), length: UInt64(loadSize)) else {
            throw .badHeader(path: path, reason: "load_end_addr \(hex(fields.loadEndAddr)) lies beyond the end of the file")
        }
        let start = Int(textOffset)
        var image = MultibootKernelImage(
            loadAddress: fields.loadAddr, size: UInt64(size), entry: fields.entryAddr,
            segments: [BootSegment(address: fields.loadAddr, bytes: Array(kernel[start..<start + Int(loadSize)]),
                                   label: "kernel image")],
            zeroFill: size > loadSize ? [BootZeroFill(address: fields.loadAddr + loadSize, length: size - loadSize)] : [])
        if loadSize == 0 { image.segments = [] }
        return image
    }

    /// The image described by the ELF program headers: PT_LOAD segments at p_paddr.
    static func fromELF(kernel: [UInt8], path: String) throws(MultibootError) -> MultibootKernelImage {
        let elf: ELFFile
        do { elf = try ELFFile(bytes: kernel, name: path) } catch { throw .elf(error) }
        guard elf.type == .executable else {
            throw .elf(.wrongType(path: path, type: 1, expected: "EXEC (a linked kernel)"))
        }
        let loads = elf.programHeaders.enumerated().filter { $0.element.isLoad }
        guard !loads.isEmpty else { throw .elf(.corrupt(path: path, what: "no PT_LOAD segments")) }

        var low = UInt64.max, high: UInt64 = 0
        var entry = elf.entry
        var segments: [BootSegment] = []
        var zeroFill: [BootZeroFill] = []
        for (i, ph) in loads {
            let start = UInt64(ph.paddr), end = start + UInt64(ph.memsz)
            low = min(low, start)
            high = max(high, end)
            // QEMU: e_entry is virtual; if an executable segment linked elsewhere holds it, translate.
            if ph.vaddr != ph.paddr, ph.isExecutable, elf.entry >= ph.vaddr,
               UInt64(elf.entry) < UInt64(ph.vaddr) + UInt64(ph.filesz) {
                entry = elf.entry - ph.vaddr + ph.paddr
            }
            for (j, other) in loads where j < i && other.memsz > 0 && ph.memsz > 0 {
                let otherStart = UInt64(other.paddr), otherEnd = otherStart + UInt64(other.memsz)
                if start < otherEnd && otherStart < end {
                    throw .overlap(what: "kernel segment \(i) (\(hex(start))-\(hex(end)))",
                                   with: "kernel segment \(j) (\(hex(otherStart))-\(hex(otherEnd)))")
                }
            }
            if ph.filesz > 0 {
                segments.append(BootSegment(address: ph.paddr, bytes: elf.bytes(of: ph), label: "kernel segment \(i)"))
            }
            if ph.memsz > ph.filesz {
                zeroFill.append(BootZeroFill(address: ph.paddr + ph.filesz, length: ph.memsz - ph.filesz))
            }
        }
        var image = MultibootKernelImage(loadAddress: UInt32(low), size: high - low, entry: entry,
                                         segments: segments, zeroFill: zeroFill)
        if UInt64(entry) < low || UInt64(entry) >= high {
            image.warnings.append("entry point \(hex(entry)) lies outside the loaded kernel \(hex(low))-\(hex(high))")
        }
        return image
    }
}
