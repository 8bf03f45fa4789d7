// GDBSession: the sans-IO GDB remote server. Bytes from gdb go into receive(_:),
// bytes to send come back; the machine runs outside the session, and its halts
// come in through stopped(_:). The session owns framing, acks, no-ack mode and
// the command → reply mapping; the GDBTarget owns the machine.

/// A GDB remote-protocol server for one connection, with no I/O of its own.
///
/// Typical use: feed every chunk read from the socket to ``receive(_:)`` and
/// write back what it returns. A `c`/`s`/`vCont` packet calls
/// ``GDBTarget/resume(step:)`` and produces no reply; when the machine halts,
/// call ``stopped(_:)`` and write its result. After ``isFinished`` becomes true
/// (detach, kill, exit), flush the output and close the connection.
///
/// Not thread-safe: serialize calls (the socket reader and the run loop may
/// live on different threads; use one lock or one queue for both).
///
/// Wiring it up (one thread, no locks):
/// 1. Listen on 127.0.0.1 only; on accept, halt the machine and create a new
///    session per connection.
/// 2. While ``state`` is ``State/halted``: block reading the socket, pass the
///    bytes to ``receive(_:)``, write its result.
/// 3. ``GDBTarget/resume(step:)`` only records the request. While ``state`` is
///    ``State/running``: run the CPU in slices (one instruction when stepping);
///    between slices poll the socket without blocking and pass any bytes to
///    ``receive(_:)`` (a Ctrl-C calls ``GDBTarget/interrupt()``). When the CPU
///    hits a breakpoint, finishes the step, is interrupted or the guest exits,
///    write ``stopped(_:)``'s result.
/// 4. When ``isFinished`` (or the socket closes), write any pending bytes and
///    close the connection; on a closed socket without `D`, call
///    ``GDBTarget/detach()`` yourself.
public final class GDBSession {
    /// Where the session is in the conversation.
    public enum State: Equatable, Sendable {
        /// The machine is halted; gdb sends commands.
        case halted
        /// The machine runs; only Ctrl-C is expected from gdb until ``GDBSession/stopped(_:)``.
        case running
        /// gdb detached; the session is over.
        case detached
        /// gdb killed the program; the session is over.
        case killed
        /// The machine exited (`W`/`X` was sent); the session is over.
        case exited
    }

    /// The machine being debugged.
    public let target: any GDBTarget
    /// The current state.
    public private(set) var state: State = .halted
    /// True once gdb switched off `+`/`-` acknowledgements (`QStartNoAckMode`).
    public private(set) var noAckMode = false
    /// The most recent stop, reported again for `?`.
    public private(set) var lastStop: StopReason
    /// Why the last `E01` reply was sent, for logging.
    public private(set) var lastError: String?

    /// True when the conversation is over and the connection should be closed.
    public var isFinished: Bool {
        switch state {
        case .detached, .killed, .exited: return true
        case .halted, .running: return false
        }
    }

    private var decoder = PacketDecoder()
    /// Our last framed packet, resent when gdb answers `-`.
    private var lastSent: [UInt8] = []
    /// gdb announced `swbreak+` / `hwbreak+` in `qSupported`.
    private var gdbUnderstandsBreakpointKind = false
    /// Ctrl-C was passed to the target during the current run.
    private var interruptRequested = false

    /// A session for `target`, which is halted now; `?` reports `initialStop`.
    public init(target: any GDBTarget, initialStop: StopReason = .trap) {
        self.target = target
        self.lastStop = initialStop
    }

    // MARK: input and output

    /// Consumes bytes received from gdb; returns the bytes to send back (acks,
    /// replies, retransmissions). Any input is safe: bad packets get `-` or `E01`.
    public func receive(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for event in decoder.feed(bytes) {
            if isFinished { break }
            switch event {
            case .ack:
                break
            case .nack:
                if !noAckMode { out += lastSent }
            case .interrupt:
                if state == .running && !interruptRequested {
                    interruptRequested = true
                    target.interrupt()
                }
            case .badChecksum:
                if !noAckMode { out.append(UInt8(ascii: "-")) }
            case .oversized:
                if !noAckMode { out.append(UInt8(ascii: "+")) }
                out += frame(error("packet longer than \(GDBLimits.maxPayload) bytes"))
            case .packet(let payload):
                if !noAckMode { out.append(UInt8(ascii: "+")) }
                let command = GDBCommand(parsing: payload)
                for reply in handle(command) { out += frame(reply) }
                // The QStartNoAckMode packet and its OK are still acked; nothing after.
                if case .startNoAckMode = command { noAckMode = true }
            }
        }
        return out
    }

