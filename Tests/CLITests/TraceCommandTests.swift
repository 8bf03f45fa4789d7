// `nooks-emu trace` as a user runs it: an isolated e1000 doing pings produces a
// log of XPCs into the driver and calls out of it, with target functions.

import Testing
import Foundation
@testable import NooksEmuCLI

@Suite("nooks-emu trace")
struct TraceCommandTests {
    static var root: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    @Test("logs XPCs into the isolated e1000 and its calls into the kernel")
    func traceIsolatedE1000() throws {
        let out = Fixtures.dir.appendingPathComponent("trace.txt").path
        let status = nooksEmu(["trace", "--module", Self.root + "/guest-images/build/modules/e1000.ko",
                               "--append", "selftest=0 nooks=e1000 workload=net ping=2", "-o", out])
        #expect(status == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("\tcall\tkernel -> e1000\tinit_module\t"), "\(text.prefix(2000))")
        #expect(text.contains("\tcall\tkernel -> e1000\te1000_xmit_frame\t"))
        #expect(text.contains("\tkcall\te1000 -> kernel\t"))
        #expect(text.contains("\treturn\te1000 -> kernel\t"))
    }
}
