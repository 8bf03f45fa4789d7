// PeerTCPOptionsParser: the `--net peer,...` syntax for the LAN peer's TCP
// endpoints (NetPeerTCP.swift) and its errors.
//
//   peer[,tcp-sink=PORT|off][,tcp-source=PORT:BYTES][,http-load=CONNS:REQUESTS[:PATH]][,link=RATE]
//     tcp-sink    the discard server's port (default 5001), or off
//     tcp-source  connect to the guest's PORT and send BYTES of the stream
//                 pattern (decimal, optionally with K, M or G: binary units)
//     http-load   CONNS (1-64) concurrent clients GET PATH (default /index.html,
//                 must start with '/') from the guest's port 80 until REQUESTS
//                 (1-10000000) are answered, one connection per request
//     link        the cable's rate in bits per second, each direction
//                 (LinkModel.swift): decimal, optionally with K, M or G
//                 (decimal units: 100M = 100 000 000), 1000 to 100G;
//                 default unlimited

/// A bad `--net peer,...` item.
public enum PeerTCPOptionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownOption(String)
    case badPort(String)
    case badSource(String)
    case badHTTPLoad(String)
    case badLink(String)

    public var description: String {
        switch self {
        case .unknownOption(let o):
            return "unknown peer option '\(o)' (expected tcp-sink=PORT|off, tcp-source=PORT:BYTES, http-load=CONNS:REQUESTS[:PATH] or link=RATE)"
        case .badPort(let p): return "tcp-sink port must be 1-65535 or 'off' (got '\(p)')"
        case .badSource(let s):
            return "tcp-source must be PORT:BYTES with PORT 1-65535 and BYTES a positive count like 1048576 or 1M (got '\(s)')"
        case .badHTTPLoad(let s):
            return "http-load must be CONNS:REQUESTS[:PATH] with CONNS 1-64, REQUESTS 1-10000000 and PATH starting with '/' without spaces (got '\(s)')"
        case .badLink(let s):
            return "link must be a rate in bits per second from 1000 to 100G, like 100M, 1G or 250000000 (got '\(s)')"
        }
    }
}

extension PeerTCPOptions {
    /// Parses the part after `peer` (a comma-separated list, possibly empty).
    public static func parse(_ spec: String) throws(PeerTCPOptionError) -> PeerTCPOptions {
        var o = PeerTCPOptions()
        for item in spec.split(separator: ",", omittingEmptySubsequences: true) {
            if item.hasPrefix("tcp-sink=") {
                let value = String(item.dropFirst("tcp-sink=".count))
                if value == "off" {
                    o.sinkPort = nil
                } else {
                    guard let port = parsePort(value) else { throw .badPort(value) }
                    o.sinkPort = port
                }
            } else if item.hasPrefix("tcp-source=") {
                o.source = try parseSource(String(item.dropFirst("tcp-source=".count)))
            } else if item.hasPrefix("http-load=") {
                o.http = try parseHTTPLoad(String(item.dropFirst("http-load=".count)))
            } else if item.hasPrefix("link=") {
                let value = String(item.dropFirst("link=".count))
                guard let rate = parseLinkRate(value) else { throw .badLink(value) }
                o.linkBitsPerSecond = rate
            } else {
                throw .unknownOption(String(item))
            }
        }
        return o
    }

    static func parseSource(_ s: String) throws(PeerTCPOptionError) -> PeerTCPSource {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = parsePort(String(parts[0])), let bytes = parseByteCount(String(parts[1])) else {
            throw .badSource(s)
        }
        return PeerTCPSource(guestPort: port, bytes: bytes)
    }

    static func parseHTTPLoad(_ s: String) throws(PeerTCPOptionError) -> PeerHTTPLoad {
        let parts = s.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let conns = Int(parts[0]), (1...PeerHTTPLoad.maxConnections).contains(conns),
              let requests = UInt64(parts[1]), (1...10_000_000).contains(requests) else { throw .badHTTPLoad(s) }
        var path = "/index.html"
        if parts.count == 3 {
            path = String(parts[2])
            guard path.hasPrefix("/"), path.count <= 1024,
                  path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { throw .badHTTPLoad(s) }
        }
        return PeerHTTPLoad(path: path, connections: conns, requests: requests)
    }

    /// "100M", "1G", "250000000", "2.5G" (decimal units); nil outside 1000...100G or for junk.
    public static func parseLinkRate(_ s: String) -> UInt64? {
        let scales: [Character: UInt64] = ["K": 1_000, "k": 1_000, "M": 1_000_000, "m": 1_000_000, "G": 1_000_000_000, "g": 1_000_000_000]
        var number = Substring(s), scale: UInt64 = 1
        if let last = s.last, let sc = scales[last] {
            number = number.dropLast()
            scale = sc
        }
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              let w = UInt64(whole) else { return nil }
        var (rate, overflow) = w.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 9, frac.allSatisfy({ $0.isASCII && $0.isNumber }), let f = UInt64(frac) else { return nil }
            var div: UInt64 = 1
            for _ in 0..<frac.count { div *= 10 }
            guard (f * scale) % div == 0 else { return nil }  // not a whole number of bits per second
            rate += f * scale / div
        }
        guard (1_000...100_000_000_000).contains(rate) else { return nil }
        return rate
    }

    static func parsePort(_ s: String) -> UInt16? {
        guard s.allSatisfy(\.isASCII), let p = UInt16(s), p != 0 else { return nil }
        return p
    }

    /// "1048576", "256K", "1M", "2G"; nil for zero, junk or overflow.
    static func parseByteCount(_ s: String) -> UInt64? {
        let shifts: [Character: UInt64] = ["K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30]
        var digits = Substring(s), shift: UInt64 = 0
        if let last = s.last, let sh = shifts[last] {
            digits = s.dropLast()
            shift = sh
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits), n > 0,
              n <= UInt64.max >> shift else { return nil }
        return n << shift
    }
}
