// FileBlockBackend: a raw disk image file on the host, read with pread and
// written with pwrite only when the guest's WRITE command completes; FLUSH
// CACHE becomes fsync. Like QEMU's raw format, the capacity is the file size
// rounded up to whole sectors, and bytes past the end of the file (a file that
// is not a multiple of 512 bytes, or one truncated while the machine runs)
// read as zeros and are counted in `stats.zeroFilledBytes`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw image file. See the file comment.
public final class FileBlockBackend: BlockBackend {
    /// Why an image could not be opened.
    public enum OpenError: Error, Equatable, Sendable, CustomStringConvertible {
        case missing(String)
        case unreadable(String, Int32)
        case notARegularFile(String)
        case empty(String)
        public var description: String {
            switch self {
            case .missing(let p): return "\(p): no such disk image"
            case .unreadable(let p, let e): return "\(p): cannot open disk image (\(String(cString: strerror(e))))"
            case .notARegularFile(let p): return "\(p): not a regular file"
            case .empty(let p): return "\(p): disk image is empty (0 bytes)"
            }
        }
    }

    public let path: String
    public let isReadOnly: Bool
    public let sectorCount: UInt64
    /// The file's size when it was opened.
    public let fileBytes: UInt64
    public private(set) var stats = BlockBackendStats()
    /// Called after a read that ran past the end of the file, with the first
    /// sector of the read and the number of bytes returned as zeros (a report
    /// hook for the CLI; the bytes are counted in `stats` either way).
    public var onZeroFill: ((_ sector: UInt64, _ bytes: Int) -> Void)?
    private var fd: Int32

    /// Opens `path` read-write, or read-only if `readOnly`.
    public init(path: String, readOnly: Bool = false) throws(OpenError) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let e = errno
            throw e == ENOENT ? .missing(path) : .unreadable(path, e)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notARegularFile(path) }
        guard st.st_size > 0 else { throw .empty(path) }
        let fd = open(path, readOnly ? O_RDONLY : O_RDWR)
        guard fd >= 0 else { throw .unreadable(path, errno) }
        self.fd = fd
        self.path = path
        self.isReadOnly = readOnly
        fileBytes = UInt64(st.st_size)
        sectorCount = (fileBytes + UInt64(blockSectorSize) - 1) / UInt64(blockSectorSize)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// True if the file's size is not a whole number of sectors (the last one is padded).
    public var hasPartialLastSector: Bool { fileBytes % UInt64(blockSectorSize) != 0 }

    public func read(sector: UInt64, count: Int) throws(BlockError) -> [UInt8] {
        guard contains(sector: sector, count: count) else { stats.errors &+= 1; throw .outOfRange(sector, count) }
        let total = count * blockSectorSize
        var out = [UInt8](repeating: 0, count: total)
        var done = 0
        let base = off_t(sector) * off_t(blockSectorSize)
        let err: Int32 = out.withUnsafeMutableBytes { buf in
            while done < total {
                let n = pread(fd, buf.baseAddress! + done, total - done, base + off_t(done))
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }   // end of file: the rest stays zero
                done += n
            }
            return 0
        }
        guard err == 0 else { stats.errors &+= 1; throw .io(err) }
        stats.zeroFilledBytes &+= UInt64(total - done)
        stats.sectorsRead &+= UInt64(count)
        if done < total { onZeroFill?(sector, total - done) }
        return out
    }

    public func write(sector: UInt64, bytes: [UInt8]) throws(BlockError) {
        guard !isReadOnly else { stats.errors &+= 1; throw .readOnly }
        let count = bytes.count / blockSectorSize
        guard bytes.count % blockSectorSize == 0, contains(sector: sector, count: count) else {
            stats.errors &+= 1; throw .outOfRange(sector, count)
        }
        let base = off_t(sector) * off_t(blockSectorSize)
        var done = 0
        let err: Int32 = bytes.withUnsafeBytes { buf in
            while done < buf.count {
                let n = pwrite(fd, buf.baseAddress! + done, buf.count - done, base + off_t(done))
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return 0
        }
        guard err == 0 else { stats.errors &+= 1; throw .io(err) }
        stats.sectorsWritten &+= UInt64(count)
    }

    public func flush() throws(BlockError) {
        stats.flushes &+= 1
        guard !isReadOnly else { return }
        if fsync(fd) != 0 { stats.errors &+= 1; throw .io(errno) }
    }
}
