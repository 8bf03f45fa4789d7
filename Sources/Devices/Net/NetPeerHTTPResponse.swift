// NetPeerHTTPResponse: the LAN peer's HTTP/1.x response reader (for its load
// generator, NetPeerHTTPClient.swift). Sans-IO: bytes in as they arrive, in any
// split; the state says when the response is complete. Nothing in here traps on
// what a server sends: anything it cannot read is `malformed` with a reason.
//
//   status line   HTTP/1.D SP DDD [SP reason] CRLF   (LF alone is accepted)
//   headers       name ":" value CRLF ... CRLF       (at most 100 lines, 64 KiB
//                                                     in all, 8 KiB per line)
//   body          Content-Length bytes; none for 1xx/204/304; without a
//                 Content-Length (or with a Transfer-Encoding, not decoded) the
//                 body runs to the server's FIN
//
// 1xx answers are interim: their headers are read and another status line is
// expected. Bytes after a complete response are counted and otherwise ignored.

/// Reads one HTTP response.
struct PeerHTTPResponseParser: Equatable, Sendable, Codable {
    enum State: String, Sendable, Codable { case statusLine, headers, body, untilClose, complete, malformed }

    private(set) var state = State.statusLine
    /// The line being assembled (status line or header).
    private var line: [UInt8] = []
    private var headerBytes = 0
    private var headerLines = 0
    private var minorVersion = 1
    /// The final status code (0 until the status line is read).
    private(set) var status = 0
    private(set) var contentLength: UInt64?
    private var remaining: UInt64 = 0
    /// Body bytes read so far.
    private(set) var bodyBytes: UInt64 = 0
    /// The server said it closes the connection after this response (or must, to end the body).
    private(set) var serverCloses = false
    private var sawKeepAlive = false
    /// A Transfer-Encoding was announced (not decoded).
    private var encoded = false
    /// Any byte of the response seen.
    private(set) var started = false
    /// Bytes after the complete response (ignored).
    private(set) var trailingBytes: UInt64 = 0
    /// Why the response is malformed.
    private(set) var problem: String?

    static let maxLine = 8192
    static let maxHeaderBytes = 65536
    static let maxHeaderLines = 100
    static let maxContentLength: UInt64 = 1 << 40

    var isComplete: Bool { state == .complete }

    /// Takes the next bytes of the stream.
    mutating func feed(_ bytes: ArraySlice<UInt8>) {
        if !bytes.isEmpty { started = true }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            switch state {
            case .complete:
                trailingBytes &+= UInt64(bytes.endIndex - i)
                return
            case .malformed:
                return
            case .body:
                let n = min(UInt64(bytes.endIndex - i), remaining)
                bodyBytes &+= n
                remaining -= n
                i += Int(n)
                if remaining == 0 { state = .complete }
            case .untilClose:
                bodyBytes &+= UInt64(bytes.endIndex - i)
                return
            case .statusLine, .headers:
                let b = bytes[i]
                i += 1
                headerBytes += 1
                guard headerBytes <= Self.maxHeaderBytes else { return fail("response headers exceed \(Self.maxHeaderBytes) bytes") }
                if b == 0x0A {
                    if line.last == 0x0D { line.removeLast() }
                    let text = line
                    line.removeAll(keepingCapacity: true)
                    if state == .statusLine { statusLine(text) } else { headerLine(text) }
                } else {
                    guard line.count < Self.maxLine else { return fail("a response line exceeds \(Self.maxLine) bytes") }
                    line.append(b)
                }
            }
        }
    }

    /// The server closed its side (FIN). Returns whether the response is complete;
    /// if it is not, `problem` says why.
    @discardableResult
    mutating func endOfStream() -> Bool {
        switch state {
        case .complete: return true
        case .untilClose:
            state = .complete
            return true
        case .malformed: return false
        case .statusLine where !started:
            fail("the server closed without answering")
        case .statusLine, .headers:
            fail("the server closed inside the response headers")
        case .body:
            fail("the server closed \(remaining) bytes before the end of the body")
        }
        return false
    }

    private mutating func fail(_ why: String) {
        state = .malformed
        problem = why
        line = []
    }

    /// "HTTP/1.1 200 OK"
    private mutating func statusLine(_ l: [UInt8]) {
        let prefix = Array("HTTP/1.".utf8)
        guard l.count >= 12, Array(l[0..<7]) == prefix, isDigit(l[7]), l[8] == 0x20,
              isDigit(l[9]), isDigit(l[10]), isDigit(l[11]), l.count == 12 || l[12] == 0x20 else {
            return fail("malformed status line '\(printable(l))'")
        }
        minorVersion = Int(l[7] - 0x30)
        let code = Int(l[9] - 0x30) * 100 + Int(l[10] - 0x30) * 10 + Int(l[11] - 0x30)
        guard (100...599).contains(code) else { return fail("status code \(code) out of range") }
        status = code
        state = .headers
        headerLines = 0
        contentLength = nil
        serverCloses = false
        sawKeepAlive = false
        encoded = false
    }

    private mutating func headerLine(_ l: [UInt8]) {
        if l.isEmpty { return headersDone() }
        headerLines += 1
        guard headerLines <= Self.maxHeaderLines else { return fail("more than \(Self.maxHeaderLines) header lines") }
        guard l[0] != 0x20, l[0] != 0x09 else { return fail("folded header line") }
        guard let colon = l.firstIndex(of: 0x3A), colon > 0 else { return fail("header line without a name and colon '\(printable(l))'") }
        let name = l[..<colon]
        guard !name.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) else { return fail("bad header name '\(printable(Array(name)))'") }
        let value = trimmed(l[(colon + 1)...])
        switch lower(name) {
        case "content-length":
            guard !value.isEmpty, value.count <= 13, value.allSatisfy(isDigit) else {
                return fail("bad Content-Length '\(printable(Array(value)))'")
            }
            let n = value.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
            guard n <= Self.maxContentLength else { return fail("Content-Length \(n) too large") }
            if let old = contentLength, old != n { return fail("conflicting Content-Length headers") }
            contentLength = n
        case "transfer-encoding":
            serverCloses = true   // not decoded: the body runs to the FIN
            encoded = true
        case "connection":
            for token in value.split(separator: 0x2C) {
                switch lower(trimmed(token)) {
                case "close": serverCloses = true
                case "keep-alive": sawKeepAlive = true
                default: break
                }
            }
        default: break
        }
    }

    private mutating func headersDone() {
        if status < 200 {   // interim: another status line follows
            state = .statusLine
            return
        }
        if minorVersion == 0, !sawKeepAlive { serverCloses = true }
        if status == 204 || status == 304 {
            state = .complete
        } else if let n = contentLength, !encoded {
            remaining = n
            state = n == 0 ? .complete : .body
        } else {
            serverCloses = true
            state = .untilClose
        }
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s.removeFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s.removeLast() }
        return s
    }
    private func lower(_ s: ArraySlice<UInt8>) -> String {
        String(decoding: s.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
    private func printable(_ l: [UInt8]) -> String {
        String(decoding: l.prefix(60).map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x3F }, as: UTF8.self)
    }
}
