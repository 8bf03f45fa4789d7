// The crossing tracer: a compact log of domain crossings (CR3 loads) and
// exceptions, stamped with modeled cycles, labelled with domains from the
// guest's table and with the function on the far side of each crossing (the
// first function entered after the switch that is not part of the XPC path).

import Core
import ELF
import Machine

public struct TraceEvent: Sendable, Equatable {
    /// call: kernel calls into an extension (XPC); return: that call comes back;
    /// kcall: an extension calls the kernel; kreturn: that call comes back;
    /// switch: any other CR3 load; fault / interrupt: exception delivery.
    public enum Kind: String, Sendable { case call, ret = "return", kcall, kreturn, switchCR3 = "switch", fault, interrupt }
    public var cycle: UInt64
    public var kind: Kind
    public var from: String
    public var to: String
    public var function: String
    public var detail: String
}

public final class CrossingTracer {
    let session: DebugSession
    public private(set) var events: [TraceEvent] = []
    public let profiler: SymbolProfiler
    var awaitingFunction: Int? = nil
    /// Per extension function the kernel called: calls and cycles until the return.
    public private(set) var perFunction: [String: (count: UInt64, cycles: UInt64)] = [:]
    var openCalls: [(function: String, cycle: UInt64)] = []
    var openKCalls: [(function: String, cycle: UInt64)] = []
    /// Per kernel function an extension called: calls and cycles until the return.
    public private(set) var perKernelFunction: [String: (count: UInt64, cycles: UInt64)] = [:]
    public var sink: ((TraceEvent) -> Void)?

    public init(session: DebugSession) {
        self.session = session
        profiler = SymbolProfiler(cpu: session.cpu, symbols: { [unowned session] in session.symbols })
    }

    /// The isolation manager's own crossing machinery (XPC, frames, domain lookup):
    /// skipped when naming the function on the far side. Wrappers (`nooks_wrap_*`)
    /// are what the extension called, so they name the crossing.
    static func isXPCPath(_ name: String) -> Bool {
        if name.hasPrefix("nooks_wrap_") { return false }
        return name.hasPrefix("nooks_") || name.hasPrefix("xpc_")
    }

    public func start() {
        let cpu = session.cpu
        let previousCR3Hook = cpu.onCR3Load
        cpu.onCR3Load = { [unowned self] old, new in
            previousCR3Hook?(old, new)
            self.crossing(old, new)
        }
        cpu.onException = { [unowned self] vector, code, eip in self.exception(vector, code, eip) }
        profiler.onEnter = { [unowned self] name, _ in self.functionEntered(name) }
        profiler.start()
    }

    public func stop() { profiler.stop() }

    func name(_ a: UInt32) -> String {
        session.symbols.lookup(a).map { $0.offset == 0 ? $0.name : "\($0.name)+0x\(String($0.offset, radix: 16))" }
            ?? "0x" + String(a, radix: 16)
    }

    func label(_ cr3: UInt32) -> String { session.domains.describe(cr3, cpu: session.cpu) }

    /// Which XPC phase a CR3 load happened in, from the guest's phase labels.
    func kind(at eip: UInt32) -> TraceEvent.Kind {
        switch session.symbols.lookup(eip)?.name {
        case "nooks_xpc_cr3_load": return .call
        case "nooks_xpc_cr3_back": return .ret
        case "nooks_kcall_cr3_kernel": return .kcall
        case "nooks_kcall_cr3_domain": return .kreturn
        default: return .switchCR3
        }
    }

    func crossing(_ old: UInt32, _ new: UInt32) {
        let cpu = session.cpu
        if let i = awaitingFunction { awaitingFunction = nil; sink?(events[i]) }
        // EIP already points past the MOV to CR3; classify by the loading instruction.
        let k = kind(at: cpu.eip &- 1)
        var e = TraceEvent(cycle: cpu.cycles, kind: k, from: label(old), to: label(new), function: "",
                           detail: "by " + name(cpu.eip &- 1) + " esp=0x" + String(cpu[.esp], radix: 16))
        switch k {
        case .call, .kcall:
            // call: EBX holds the XPC frame, the target at offset 0x10;
            // kcall: nooks_kernel_call(fn, nargs, ...) has fn at [EBP+8].
            let slot = k == .call ? cpu[.ebx] &+ 0x10 : cpu[.ebp] &+ 8
            if let fn = session.readU32(slot) { e.function = name(fn) }
            if k == .call { openCalls.append((e.function, cpu.cycles)) } else { openKCalls.append((e.function, cpu.cycles)) }
            events.append(e); sink?(e)
        case .ret, .kreturn:
            let stack = k == .ret ? openCalls.popLast() : openKCalls.popLast()
            if let open = stack {
                e.function = open.function
                var f = (k == .ret ? perFunction : perKernelFunction)[open.function] ?? (0, 0)
                f.count += 1
                f.cycles += cpu.cycles &- open.cycle
                if k == .ret { perFunction[open.function] = f } else { perKernelFunction[open.function] = f }
            }
            events.append(e); sink?(e)
        case .switchCR3:
            // Named by the first function entered after the switch that is not XPC machinery.
            events.append(e)
            awaitingFunction = events.count - 1
        default:
            events.append(e); sink?(e)
        }
    }

    func functionEntered(_ name: String) {
        guard let i = awaitingFunction, !CrossingTracer.isXPCPath(name) else { return }
        awaitingFunction = nil
        events[i].function = name
        sink?(events[i])
    }

    func exception(_ vector: UInt8, _ code: UInt32?, _ eip: UInt32) {
        if let i = awaitingFunction { awaitingFunction = nil; sink?(events[i]) }
        let cpu = session.cpu
        let isIRQ = vector >= 32
        let where_ = session.symbols.describe(eip) ?? "0x" + String(eip, radix: 16)
        var detail = "eip=0x\(String(eip, radix: 16)) <\(where_)>"
        if let code { detail += " err=0x" + String(code, radix: 16) }
        if vector == 14 { detail += " cr2=0x" + String(cpu.cr2, radix: 16) }
        let e = TraceEvent(cycle: cpu.cycles, kind: isIRQ ? .interrupt : .fault, from: label(cpu.cr3), to: "",
                           function: Vector.name(vector), detail: detail)
        events.append(e)
        sink?(e)
    }

    public static func format(_ e: TraceEvent) -> String {
        let dir = e.to.isEmpty ? e.from : "\(e.from) -> \(e.to)"
        return "\(e.cycle)\t\(e.kind.rawValue)\t\(dir)\t\(e.function)\t\(e.detail)"
    }
}
