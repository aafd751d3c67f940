/// Reads an `Accept` header for a Table request.
///
/// kubectl asks `application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io,
/// application/json`: a Table if the server can, else the plain object. The entries are tried in order of their
/// `q` weight (header order among equals, as upstream's negotiation does); the first one this server can produce
/// wins. JSON and YAML (and wildcards) count as producible, since the body is a JSON value either way; entries it
/// cannot produce are skipped: other media types (protobuf, CBOR), other conversions (`as=PartialObjectMetadata`,
/// discovery lists) and Tables of another group or version.
enum TableAccept {
    /// One media range of the header.
    struct MediaRange: Sendable, Equatable {
        /// "type/subtype", lower-cased.
        var mediaType: String
        /// Parameters by lower-cased name (`as`, `g`, `v`, `q`, ...).
        var parameters: [String: String]

        /// The `q` weight, 1 when absent or unparsable.
        var quality: Double { parameters["q"].flatMap(Double.init) ?? 1 }
    }

    /// The media ranges of a header, in header order.
    /// - Parameters:
    ///   - header: the `Accept` header.
    static func parse(_ header: String) -> [MediaRange] {
        header.split(separator: ",").compactMap { entry in
            let pieces = entry.split(separator: ";").map { $0.trimmingSpaces }
            guard let type = pieces.first, !type.isEmpty else { return nil }
            var parameters: [String: String] = [:]
            for piece in pieces.dropFirst() {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingSpaces.lowercased()
                var value = piece[piece.index(after: equals)...].trimmingSpaces
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                parameters[name] = value
            }
            return MediaRange(mediaType: type.lowercased(), parameters: parameters)
        }
    }

    /// Whether the best entry this server can answer is a `meta.k8s.io` Table (v1 or v1beta1).
    /// - Parameters:
    ///   - header: the `Accept` header; nil or empty means plain JSON.
    static func wantsTable(_ header: String?) -> Bool {
        guard let header else { return false }
        let ranges = parse(header).enumerated()
            .filter { $0.element.quality > 0 }
            .sorted { ($0.element.quality, -$0.offset) > ($1.element.quality, -$1.offset) }
            .map(\.element)
        for range in ranges {
            guard producible.contains(range.mediaType) else { continue }
            guard let conversion = range.parameters["as"] else { return false }  // a plain object is acceptable
            if conversion == "Table", range.parameters["g"] == "meta.k8s.io",
               ["v1", "v1beta1"].contains(range.parameters["v"] ?? "") {
                return true
            }
        }
        return false
    }

    /// The media types a response body can be written in.
    private static let producible: Set<String> = ["application/json", "application/yaml", "application/*", "*/*"]
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (header whitespace).
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
