// BootPlan: the result of Multiboot planning — which bytes go at which physical
// addresses, which ranges to zero, and the register values to start the kernel with.
// The machine layer applies it; nothing here touches guest memory.

/// Bytes to copy into guest RAM at a physical address.
public struct BootSegment: Sendable, Equatable {
    /// Physical address of the first byte.
    public var address: UInt32
    /// The bytes.
    public var bytes: [UInt8]
    /// What it is (for logs and the debugger), e.g. `kernel segment 0`, `module 1`.
    public var label: String
}

/// A range of guest RAM to set to zero (a kernel's bss).
public struct BootZeroFill: Sendable, Equatable {
    /// Physical address of the first byte.
    public var address: UInt32
    /// Number of bytes.
    public var length: UInt32
}

/// A module as placed in memory.
public struct BootModule: Sendable, Equatable {
    /// First byte (page-aligned).
    public var start: UInt32
    /// One past the last byte.
    public var end: UInt32
    /// Its command line (file name and arguments, as given to QEMU's -initrd).
    public var cmdline: String
    /// Where the NUL-terminated command line is placed.
    public var cmdlineAddress: UInt32
}

/// Everything needed to start a Multiboot kernel: write `segments`, zero `zeroFill`,
/// then enter at `entry` with EAX = `eax`, EBX = `ebx`, flat 32-bit CS/DS/ES/SS,
/// CR0.PE = 1, paging off, interrupts off (EFLAGS.IF = 0).
public struct BootPlan: Sendable, Equatable {
    /// Bytes to write, in order (kernel segments, module list and strings, modules, memory map, info).
    public var segments: [BootSegment]
    /// Ranges to zero after writing the segments (bss).
    public var zeroFill: [BootZeroFill]
    /// The modules, in command-line order.
    public var modules: [BootModule]
    /// The boot information structure as written at `infoAddress`.
    public var info: MultibootInfo
    /// Where the info structure is (QEMU: 0x9500).
    public var infoAddress: UInt32
    /// The memory map as written at `info.mmapAddr` (QEMU: 0x9000).
    public var memoryMap: [MemoryMapEntry]
    /// The kernel command line as the kernel sees it (QEMU: "<kernel name> <cmdline>").
    public var kernelCommandLine: String
    /// The Multiboot header that was used.
    public var header: MultibootHeader
    /// Lowest address of the kernel image.
    public var kernelStart: UInt32
    /// One past the kernel image's last byte, bss included.
    public var kernelEnd: UInt32
    /// One past the last byte of everything placed after the kernel (page-aligned).
    public var imageEnd: UInt32
    /// Where execution starts.
    public var entry: UInt32
    /// Value for EAX: the boot loader magic 0x2BADB002.
    public var eax: UInt32 = Multiboot.bootloaderMagic
    /// Value for EBX: the address of the info structure.
    public var ebx: UInt32 { infoAddress }
    /// Things QEMU would accept with a warning (video mode requested, unknown required flags,
    /// entry outside the image); empty when all is well.
    public var warnings: [String]
}
