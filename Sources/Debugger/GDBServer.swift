// The GDB stub: serves GDB's remote protocol on a loopback TCP port, backed by
// a DebugSession. Protocol handling is GDBRemote's (sans-IO); this file owns the
// socket and maps the target operations onto the CPU. One thread: while the
// machine runs, the socket is polled between run slices for Ctrl-C.

#if canImport(Glibc)
import Glibc
#endif
import Core
import GDBRemote
import Machine

public enum GDBServerError: Error, CustomStringConvertible {
    case notLoopback(String)
    case badAddress(String)
    case socket(String)
    public var description: String {
        switch self {
        case .notLoopback(let a): return "the GDB stub listens on loopback only (got \(a)); use 127.0.0.1:PORT"
        case .badAddress(let a): return "bad --gdb address '\(a)': expected 127.0.0.1:PORT"
        case .socket(let why): return "GDB stub socket: \(why)"
        }
    }
}

public final class GDBServer: GDBTarget {
    let debug: DebugSession
    let interpreter: CommandInterpreter
    var listenFD: Int32 = -1
    var connFD: Int32 = -1
    var gdb: GDBSession!
    var pendingResume: Bool? = nil
    /// The port actually bound (useful with port 0).
    public private(set) var port: UInt16 = 0
    /// Called once listening, with the bound port (before accept blocks).
    public var onListening: ((UInt16) -> Void)?

    public init(session: DebugSession) {
        debug = session
        interpreter = CommandInterpreter(session: session)
        session.continueBudget = .max
    }

    /// Parse "127.0.0.1:PORT" (or "localhost:PORT", or just "PORT").
    public static func parse(_ spec: String) throws(GDBServerError) -> UInt16 {
        let parts = spec.split(separator: ":").map(String.init)
        let host = parts.count == 2 ? parts[0] : "127.0.0.1"
        guard let portText = parts.last, let port = UInt16(portText), parts.count <= 2 else { throw .badAddress(spec) }
        guard host == "127.0.0.1" || host == "localhost" else { throw .notLoopback(host) }
        return port
    }

    /// Listen on 127.0.0.1:`port`, serve one gdb connection until it detaches or kills.
    public func serve(port requested: UInt16) throws(GDBServerError) {
        listenFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listenFD >= 0 else { throw .socket("socket() failed") }
        defer { close(listenFD) }
        var one: Int32 = 1
        setsockopt(listenFD, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = requested.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listenFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw .socket("cannot bind 127.0.0.1:\(requested)") }
        guard listen(listenFD, 1) == 0 else { throw .socket("listen() failed") }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenFD, $0, &len) }
        }
        port = UInt16(bigEndian: got.sin_port)
        onListening?(port)
        connFD = accept(listenFD, nil, nil)
        guard connFD >= 0 else { throw .socket("accept() failed") }
        defer { close(connFD) }
        gdb = GDBSession(target: self)
        debug.pollHook = { [unowned self] in self.poll() }
        var buf = [UInt8](repeating: 0, count: 4096)
        while !gdb.isFinished {
            let n = buf.withUnsafeMutableBytes { recv(connFD, $0.baseAddress, 4096, 0) }
            if n <= 0 { detach(); return }
            send(gdb.receive(Array(buf[0..<n])))
            while let step = pendingResume, !gdb.isFinished {
                pendingResume = nil
                let stop = step ? debug.step() : debug.continue()
                send(gdb.stopped(map(stop)))
            }
        }
    }

    func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(connFD, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Non-blocking read between run slices (Ctrl-C arrives here).
    func poll() {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { recv(connFD, $0.baseAddress, 256, Int32(MSG_DONTWAIT)) }
        if n > 0 { send(gdb.receive(Array(buf[0..<n]))) }
    }

    func map(_ stop: DebugStop) -> GDBRemote.StopReason {
        switch stop {
        case .stepped, .crossing, .budget: return .trap
        case .breakpoint: return .softwareBreakpoint
        case .watchpoint(let h):
            let t: BreakpointType = h.watchpoint.kind == .write ? .writeWatchpoint : (h.watchpoint.kind == .read ? .readWatchpoint : .accessWatchpoint)
            return .watchpoint(t, address: h.address)
        case .interrupted: return .interrupted
        case .exited(let e):
            switch e {
            case .powerOff: return .exited(0)
            case .debugExit(_, let s): return .exited(UInt8(truncatingIfNeeded: s))
            case .tripleFault: return .terminated(11)
            default: return .terminated(9)
            }
        }
    }

    // MARK: GDBTarget

    public func readRegisters() -> I386Registers {
        let c = debug.cpu
        var r = I386Registers(GPR.allCases.map { c[$0] })
        r[.eip] = c.eip
        r[.eflags] = c.eflags
        r[.cs] = UInt32(c.seg[1].selector); r[.ss] = UInt32(c.seg[2].selector)
        r[.ds] = UInt32(c.seg[3].selector); r[.es] = UInt32(c.seg[0].selector)
        r[.fs] = UInt32(c.seg[4].selector); r[.gs] = UInt32(c.seg[5].selector)
        return r
    }

    public func writeRegisters(_ r: I386Registers) -> Bool {
        let c = debug.cpu
        for g in GPR.allCases { c[g] = r.values[g.rawValue] }
        c.eip = r[.eip]
        c.eflags = r[.eflags]
        return true
    }

    public func readMemory(address: UInt32, length: Int) -> [UInt8]? {
        var out: [UInt8] = []
        for b in debug.cpu.peekLinear(address, count: length) {
            guard let b else { break }
            out.append(b)
        }
        return out.isEmpty ? nil : out
    }

    public func writeMemory(address: UInt32, bytes: [UInt8]) -> Bool {
        debug.cpu.pokeLinear(address, bytes)
    }

    public func insertBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool {
        switch type {
        case .software, .hardware: debug.externalBreakpoints.insert(address)
        case .writeWatchpoint: debug.addWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .write))
        case .readWatchpoint: debug.addWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .read))
        case .accessWatchpoint: debug.addWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .access))
        }
        return true
    }

    public func removeBreakpoint(_ type: BreakpointType, address: UInt32, length: Int) -> Bool {
        switch type {
        case .software, .hardware: return debug.externalBreakpoints.remove(address) != nil
        case .writeWatchpoint: return debug.removeWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .write))
        case .readWatchpoint: return debug.removeWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .read))
        case .accessWatchpoint: return debug.removeWatchpoint(Watchpoint(address: address, length: UInt32(length), kind: .access))
        }
    }

    public func resume(step: Bool) { pendingResume = step }
    public func interrupt() { debug.interruptRequested = true }
    public func kill() { debug.machine.stop() }

    public func detach() {
        debug.externalBreakpoints = []
        debug.deleteWatchpoints()
        debug.pollHook = nil
    }

    public func monitor(_ command: String) -> String {
        interpreter.execute(command) + "\n"
    }
}
