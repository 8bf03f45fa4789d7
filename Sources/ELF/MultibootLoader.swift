// MultibootLoader: plans a Multiboot v1 boot the way QEMU's -kernel/-initrd/-append does.
// Pure: takes file bytes and strings, returns a BootPlan; the machine layer writes it.
//
// Layout (QEMU 7.2, hw/i386/multiboot.c + its option ROM, checked against a probe kernel):
//   memory map           0x9000   (e820 entries of 24 bytes)
//   info structure       0x9500   (88 bytes; EBX points here)
//   kernel image         load address .. + size (bss included)
//   module list          kernel start + page_align(size): 16 bytes per module
//   command lines        modules' first, then "<kernel name> <cmdline>"
//   boot loader name     after the space QEMU reserves for the command lines
//   modules              each at the next page boundary after the previous piece

/// Plans Multiboot v1 boots.
public enum MultibootLoader {
    /// The boot loader name written into the info structure.
    public static let bootLoaderName = "nooks-emu"
    /// Where the memory map goes (QEMU: 0x9000).
    public static let memoryMapAddress: UInt32 = 0x9000
    /// Where the info structure goes (QEMU: 0x9500).
    public static let infoAddress: UInt32 = 0x9500
    /// BIOS boot device QEMU reports (first hard disk, no partition).
    public static let bootDevice: UInt32 = 0x8000_FFFF
    static let pageSize: UInt64 = 4096

    /// Computes what to place where to boot `kernel` with `cmdline` and `modules`.
    /// - Parameters:
    ///   - kernel: the kernel file's bytes (ELF, or any format when flags bit 16 is set).
    ///   - kernelName: the kernel's path as given; it prefixes the command line, as in QEMU.
    ///   - cmdline: the kernel command line (QEMU's -append).
    ///   - modules: each module's bytes and its command line (QEMU: the -initrd entry, "path args").
    ///   - memoryBytes: guest RAM size; everything must fit in usable RAM below it.
    ///   - strictFlags: refuse headers requiring features QEMU ignores (flags bits 2-15) instead of warning.
    /// - Throws: `MultibootError`.
    public static func plan(kernel: [UInt8], kernelName: String, cmdline: String,
                            modules: [(bytes: [UInt8], cmdline: String)], memoryBytes: UInt64,
                            strictFlags: Bool = false) throws(MultibootError) -> BootPlan {
        let header = try Multiboot.findHeader(in: kernel, path: kernelName)
        var warnings: [String] = []
        if header.unsupportedRequiredFlags != 0 {
            if strictFlags { throw .unsupported(path: kernelName, flags: header.flags) }
            if header.flags & Multiboot.flagVideoMode != 0 {
                warnings.append("\(kernelName): the kernel asks for a video mode; none is set (as in QEMU)")
            }
            let others = header.unsupportedRequiredFlags & ~Multiboot.flagVideoMode
            if others != 0 {
                warnings.append("\(kernelName): unknown required Multiboot flags \(hex(others)) ignored (as in QEMU)")
            }
        }
        let image = header.usesAddressFields
            ? try MultibootKernelImage.fromAddressFields(header, kernel: kernel, path: kernelName)
            : try MultibootKernelImage.fromELF(kernel: kernel, path: kernelName)
        warnings += image.warnings

        let base = UInt64(image.loadAddress)
        let moduleCount = UInt64(modules.count)
        let kernelCommandLine = kernelName + " " + cmdline
        let moduleLines = modules.map { cString($0.cmdline) }
        // QEMU reserves room for the -initrd string as typed, where each ',' in a module's
        // command line is written ",,": keep that arithmetic so layouts match byte for byte.
        let moduleLineRoom = modules.reduce(UInt64(0)) { room, module in
            let line = cString(module.cmdline)
            return room + UInt64(line.count + line.filter { $0 == UInt8(ascii: ",") }.count)
        }
        let commandLineRoom = UInt64(kernelName.utf8.count + 1 + cmdline.utf8.count + 1) + moduleLineRoom
        let loaderName = cString(bootLoaderName)

        let listOffset = pageAlign(image.size)
        let linesOffset = listOffset + moduleCount * UInt64(MultibootModuleEntry.size)
        let loaderNameOffset = linesOffset + commandLineRoom
        var bufferSize = pageAlign(loaderNameOffset + UInt64(loaderName.count))

        // Module placement and the info area (module list, strings, loader name).
        var area = [UInt8](repeating: 0, count: Int(loaderNameOffset - listOffset) + loaderName.count)
        var lineCursor = linesOffset
        func putString(_ bytes: [UInt8], at offset: UInt64) -> UInt32 {
            let start = Int(offset - listOffset)
            area.replaceSubrange(start..<start + bytes.count, with: bytes)
            return UInt32(truncatingIfNeeded: base + offset)
        }
        var placed: [BootModule] = []
        var moduleSegments: [BootSegment] = []
        var pieces: [(what: String, start: UInt64, end: UInt64)] = [
            ("kernel image", base, base + image.size),
            ("module list and command lines", base + listOffset, base + bufferSize),
        ]
        for (i, module) in modules.enumerated() {
            let lineAddress = putString(moduleLines[i], at: lineCursor)
            lineCursor += UInt64(moduleLines[i].count)
            let start = base + bufferSize, end = start + UInt64(module.bytes.count)
            bufferSize = pageAlign(bufferSize + UInt64(module.bytes.count))
            let name = "module \(i) (\(module.cmdline.split(separator: " ").first.map(String.init) ?? ""))"
            pieces.append((name, start, end))
            guard start < 1 << 32, end <= 1 << 32 else { throw .tooLarge(what: name, end: end, limit: 1 << 32) }
            placed.append(BootModule(start: UInt32(start), end: UInt32(truncatingIfNeeded: end),
                                     cmdline: module.cmdline, cmdlineAddress: lineAddress))
            let entry = MultibootModuleEntry(start: UInt32(start), end: UInt32(truncatingIfNeeded: end), string: lineAddress)
            let entryOffset = Int(UInt64(i) * UInt64(MultibootModuleEntry.size))
            area.replaceSubrange(entryOffset..<entryOffset + MultibootModuleEntry.size, with: entry.encoded)
            if !module.bytes.isEmpty {
                moduleSegments.append(BootSegment(address: UInt32(start), bytes: module.bytes, label: name))
            }
        }
        let cmdlineAddress = putString(cString(kernelCommandLine), at: lineCursor)
        let loaderNameAddress = putString(loaderName, at: loaderNameOffset)
        let imageEnd = base + bufferSize

        let map = PCMemoryMap.entries(memoryBytes: memoryBytes)
        try checkPlacement(pieces, map: map, memoryBytes: memoryBytes)

        var info = MultibootInfo()
        info.flags = MultibootInfo.qemuFlags
        info.memLower = PCMemoryMap.memLowerKiB
        info.memUpper = PCMemoryMap.memUpperKiB(memoryBytes: memoryBytes)
        info.bootDevice = bootDevice
        info.cmdline = cmdlineAddress
        info.modsCount = UInt32(modules.count)
        info.modsAddr = UInt32(truncatingIfNeeded: base + listOffset)
        info.mmapLength = UInt32(map.count * MemoryMapEntry.size)
        info.mmapAddr = memoryMapAddress
        info.bootLoaderName = loaderNameAddress

        var segments = image.segments
        segments.append(BootSegment(address: UInt32(truncatingIfNeeded: base + listOffset), bytes: area,
                                    label: "module list and command lines"))
        segments += moduleSegments
        segments.append(BootSegment(address: memoryMapAddress, bytes: map.flatMap(\.encoded), label: "memory map"))
        segments.append(BootSegment(address: infoAddress, bytes: info.encoded, label: "Multiboot info"))

        return BootPlan(segments: segments, zeroFill: image.zeroFill, modules: placed, info: info,
                        infoAddress: infoAddress, memoryMap: map, kernelCommandLine: kernelCommandLine,
                        header: header, kernelStart: image.loadAddress,
                        kernelEnd: UInt32(truncatingIfNeeded: base + image.size),
                        imageEnd: UInt32(truncatingIfNeeded: imageEnd), entry: image.entry, warnings: warnings)
    }

