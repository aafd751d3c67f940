import Foundation

/// Minimal PEM (RFC 7468) encoding and decoding.
///
/// We parse PEM ourselves (rather than through OpenSSL's PEM readers) so that errors can say
/// precisely what is wrong ("no CERTIFICATE block, found RSA PRIVATE KEY") and so that the encoding
/// of certificates and CSRs is byte-for-byte deterministic: 64-column base64, `\n` line endings.
public enum PEM {
    /// One `-----BEGIN <type>-----` ... `-----END <type>-----` block.
    public struct Block: Sendable, Equatable {
        /// The label, e.g. `"CERTIFICATE"`.
        public var type: String
        /// The decoded DER bytes.
        public var der: [UInt8]

        /// Creates a block.
        public init(type: String, der: [UInt8]) {
            self.type = type
            self.der = der
        }
    }

    /// Encodes DER bytes as one PEM block with the given label.
    /// - Parameters:
    ///   - type: The PEM label, e.g. `"CERTIFICATE"`.
    ///   - der: The bytes to encode.
    public static func encode(type: String, der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var text = "-----BEGIN \(type)-----\n"
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            text += base64[index..<end]
            text += "\n"
            index = end
        }
        text += "-----END \(type)-----\n"
        return text
    }

    /// Decodes every PEM block in `text`, ignoring text outside blocks (as OpenSSL and Go do).
    /// - Throws: `PKIError` `.malformedPEM` if a block is unterminated, mislabelled, or not base64.
    public static func decodeAll(_ text: String) throws -> [Block] {
        var blocks: [Block] = []
        var currentType: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let type = currentType {
                if line.hasPrefix("-----END ") && line.hasSuffix("-----") {
                    let endType = String(line.dropFirst(9).dropLast(5))
                    guard endType == type else {
                        throw PKIError(
                            .malformedPEM, "PEM block \"\(type)\" ends with a mismatched END line \"\(endType)\"")
                    }
                    guard let data = Data(base64Encoded: body) else {
                        throw PKIError(.malformedPEM, "PEM block \"\(type)\" does not contain valid base64")
                    }
                    blocks.append(Block(type: type, der: [UInt8](data)))
                    currentType = nil
                    body = ""
                } else if line.contains(":") {
                    // RFC 1421 headers (Proc-Type / DEK-Info) mark an encrypted legacy key.
                    throw PKIError(
                        .malformedPEM,
                        "PEM block \"\(type)\" has headers (an encrypted key?); only unencrypted PEM is supported")
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN ") && line.hasSuffix("-----") {
                currentType = String(line.dropFirst(11).dropLast(5))
            }
        }
        if let type = currentType {
            throw PKIError(.malformedPEM, "PEM block \"\(type)\" has no END line (truncated file?)")
        }
        return blocks
    }

    /// Returns the DER of the first block whose label is one of `types`.
    /// - Throws: `PKIError` `.malformedPEM` naming what was found instead.
    static func firstBlock(in text: String, ofType types: Set<String>) throws -> Block {
        let blocks = try decodeAll(text)
        if let block = blocks.first(where: { types.contains($0.type) }) { return block }
        let wanted = types.sorted().joined(separator: " or ")
        if blocks.isEmpty {
            throw PKIError(.malformedPEM, "no PEM data found (expected a \(wanted) block)")
        }
        let found = blocks.map(\.type).joined(separator: ", ")
        throw PKIError(.malformedPEM, "no \(wanted) PEM block found (found: \(found))")
    }
}
