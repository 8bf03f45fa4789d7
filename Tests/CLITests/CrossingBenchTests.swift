// `nooks-emu bench crossing` as a user runs it: JSON output, deterministic figures,
// isolation costing more than a native call, and the tagged-TLB what-if.

import Testing
import Foundation
@testable import NooksEmuCLI

@Suite("nooks-emu bench crossing", .serialized)
struct CrossingBenchTests {
    func runJSON(_ extra: [String] = []) throws -> [String: Any] {
        let out = Fixtures.dir.appendingPathComponent("crossing-\(UUID().uuidString).json").path
        #expect(nooksEmu(["bench", "crossing", "--calls", "40", "--size", "128", "--json", out] + extra) == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func mean(_ j: [String: Any], _ mode: String, _ kind: String, _ field: String) -> Double {
        let modes = j["modes"] as? [String: Any]
        let k = (modes?[mode] as? [String: Any])?[kind] as? [String: Any]
        return (k?[field] as? NSNumber)?.doubleValue ?? -1
    }

    @Test("isolated calls cost more than native ones, deterministically; the tagged TLB removes the refills")
    func crossing() throws {
        let a = try runJSON(["--what-if-tagged"])
        let b = try runJSON(["--what-if-tagged"])
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "two runs must give identical figures")
        let kind = "empty call (ioctl)"
        let native = mean(a, "native", kind, "mean_cycles"), isolated = mean(a, "isolated", kind, "mean_cycles")
        #expect(native > 0 && isolated > 5 * native)
        #expect(mean(a, "isolated", kind, "mean_cr3_loads") == 2)
        #expect(mean(a, "native", kind, "mean_cr3_loads") == 0)
        #expect(mean(a, "isolated", kind, "mean_refills") > 1)
        #expect(mean(a, "isolated+tagged", kind, "mean_refills") == 0)
        #expect(mean(a, "isolated+tagged", kind, "mean_cycles") < isolated)
    }
}

@Suite("nooks-emu bench mips")
struct MipsBenchTests {
    @Test("runs the bench image (small scale) and exits 0; a bad image is an error status")
    func mips() {
        #expect(nooksEmu(["bench", "mips", "--append", "scale=1", "--max-instructions", "3000000", "--json"]) == 0)
        #expect(nooksEmu(["bench", "mips", "/nonexistent/bench.elf"]) == ExitStatus.kernelMissing)
    }
}