    /// Every piece must lie inside one usable region of the memory map and clear of the
    /// memory map and info structure at 0x9000-0x9558.
    static func checkPlacement(_ pieces: [(what: String, start: UInt64, end: UInt64)],
                               map: [MemoryMapEntry], memoryBytes: UInt64) throws(MultibootError) {
        let usable = map.filter { $0.type == MemoryMapEntry.usable }
        let top = PCMemoryMap.usableTop(memoryBytes: memoryBytes)
        let infoStart = UInt64(memoryMapAddress), infoEnd = UInt64(infoAddress) + UInt64(MultibootInfo.size)
        for piece in pieces where piece.end > piece.start {
            if piece.end > 1 << 32 { throw .tooLarge(what: piece.what, end: piece.end, limit: 1 << 32) }
            if piece.start < infoEnd && infoStart < piece.end {
                throw .overlap(what: "\(piece.what) (\(hex(piece.start))-\(hex(piece.end)))",
                               with: "the Multiboot memory map and info structure (\(hex(infoStart))-\(hex(infoEnd)))")
            }
            if usable.contains(where: { $0.base <= piece.start && piece.end <= $0.end }) { continue }
            if piece.end > top && piece.start >= PCMemoryMap.extendedStart {
                throw .tooLarge(what: piece.what, end: piece.end, limit: top)
            }
            let hole = map.first { $0.type != MemoryMapEntry.usable && $0.base < piece.end && piece.start < $0.end }
            let holeText = hole.map { "reserved memory \(hex($0.base))-\(hex($0.end))" } ?? "memory outside RAM"
            throw .overlap(what: "\(piece.what) (\(hex(piece.start))-\(hex(piece.end)))", with: holeText)
        }
    }

    static func pageAlign(_ value: UInt64) -> UInt64 { (value + pageSize - 1) & ~(pageSize - 1) }

    /// The string's UTF-8 bytes up to any NUL, plus the terminating NUL (what strlen/memcpy see).
    static func cString(_ string: String) -> [UInt8] {
        Array(string.utf8.prefix { $0 != 0 }) + [0]
    }
}
