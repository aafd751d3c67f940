/// The protobuf wire schema of the Kubernetes API types, parsed from the generated table
/// (`scripts/generate-protobuf.py`, upstream v1.32 `generated.proto` plus the Go types).
///
/// Only what reading a body needs: per message, its fields by number with their JSON names, cardinality and
/// type, and whether JSON leaves a zero value out; per served group/version, which proto package holds its kinds.
public struct ProtobufSchema: Sendable {
    /// How a field repeats on the wire.
    public enum Cardinality: Sendable { case optional, repeated, map }

    public struct Field: Sendable {
        public var name: String
        public var cardinality: Cardinality
        /// A scalar name (`string`, `int64`, ...) or a package-qualified message; for maps the value type.
        public var type: String
        /// For maps: the key's scalar type.
        public var keyType: String?
        /// A Go value field with `omitempty`: its zero value is not written to JSON.
        public var omitsZero: Bool
        /// An embedded struct whose members JSON writes into the parent object.
        public var inline: Bool
    }

    public struct Message: Sendable {
        public var fields: [Int: Field]
        /// A Go slice type protobuf wraps in a message: its JSON is the bare `items` array.
        public var isItemsWrapper: Bool
    }

    /// Messages by package-qualified name (`k8s.io.api.apps.v1.Deployment`).
    public let messages: [String: Message]
    /// Proto package by `group/version` (core: `v1`).
    public let packages: [String: String]

    public static let shared = ProtobufSchema(parsing: generatedProtobufSchemaData)

    /// The message a kind is encoded as, for an `apiVersion` such as `apps/v1` or `v1`. Option and review kinds
    /// that live in meta/v1 (DeleteOptions, ...) are found from any group.
    public func message(apiVersion: String, kind: String) -> String? {
        if let package = packages[apiVersion], messages["\(package).\(kind)"] != nil { return "\(package).\(kind)" }
        let meta = "k8s.io.apimachinery.pkg.apis.meta.v1.\(kind)"
        return messages[meta] != nil ? meta : nil
    }

    init(parsing text: String) {
        var messages: [String: Message] = [:]
        var packages: [String: String] = [:]
        var package = ""
        var current: String?
        var message = Message(fields: [:], isItemsWrapper: false)
        func flush() {
            if let current { messages[current] = message }
            current = nil
        }
        for line in text.split(separator: "\n") {
            let cols = line.split(separator: " ").map(String.init)
            guard let first = cols.first else { continue }
            if first.hasPrefix("@") {
                flush()
                package = String(first.dropFirst())
                if cols.count == 3, cols[2] != "-" {
                    packages[cols[1] == "-" ? cols[2] : "\(cols[1])/\(cols[2])"] = package
                }
            } else if first.hasPrefix("=") {
                flush()
                current = "\(package).\(first.dropFirst())"
                message = Message(fields: [:], isItemsWrapper: cols.count > 1 && cols[1] == "items")
            } else if cols.count >= 4, let number = Int(first) {
                let cardinality: Cardinality = cols[2] == "r" ? .repeated : cols[2] == "m" ? .map : .optional
                var type = cols[3]
                var keyType: String?
                if cardinality == .map, let comma = type.firstIndex(of: ",") {
                    keyType = String(type[..<comma])
                    type = String(type[type.index(after: comma)...])
                }
                let flag = cols.count > 4 ? cols[4] : ""
                message.fields[number] = Field(name: cols[1], cardinality: cardinality, type: type, keyType: keyType,
                                               omitsZero: flag == "z", inline: flag == "i")
            }
        }
        flush()
        self.messages = messages
        self.packages = packages
    }
}
