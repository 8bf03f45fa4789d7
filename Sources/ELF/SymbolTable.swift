// SymbolTable: addresses ↔ names across the kernel and the modules loaded at run time.
// Each file is added with a load bias (or, for relocatable modules, the address each
// section was placed at); lookups are binary searches over one sorted array.

/// A symbol placed at its run-time address.
public struct PlacedSymbol: Sendable, Equatable {
    /// The symbol's name.
    public var name: String
    /// Its run-time address.
    public var address: UInt32
    /// Its size in bytes (0 when unknown).
    public var size: UInt32
    /// Function, object or untyped label.
    public var type: SymbolType
    /// Local, global or weak.
    public var binding: SymbolBinding
    /// The name of the file (or module) it came from.
    public var origin: String
}

/// Run-time symbol look-up for the debugger and the disassembler.
public struct SymbolTable: Sendable {
    /// Every placed symbol, sorted by address (then by preference: function, object, label; global before local).
    public private(set) var symbols: [PlacedSymbol] = []
    private var byName: [String: Int] = [:]

    /// An empty table.
    public init() {}

    /// A table of `files`, each shifted by its bias (see `add(_:bias:)`).
    public init(files: [(file: ELFFile, bias: UInt32)]) {
        for entry in files { add(entry.file, bias: entry.bias) }
    }

    /// Adds the function, object and labelled symbols of `file`.
    /// For an executable, a symbol's address is `value + bias`. For a relocatable object,
    /// where values are section offsets, it is `bias + section.addr + value`; use
    /// `add(_:sectionAddresses:)` when the module's sections were placed separately.
    public mutating func add(_ file: ELFFile, bias: UInt32 = 0) {
        add(file) { section in
            file.type == .executable ? bias : bias &+ (section < file.sections.count ? file.sections[section].addr : 0)
        }
    }

    /// Adds the symbols of a relocatable object whose sections were placed at the given
    /// addresses (section index → load address). Symbols in sections not in the map are skipped.
    public mutating func add(_ file: ELFFile, sectionAddresses: [Int: UInt32]) {
        add(file) { sectionAddresses[$0] }
    }

    /// Adds one symbol by hand (for example a label the guest reports at run time).
    public mutating func add(name: String, address: UInt32, size: UInt32 = 0, type: SymbolType = .function,
                             binding: SymbolBinding = .global, origin: String = "") {
        symbols.append(PlacedSymbol(name: name, address: address, size: size, type: type,
                                    binding: binding, origin: origin))
        rebuild()
    }

    /// Adds many placed symbols at once (one sort instead of one per symbol).
    public mutating func add(_ placed: [PlacedSymbol]) {
        symbols += placed
        rebuild()
    }

    private mutating func add(_ file: ELFFile, base: (Int) -> UInt32?) {
        for symbol in file.symbols where SymbolTable.isUseful(symbol) {
            guard let start = base(Int(symbol.sectionIndex)) else { continue }
            symbols.append(PlacedSymbol(name: symbol.name, address: start &+ symbol.value, size: symbol.size,
                                        type: symbol.type, binding: symbol.binding, origin: file.name))
        }
        rebuild()
    }

    /// Functions, objects and untyped labels that are defined in a section and have a name
    /// (compiler-local `.L` labels are left out).
    static func isUseful(_ symbol: Symbol) -> Bool {
        guard symbol.isInSection, !symbol.name.isEmpty, !symbol.name.hasPrefix(".L") else { return false }
        switch symbol.type {
        case .function, .object, .notype: return true
        default: return false
        }
    }

    private static func rank(_ s: PlacedSymbol) -> Int {
        let typeRank: Int
        switch s.type {
        case .function: typeRank = 0
        case .object: typeRank = 1
        default: typeRank = 2
        }
        return typeRank * 2 + (s.binding == .local ? 1 : 0)
    }

    private mutating func rebuild() {
        symbols.sort { a, b in
            if a.address != b.address { return a.address < b.address }
            let ra = SymbolTable.rank(a), rb = SymbolTable.rank(b)
            if ra != rb { return ra < rb }
            return a.name < b.name
        }
        byName.removeAll(keepingCapacity: true)
        for (i, s) in symbols.enumerated() {
            if let existing = byName[s.name] {
                // A global definition wins over a local one of the same name.
                if symbols[existing].binding == .local && s.binding != .local { byName[s.name] = i }
            } else {
                byName[s.name] = i
            }
        }
    }

    /// The symbol covering `address`: the nearest one at or below it, preferring a function,
    /// then an object, then a label at equal addresses. Returns nil when there is none, or when
    /// that symbol's size is known and `address` lies past its end.
    public func lookup(_ address: UInt32) -> (name: String, offset: UInt32)? {
        guard let index = indexAtOrBelow(address) else { return nil }
        // Among the symbols at that address, the first (best-ranked) one is chosen.
        var best = index
        while best > 0, symbols[best - 1].address == symbols[index].address { best -= 1 }
        let symbol = symbols[best]
        let offset = address - symbol.address
        if symbol.size > 0, offset >= symbol.size {
            // A sized symbol that does not reach `address`; a larger one at the same spot might.
            let covering = symbols[best...index].first { $0.size == 0 || offset < $0.size }
            guard let covering else { return nil }
            return (covering.name, offset)
        }
        return (symbol.name, offset)
    }

    /// `name` or `name+0x10` for `address`, or nil when no symbol covers it.
    public func describe(_ address: UInt32) -> String? {
        guard let (name, offset) = lookup(address) else { return nil }
        return offset == 0 ? name : "\(name)+0x\(String(offset, radix: 16))"
    }

    /// The address of the symbol called `name` (a global one if there are several).
    public func address(of name: String) -> UInt32? {
        byName[name].map { symbols[$0].address }
    }

    /// The full entry for `name`, if present.
    public func symbol(named name: String) -> PlacedSymbol? {
        byName[name].map { symbols[$0] }
    }

    /// Every symbol whose name starts with `prefix`, sorted by name (for completion in the debugger).
    public func symbols(matching prefix: String) -> [PlacedSymbol] {
        symbols.filter { $0.name.hasPrefix(prefix) }.sorted { $0.name < $1.name }
    }

    /// The index of the last symbol whose address is <= `address` (the last of equals).
    private func indexAtOrBelow(_ address: UInt32) -> Int? {
        var low = 0, high = symbols.count
        while low < high {
            let mid = (low + high) / 2
            if symbols[mid].address <= address { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}
