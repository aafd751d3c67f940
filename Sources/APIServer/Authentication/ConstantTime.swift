/// Comparison whose running time does not depend on where two secrets differ.
///
/// A byte-by-byte `==` returns at the first difference, so the time a check takes tells an attacker how many
/// leading bytes of a guessed token secret were right. Like Go's `subtle.ConstantTimeCompare`, only the lengths
/// may leak (token secrets have a fixed, public length anyway).
public enum ConstantTime {
    /// Whether `a` and `b` are equal, inspecting every byte when the lengths match.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }

    /// The same for the UTF-8 bytes of two strings.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
