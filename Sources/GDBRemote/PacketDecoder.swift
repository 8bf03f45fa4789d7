// PacketDecoder: frames the byte stream from gdb into packets and control bytes.
// Sans-IO: feed it whatever chunks the socket delivers; it keeps only the packet
// in progress (at most GDBLimits.maxPayload bytes) between calls.
//
// Wire format:  $<payload>#<two hex digits>   checksum = sum of payload bytes mod 256
//   inside a payload:  '}' x   stands for x ^ 0x20 (escapes # $ } * in binary data)
//                      c '*' n  repeats c another (n - 29) times (run-length encoding)
//   between packets:   '+' ack, '-' nack, 0x03 interrupt; anything else is skipped.

/// Something the decoder recognised in the incoming byte stream.
public enum PacketEvent: Equatable, Sendable {
    /// A complete packet with a valid checksum; the payload is unescaped and
    /// run-length expanded.
    case packet([UInt8])
    /// `+`: the peer acknowledged our last packet.
    case ack
    /// `-`: the peer asks us to retransmit our last packet.
    case nack
    /// A 0x03 byte outside a packet: gdb asks a running target to stop (Ctrl-C).
    case interrupt
    /// A packet whose checksum did not match (or was not hex); it was dropped.
    case badChecksum
    /// A packet longer than ``GDBLimits/maxPayload``; it was dropped.
    case oversized
}

/// Turns arbitrary chunks of incoming bytes into ``PacketEvent``s.
public struct PacketDecoder: Sendable {
    private enum State: Sendable {
        /// Between packets.
        case idle
        /// Inside `$...`, before `#`.
        case payload
        /// Inside `$...`, the byte after `}`.
        case escape
        /// Inside `$...`, the count byte after `*`.
        case runLength
        /// After `#`: collecting the two checksum digits.
        case checksum
    }

    private var state: State = .idle
    private var payload: [UInt8] = []
    /// Sum of the raw bytes between `$` and `#`, as the checksum covers them.
    private var rawSum: UInt8 = 0
    private var checksumDigits: [UInt8] = []
    /// The packet grew past the limit: keep reading to its end, keep nothing.
    private var overflowed = false

    /// The largest payload accepted, normally ``GDBLimits/maxPayload``.
    public let maxPayload: Int

    /// Creates a decoder that drops packets whose payload exceeds `maxPayload`.
    public init(maxPayload: Int = GDBLimits.maxPayload) {
        self.maxPayload = max(1, maxPayload)
    }

    /// True while a packet has started but not yet ended.
    public var isInsidePacket: Bool {
        if case .idle = state { return false }
        return true
    }

    /// Bytes held for the packet in progress; never more than ``maxPayload``.
    public var bufferedByteCount: Int { payload.count + checksumDigits.count }

    /// Consumes `bytes` and returns the events they complete, in order.
    public mutating func feed<S: Sequence>(_ bytes: S) -> [PacketEvent] where S.Element == UInt8 {
        var events: [PacketEvent] = []
        for byte in bytes {
            if let event = consume(byte) { events.append(event) }
        }
        return events
    }

    /// Consumes one byte; returns the event it completes, if any.
    public mutating func consume(_ byte: UInt8) -> PacketEvent? {
        switch state {
        case .idle:
            switch byte {
            case UInt8(ascii: "$"): startPacket()
            case UInt8(ascii: "+"): return .ack
            case UInt8(ascii: "-"): return .nack
            case 0x03: return .interrupt
            default: break  // garbage between packets
            }
        case .payload:
            switch byte {
            case UInt8(ascii: "#"):
                state = .checksum
            case UInt8(ascii: "$"):
                startPacket()  // a raw '$' cannot be payload: resynchronise on it
            case UInt8(ascii: "}"):
                rawSum &+= byte
                state = .escape
            case UInt8(ascii: "*"):
                rawSum &+= byte
                state = .runLength
            default:
                rawSum &+= byte
                append(byte)
            }
        case .escape:
            if byte == UInt8(ascii: "#") { state = .checksum; break }  // dangling '}'
            if byte == UInt8(ascii: "$") { startPacket(); break }
            rawSum &+= byte
            append(byte ^ 0x20)
            state = .payload
        case .runLength:
            if byte == UInt8(ascii: "#") { state = .checksum; break }  // dangling '*'
            if byte == UInt8(ascii: "$") { startPacket(); break }
            rawSum &+= byte
            let repeats = Int(byte) - 29
            if repeats > 0, let last = payload.last {
                for _ in 0..<repeats { append(last) }
            }
            state = .payload
        case .checksum:
            checksumDigits.append(byte)
            if checksumDigits.count == 2 { return finishPacket() }
        }
        return nil
    }

    private mutating func startPacket() {
        state = .payload
        payload.removeAll()
        rawSum = 0
        checksumDigits.removeAll(keepingCapacity: true)
        overflowed = false
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if overflowed { return }
        if payload.count >= maxPayload {
            overflowed = true
            payload = []
            return
        }
        payload.append(byte)
    }

    private mutating func finishPacket() -> PacketEvent {
        state = .idle
        let body = payload
        payload = []  // hand the buffer to the event; start the next one empty
        let digits = checksumDigits
        checksumDigits.removeAll(keepingCapacity: true)
        if overflowed { return .oversized }
        guard let high = Hex.value(of: digits[0]), let low = Hex.value(of: digits[1]),
              high << 4 | low == rawSum else { return .badChecksum }
        return .packet(body)
    }
}
