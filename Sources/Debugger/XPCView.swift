// What a CR3 load means in the guest's Nooks terms, read from the guest's own
// labels and frames (guest-images/nooks/xpc.S):
//
//   load inside nooks_xpc_cr3_load      kernel calls into an extension (EBX = XPC frame)
//   load inside nooks_xpc_cr3_back      that call returns              (EBX = XPC frame)
//   load inside nooks_kcall_cr3_kernel  extension calls the kernel     (fn = [EBP+8])
//   load inside nooks_kcall_cr3_domain  that call returns
//
//   struct nooks_xpc_frame: 0x00 to_cr3  0x04 to_esp  0x08 from_cr3  0x0c from_esp  0x10 fn
//
// Anything else is a plain address-space switch. The emulator holds no Nooks
// policy: without these symbols every crossing is just "switch".

import Core
import ELF

public struct XPCInfo: Sendable, Equatable {
    public enum Kind: String, Sendable { case call, ret = "return", kcall, kreturn, switchCR3 = "switch" }
    public var kind: Kind
    /// The function on the far side (extension function for call, kernel function or wrapper for kcall).
    public var function: String?
    /// The first function outside the isolation manager on the current call chain (the wrapper or caller).
    public var caller: String?
    /// The stack swap of an XPC: the caller's ESP and the domain stack's top.
    public var fromESP: UInt32?
    public var toESP: UInt32?
}

enum XPCView {
    /// Classify a CR3 load that just happened (EIP is past the MOV to CR3).
    static func classify(_ session: DebugSession) -> XPCInfo {
        let cpu = session.cpu
        let at = session.symbols.lookup(cpu.eip &- 1)?.name
        var info = XPCInfo(kind: .switchCR3)
        switch at {
        case "nooks_xpc_cr3_load": info.kind = .call
        case "nooks_xpc_cr3_back": info.kind = .ret
        case "nooks_kcall_cr3_kernel": info.kind = .kcall
        case "nooks_kcall_cr3_domain": info.kind = .kreturn
        default: return info
        }
        if info.kind == .call || info.kind == .ret {
            let f = cpu[.ebx]
            info.toESP = session.readU32(f &+ 0x04)
            info.fromESP = session.readU32(f &+ 0x0C)
            if let fn = session.readU32(f &+ 0x10) { info.function = name(session, fn) }
        } else if info.kind == .kcall, let fn = session.readU32(cpu[.ebp] &+ 8) {
            info.function = name(session, fn)
        }
        info.caller = firstOutsideNooks(session)
        return info
    }

    static func name(_ session: DebugSession, _ a: UInt32) -> String {
        session.symbols.lookup(a).map { $0.offset == 0 ? $0.name : "\($0.name)+0x\(String($0.offset, radix: 16))" }
            ?? "0x" + String(a, radix: 16)
    }

    /// Walk the frame-pointer chain to the first return address outside the XPC machinery.
    static func firstOutsideNooks(_ session: DebugSession) -> String? {
        var ebp = session.cpu[.ebp]
        for _ in 0..<16 {
            guard ebp != 0, let ret = session.readU32(ebp &+ 4), let next = session.readU32(ebp) else { return nil }
            if let n = session.symbols.lookup(ret)?.name, !CrossingTracer.isXPCPath(n) { return n }
            if next <= ebp { return nil }
            ebp = next
        }
        return nil
    }
}
