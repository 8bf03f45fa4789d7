// Host stdin as COM1 input: a background thread reads stdin into a buffer that
// the machine drains at its event boundaries.

import Foundation

final class HostInput: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [UInt8] = []

    /// Start reading stdin in the background.
    func start() {
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, 4096) }
                if n <= 0 { return }
                lock.lock()
                pending.append(contentsOf: buf[0..<n])
                lock.unlock()
            }
        }
        t.start()
    }

    /// Take what has arrived so far.
    func drain() -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        return out
    }
}
