// Hand-written SVG for `bench workloads --plot`: two bar charts side by side,
// relative performance (isolated/native) and XPCs per second (log scale), each
// workload with our bar and the paper's. Plain SVG 1.1 text, no dependencies.

import Debugger
import Foundation

enum SVGPlot {
    static let ours = "#2b6cb0"
    static let paper = "#a0aec0"

    /// The plot for the rows of `bench workloads`.
    static func workloads(_ rows: [WorkloadRow]) -> String {
        let width = 900, height = 400
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<title>nooks-emu bench workloads: ours vs the Nooks paper</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"white\"/>\n"
        s += text(x: 450, y: 22, "Nooks workloads: nooks-emu (modeled time) vs the paper (1.7 GHz Pentium 4)", size: 15, anchor: "middle", bold: true)
        // legend
        s += "<rect x=\"330\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(ours)\"/>" + text(x: 346, y: 45, "nooks-emu")
        s += "<rect x=\"440\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(paper)\"/>" + text(x: 456, y: 45, "paper") + "\n"

        let names = rows.map { $0.workload.title }
        // Panel 1: relative performance, linear 0...1.2
        let rel: [(Double?, Double)] = rows.map { ($0.relative, $0.workload.paper.relative) }
        s += panel(x0: 60, y0: 70, w: 360, h: 260, title: "relative performance (isolated / native)", names: names,
                   values: rel, ticks: [0, 0.25, 0.5, 0.75, 1.0, 1.2].map { ($0, fixedLabel($0)) },
                   scale: { min(1.2, max(0, $0)) / 1.2 }, label: { fixedLabel($0) })
        // Panel 2: XPCs per second, log scale
        let xpc: [(Double?, Double)] = rows.map { r in
            (r.skipped == nil && r.isolated?.passed == true ? r.isolated!.xpcPerSecond : nil, r.workload.paper.xpcPerSecond)
        }
        let all = xpc.flatMap { [$0.0, $0.1] }.compactMap { $0 }.filter { $0 > 0 }
        var lo = 2, hi = 6
        if let mn = all.min(), let mx = all.max() {
            lo = min(lo, Int(log10(mn).rounded(.down)))
            hi = max(hi, Int(log10(mx).rounded(.up)))
        }
        let ticks = (lo...hi).map { (pow10($0), "1e\($0)") }
        s += panel(x0: 520, y0: 70, w: 360, h: 260, title: "XPCs per second (log scale)", names: names, values: xpc,
                   ticks: ticks, scale: { v in v <= 0 ? 0 : max(0, min(1, (log10(v) - Double(lo)) / Double(hi - lo))) },
                   label: { compact($0) })
        let hostWeb = rows.contains { $0.native?.webClient == .host }
        s += text(x: 450, y: 392, "Ours: cost-model cycles at 1 GHz; " + (hostWeb ? "web through slirp (host clients) is not deterministic. " : "deterministic. ")
                  + "See `nooks-emu bench workloads --help`.",
                  size: 10, anchor: "middle")
        s += "</svg>\n"
        return s
    }

    /// One bar chart: per name, our bar (nil: no figure) and the paper's.
    static func panel(x0: Int, y0: Int, w: Int, h: Int, title: String, names: [String], values: [(Double?, Double)],
                      ticks: [(Double, String)], scale: (Double) -> Double, label: (Double) -> String) -> String {
        var s = "<g>\n" + text(x: x0 + w / 2, y: y0 - 6, title, size: 13, anchor: "middle", bold: true)
        let base = y0 + h
        for (v, t) in ticks {
            let y = base - Int((scale(v) * Double(h)).rounded())
            s += "<line x1=\"\(x0)\" y1=\"\(y)\" x2=\"\(x0 + w)\" y2=\"\(y)\" stroke=\"#e2e8f0\" stroke-width=\"1\"/>"
            s += text(x: x0 - 6, y: y + 4, t, size: 10, anchor: "end") + "\n"
        }
        s += "<line x1=\"\(x0)\" y1=\"\(base)\" x2=\"\(x0 + w)\" y2=\"\(base)\" stroke=\"#4a5568\" stroke-width=\"1\"/>\n"
        let n = max(1, names.count)
        let slot = w / n
        let bar = max(8, min(40, slot / 3))
        for (i, name) in names.enumerated() {
            let cx = x0 + slot * i + slot / 2
            let (ourValue, paperValue) = i < values.count ? values[i] : (nil, 0)
            for (k, v) in [(0, ourValue), (1, Optional(paperValue))] {
                let x = k == 0 ? cx - bar - 2 : cx + 2
                guard let v else {
                    s += text(x: x + bar / 2, y: base - 4, "n/a", size: 9, anchor: "middle")
                    continue
                }
                let bh = Int((scale(v) * Double(h)).rounded())
                s += "<rect x=\"\(x)\" y=\"\(base - bh)\" width=\"\(bar)\" height=\"\(bh)\" fill=\"\(k == 0 ? ours : paper)\"/>"
                s += text(x: x + bar / 2, y: base - bh - 3, label(v), size: 9, anchor: "middle") + "\n"
            }
            s += text(x: cx, y: base + 16, name, size: 11, anchor: "middle") + "\n"
        }
        return s + "</g>\n"
    }

    static func text(x: Int, y: Int, _ t: String, size: Int = 12, anchor: String = "start", bold: Bool = false) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" text-anchor=\"\(anchor)\"\(bold ? " font-weight=\"bold\"" : "")>\(escape(t))</text>"
    }

    /// XML character data: & < > " escaped.
    static func escape(_ t: String) -> String {
        var out = ""
        for c in t {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func fixedLabel(_ v: Double) -> String { fixed(v, 2) }

    /// 1234567 -> "1.2M", 61183 -> "61k".
    static func compact(_ v: Double) -> String {
        if v >= 1e6 { return fixed(v / 1e6, 1) + "M" }
        if v >= 1e3 { return fixed(v / 1e3, 0) + "k" }
        return fixed(v, 0)
    }

    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(e) { r *= 10 }
        return e < 0 ? 1 / r : r
    }
}