    /// Reports that the machine halted after ``GDBTarget/resume(step:)``;
    /// returns the stop-reply packet to send. Returns nothing if gdb was not
    /// waiting for a stop (the reason is still remembered for `?`).
    public func stopped(_ reason: StopReason) -> [UInt8] {
        lastStop = reason
        guard state == .running else { return [] }
        interruptRequested = false
        switch reason {
        case .exited, .terminated:
            state = .exited
            return frame(StopReply.payload(for: reason, registers: nil, reportBreakpointKind: false))
        default:
            state = .halted
            return frame(stopReplyPayload())
        }
    }

    /// Guest console text to show in gdb while the machine runs (`O` packets);
    /// returns nothing when gdb is not waiting for a stop.
    public func consoleOutput(_ text: String) -> [UInt8] {
        guard state == .running else { return [] }
        return consolePackets(text).flatMap { frame($0) }
    }

    // MARK: commands

    /// Carries out one command; returns the reply payloads (none for resumes and `k`).
    func handle(_ command: GDBCommand) -> [[UInt8]] {
        guard state == .halted else {
            return [error("command while the target is running")]
        }
        switch command {
        case .querySupported(let features):
            gdbUnderstandsBreakpointKind = features.contains("swbreak+") || features.contains("hwbreak+")
            var reply = "PacketSize=\(String(GDBLimits.advertisedPacketSize, radix: 16));"
                + "qXfer:features:read+;QStartNoAckMode+"
            if features.contains("swbreak+") { reply += ";swbreak+" }
            if features.contains("hwbreak+") { reply += ";hwbreak+" }
            return [text(reply)]
        case .mustReplyEmpty, .traceStatus, .unknown:
            return [[]]
        case .startNoAckMode, .setThread, .symbol:
            return [ok]
        case .threadAlive(let thread):
            return [thread.matches(StopReply.threadID) ? ok : error("no such thread")]
        case .haltReason:
            return [stopReplyPayload()]
        case .threadInfoFirst:
            return [text("m\(String(StopReply.threadID, radix: 16))")]
        case .threadInfoNext:
            return [text("l")]
        case .currentThread:
            return [text("QC\(String(StopReply.threadID, radix: 16))")]
        case .attached:
            return [text("1")]  // attached to a running machine: quitting gdb detaches
        case .offsets:
            return [text("Text=0;Data=0;Bss=0")]
        case .readRegisters:
            return [target.readRegisters().values.flatMap(Hex.littleEndian)]
        case .writeRegisters(let bytes):
            return [writeAllRegisters(bytes)]
        case .readRegister(let n):
            return [readRegister(n)]
        case .writeRegister(let n, let bytes):
            return [writeRegister(n, bytes)]
        case .readMemory(let address, let length):
            return [readMemory(address, length)]
        case .writeMemory(let address, let bytes), .writeMemoryBinary(let address, let bytes):
            return [writeMemory(address, bytes)]
        case .insertBreakpoint(let type, let address, let kind):
            return [target.insertBreakpoint(type, address: address, length: kind) ? ok : []]
        case .removeBreakpoint(let type, let address, let kind):
            return [target.removeBreakpoint(type, address: address, length: kind) ? ok : []]
        case .continue(let address):
            return resume(step: false, from: address)
        case .step(let address):
            return resume(step: true, from: address)
        case .vContQuery:
            return [text("vCont;c;C;s;S")]
        case .vCont(let actions):
            return vCont(actions)
        case .vKill:
            target.kill()
            state = .killed
            return [ok]
        case .kill:
            target.kill()
            state = .killed
            return []
        case .detach:
            target.detach()
            state = .detached
            return [ok]
        case .readFeatures(let annex, let offset, let length):
            return [readFeatures(annex, offset, length)]
        case .monitor(let line):
            return consolePackets(target.monitor(line)) + [ok]
        case .malformed(let reason):
            return [error(reason)]
        }
    }

    private func stopReplyPayload() -> [UInt8] {
        switch lastStop {
        case .exited, .terminated:
            return StopReply.payload(for: lastStop, registers: nil, reportBreakpointKind: false)
        default:
            return StopReply.payload(for: lastStop, registers: target.readRegisters(),
                                     reportBreakpointKind: gdbUnderstandsBreakpointKind)
        }
    }

