/// A bootstrap token `<id>.<secret>`: 6 + 16 characters from [a-z0-9] (cluster-bootstrap's format).
public struct BootstrapTokenString: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var secret: String

    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 6, parts[1].count == 16,
              (parts[0] + parts[1]).allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        id = String(parts[0])
        secret = String(parts[1])
    }

    /// A fresh random token; the system generator reads the kernel's CSPRNG (getrandom) on Linux.
    public static func generate() -> BootstrapTokenString {
        var rng = SystemRandomNumberGenerator()
        func pick(_ count: Int) -> String {
            String((0..<count).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] })
        }
        // Force-unwrap is safe: the string is built from the token alphabet with the right lengths.
        return BootstrapTokenString("\(pick(6)).\(pick(16))")!
    }

    /// The full token. It is a credential: print it only where kubeadm prints it (the join command).
    public var description: String { "\(id).\(secret)" }

    public static let formatHint = "a token must be of the form [a-z0-9]{6}.[a-z0-9]{16}, e.g. abcdef.0123456789abcdef; 'kubeadm-swift token generate' prints a fresh one"
}
