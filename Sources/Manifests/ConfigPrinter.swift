import Yams

/// Renders config documents as multi-document YAML, the way `kubeadm config print` does.
public enum ConfigPrinter {
    public static func yaml(_ documents: [any Encodable & Sendable]) throws -> String {
        let encoder = YAMLEncoder()
        return try documents.map { try encoder.encode(AnyEncodable($0)) }.joined(separator: "---\n")
    }

    private struct AnyEncodable: Encodable {
        let value: any Encodable
        init(_ value: any Encodable) { self.value = value }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }
}
