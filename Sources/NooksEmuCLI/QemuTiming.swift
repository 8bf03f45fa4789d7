// Running an image under qemu-system-i386 (the reference machine) and timing it.

import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

enum QemuTiming {
    /// Wall-clock seconds for qemu-system-i386 to run `kernel` to its exit.
    static func time(kernel: String, append: String, memoryMiB: Int) throws -> Double {
        let cmd = "qemu-system-i386 -kernel '\(kernel)' -append '\(append)' -m \(memoryMiB) -display none -serial null -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>&1"
        let clock = ContinuousClock()
        let t0 = clock.now
        let status = system(cmd)
        let d = clock.now - t0
        if status == -1 || (status >> 8) == 127 {
            throw fail("qemu-system-i386 is not installed (apt-get install qemu-system-x86)", status: ExitStatus.internalError)
        }
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
