import TicketsCore

/// One argument as typed: the text (invalid UTF-8 repaired with U+FFFD) and the raw
/// bytes, which file paths use so that any name the file system allows works.
public struct Argument: Equatable, Sendable {
    public let raw: [UInt8]
    public let text: String
    /// False when `text` had to repair the bytes (U+FFFD in place of invalid UTF-8).
    public let isValidUTF8: Bool

    public init(raw: [UInt8]) {
        self.raw = raw
        text = String(decoding: raw, as: UTF8.self)
        isValidUTF8 = text.utf8.elementsEqual(raw)
    }

    public init(_ text: String) {
        raw = Array(text.utf8)
        self.text = text
        isValidUTF8 = true
    }

    /// A part of another argument: it is valid only if the whole argument was (a part cut
    /// from a repaired argument must not pass for a clean one).
    init(raw: [UInt8], valid: Bool) {
        self.raw = raw
        text = String(decoding: raw, as: UTF8.self)
        isValidUTF8 = valid && text.utf8.elementsEqual(raw)
    }
}

/// The parsed command line: which command, its option values and positionals.
public struct ParsedArguments {
    public let command: CommandSpec?
    var values: [String: [Argument]] = [:]
    public private(set) var positionals: [Argument] = []

    public func has(_ long: String) -> Bool { values[long] != nil }
    public func value(_ long: String) -> Argument? { values[long]?.last }
    public func all(_ long: String) -> [Argument] { values[long] ?? [] }

    /// Hand-written, one index loop over argv (as swift-driver does): global options may
    /// come before the command; an option's value is always the next argument, or what
    /// follows `=`; `--` ends the options; `-` is a positional.
    public static func parse(_ args: [Argument]) throws(TicketsError) -> ParsedArguments {
        var command: CommandSpec?
        var parsed = ParsedArguments(command: nil)
        var i = 0
        var optionsEnded = false
        while i < args.count {
            let arg = args[i]
            let t = arg.text
            i += 1
            if optionsEnded || t == "-" || !t.hasPrefix("-") {
                if command == nil {
                    guard let c = CommandTable.command(named: t) ?? HiddenCommands.command(named: t) else {
                        throw .usage(unknownCommand(t))
                    }
                    command = c
                    parsed = ParsedArguments(command: c, values: parsed.values, positionals: [])
                } else {
                    parsed.positionals.append(arg)
                }
                continue
            }
            if t == "--" {
                optionsEnded = true
                continue
            }
            if t == "--version" && command == nil {
                parsed.values["version", default: []].append(arg)
                continue
            }
            let options = command?.allOptions ?? CommandTable.globalOptions
            if t.hasPrefix("--") {
                let body = t.dropFirst(2)
                let (name, inline): (Substring, String?) = body.firstIndex(of: "=").map {
                    (body[..<$0], String(body[body.index(after: $0)...]))
                } ?? (body, nil)
                guard let spec = options.first(where: { $0.long == name }) else {
                    throw .usage(unknownOption("--" + name, options: options, command: command))
                }
                try take(spec, shown: "--\(name)", inline: inline.map { Argument($0) }, args, &i, into: &parsed)
            } else {
                // A cluster of short options: flags, then at most one that takes a value.
                var chars = Substring(t.dropFirst())
                while let c = chars.first {
                    chars = chars.dropFirst()
                    guard let spec = options.first(where: { $0.short == c }) else {
                        throw .usage(unknownOption("-\(c)", options: options, command: command))
                    }
                    if spec.takesValue {
                        let inline = chars.isEmpty ? nil : Argument(String(chars))
                        try take(spec, shown: "-\(c)", inline: inline, args, &i, into: &parsed)
                        break
                    }
                    try take(spec, shown: "-\(c)", inline: nil, args, &i, into: &parsed)
                }
            }
        }
        return ParsedArguments(command: command, values: parsed.values, positionals: parsed.positionals)
    }

    private static func take(_ spec: OptionSpec, shown: String, inline: Argument?, _ args: [Argument], _ i: inout Int,
                             into parsed: inout ParsedArguments) throws(TicketsError) {
        switch spec.value {
        case .flag:
            if inline != nil { throw .usage("option '\(shown)' takes no value") }
            parsed.values[spec.long] = [Argument("")]
        case .required(let name):
            let value: Argument
            if let inline {
                value = inline
            } else {
                guard i < args.count else { throw .usage("option '\(shown)' needs a value (<\(name)>)") }
                value = args[i]
                i += 1
            }
            if spec.repeatable {
                parsed.values[spec.long, default: []].append(value)
            } else {
                parsed.values[spec.long] = [value]
            }
        case .optionalDuration:
            if let inline {
                parsed.values[spec.long] = [inline]
            } else if i < args.count, Duration.seconds(args[i].text) != nil {
                parsed.values[spec.long] = [args[i]]
                i += 1
            } else {
                parsed.values[spec.long] = [Argument("")]
            }
        }
    }

    static func unknownCommand(_ name: String) -> String {
        var m = "unknown command '\(name)'."
        if let s = closest(name, among: CommandTable.commands.map(\.name)) { m += " Did you mean '\(s)'?" }
        return m + " See 'tickets help'."
    }

    static func unknownOption(_ shown: String, options: [OptionSpec], command: CommandSpec?) -> String {
        var m = "unknown option '\(shown)'."
        let names = options.map { "--" + $0.long }
        if let s = closest(shown, among: names) { m += " Did you mean '\(s)'?" }
        return m + " See 'tickets \(command.map { "\($0.name) " } ?? "")--help'."
    }

    /// The nearest name within a small edit distance, for "did you mean".
    static func closest(_ word: String, among names: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for name in names {
            let n = Array(name.unicodeScalars)
            if n.count > 2, w.count > 2, n.starts(with: w) { return name }
            let d = editDistance(w, n)
            if d <= (n.count <= 3 ? 1 : 2), d < (best?.1 ?? Int.max) { best = (name, d) }
        }
        return best?.0
    }

    /// Edit distance counting a swap of neighbours as one edit ("lsit" is one from "list").
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
