/// The command-line grammar every bundled component shares with its upstream counterpart: `--name=value`,
/// `--name value`, and a bare `--name` for boolean flags. Each component then interprets the pairs with its own
/// flag table; this is the one place the syntax is read.
public enum ComponentFlags {
    /// A syntax error, worded for the operator; components rethrow it as their own error type.
    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The flags in order, as (name, value) pairs.
    /// - Parameters:
    ///   - arguments: the command line after the component name.
    ///   - booleans: flags that may appear without a value (meaning "true").
    /// - Throws: `SyntaxError` for a positional argument or a flag without its value.
    public static func parse(_ arguments: [String], booleans: Set<String> = []) throws(SyntaxError) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                throw SyntaxError(description: "unexpected argument \"\(argument)\"; flags look like --name=value")
            }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                pairs.append((String(body[..<equals]), String(body[body.index(after: equals)...])))
            } else if booleans.contains(String(body)) {
                pairs.append((String(body), "true"))
            } else {
                guard index + 1 < arguments.count else { throw SyntaxError(description: "flag --\(body) needs a value") }
                index += 1
                pairs.append((String(body), arguments[index]))
            }
            index += 1
        }
        return pairs
    }
}
