/// Kubernetes' `$(VAR_NAME)` expansion in `command`, `args` and `env` values
/// (`third_party/forked/golang/expansion` upstream).
///
/// `$(NAME)` becomes the variable's value when it is defined and stays as written when it is not; `$$` is an escaped
/// `$`, so `$$(NAME)` yields the literal `$(NAME)`; any other `$` is kept; an unclosed `$(` is kept.
public enum VariableExpansion {
    /// Expands references in `input`.
    /// - Parameters:
    ///   - input: the text to expand.
    ///   - lookup: the value of a variable, or `nil` when it is not defined.
    public static func expand(_ input: String, lookup: (String) -> String?) -> String {
        let bytes = Array(input.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        while cursor < bytes.count {
            guard bytes[cursor] == UInt8(ascii: "$"), cursor + 1 < bytes.count else {
                out.append(bytes[cursor])
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == UInt8(ascii: "$") {
                out.append(next)
                cursor += 2
            } else if next == UInt8(ascii: "("),
                let close = bytes[(cursor + 2)...].firstIndex(of: UInt8(ascii: ")"))
            {
                let name = String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)
                if let value = lookup(name) {
                    out += Array(value.utf8)
                } else {
                    out += bytes[cursor...close]
                }
                cursor = close + 1
            } else {
                // A `$` that starts no reference (including an unclosed `$(`): keep it and carry on after it.
                out.append(bytes[cursor])
                cursor += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Expands references against `KEY=VALUE` entries (the last definition of a key wins).
    public static func expand(_ input: String, environment: [String]) -> String {
        let values = ContainerCommand.environmentDictionary(environment)
        return expand(input) { values[$0] }
    }
}
