// Echo of the guest's serial output to the host terminal, line-buffered.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SerialEcho {
    /// Write a byte to stdout, flushing at each newline so output interleaves sanely.
    static func stdout(_ b: UInt8) {
        putchar(Int32(b))
        if b == 10 { fflush(nil) }
    }

    /// Flush whatever is buffered.
    static func flush() { fflush(nil) }
}