    private func writeAllRegisters(_ bytes: [UInt8]) -> [UInt8] {
        var values: [UInt32] = []
        for i in 0..<I386Registers.count {
            values.append(littleEndian(bytes[(i * 4)..<(i * 4 + 4)]))
        }
        return target.writeRegisters(I386Registers(values)) ? ok : error("registers not written")
    }

    private func readRegister(_ n: Int) -> [UInt8] {
        if let register = I386Register(rawValue: n) {
            return Hex.littleEndian(target.readRegisters()[register])
        }
        if I386TargetDescription.unavailableRegisters.contains(n),
           let size = I386TargetDescription.size(ofRegister: n) {
            return Array(repeating: UInt8(ascii: "x"), count: size * 2)
        }
        return error("no register \(n)")
    }

    private func writeRegister(_ n: Int, _ bytes: [UInt8]) -> [UInt8] {
        guard let register = I386Register(rawValue: n) else { return error("register \(n) not writable") }
        guard bytes.count == 4 else { return error("register \(register.name) takes 4 bytes") }
        return target.writeRegister(register, value: littleEndian(bytes[...])) ? ok : error("register not written")
    }

    private func readMemory(_ address: UInt32, _ length: Int) -> [UInt8] {
        if length == 0 { return [] }
        // Never ask for a range that wraps past 4 GiB; a short read is allowed.
        let count = min(length, Int(UInt32.max - address) + 1)
        guard let bytes = target.readMemory(address: address, length: count), !bytes.isEmpty else {
            return memoryFault
        }
        return Hex.encode(bytes.prefix(count))
    }

    private func writeMemory(_ address: UInt32, _ bytes: [UInt8]) -> [UInt8] {
        if bytes.isEmpty { return ok }  // gdb probes `X` support with a zero-length write
        guard bytes.count - 1 <= Int(UInt32.max - address) else { return memoryFault }
        return target.writeMemory(address: address, bytes: bytes) ? ok : memoryFault
    }

    private func resume(step: Bool, from address: UInt32?) -> [[UInt8]] {
        if let address, !target.writeRegister(.eip, value: address) {
            return [error("eip not written")]
        }
        state = .running
        interruptRequested = false
        target.resume(step: step)
        return []
    }

    private func vCont(_ actions: [VContAction]) -> [[UInt8]] {
        guard let action = actions.first(where: { $0.thread?.matches(StopReply.threadID) ?? true }) else {
            return [error("vCont: no action for thread \(StopReply.threadID)")]
        }
        switch action.kind {
        case .continue, .continueWithSignal: return resume(step: false, from: nil)
        case .step, .stepWithSignal: return resume(step: true, from: nil)
        case .stop, .rangeStep: return [error("vCont: unsupported action")]
        }
    }

    private func readFeatures(_ annex: String, _ offset: Int, _ length: Int) -> [UInt8] {
        guard annex == "target.xml" else { return error("no annex \(annex)") }
        let document = I386TargetDescription.xmlBytes
        guard offset < document.count else { return [UInt8(ascii: "l")] }
        // Escaping can double a byte; keep the reply inside the payload limit.
        let end = offset + min(length, document.count - offset, GDBLimits.maxPayload / 2 - 1)
        let marker = end < document.count ? UInt8(ascii: "m") : UInt8(ascii: "l")
        return [marker] + document[offset..<end]
    }

    /// `O<hex>` console packets for `output`, in chunks.
    private func consolePackets(_ output: String) -> [[UInt8]] {
        let bytes = Array(output.utf8)
        return stride(from: 0, to: bytes.count, by: GDBLimits.maxConsoleChunk).map { start in
            [UInt8(ascii: "O")] + Hex.encode(bytes[start..<min(start + GDBLimits.maxConsoleChunk, bytes.count)])
        }
    }

    // MARK: helpers

    private var ok: [UInt8] { text("OK") }
    private var memoryFault: [UInt8] { text("E14") }

    private func error(_ reason: String) -> [UInt8] {
        lastError = reason
        return text("E01")
    }

    private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    private func littleEndian(_ b: ArraySlice<UInt8>) -> UInt32 {
        let i = b.startIndex
        return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    /// Frames a payload and remembers it for retransmission.
    private func frame(_ payload: [UInt8]) -> [UInt8] {
        let packet = PacketEncoder.encode(payload)
        lastSent = packet
        return packet
    }
}
