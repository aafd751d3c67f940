import KubeAPI

/// The `pod-template-hash` / `controller-revision-hash` value of a pod template (upstream `controller.ComputeHash`).
///
/// Upstream feeds go-spew's `%#v` dump of the typed Go `PodTemplateSpec` into FNV-32a, then the collision count
/// as 8 bytes (a little-endian uint32 and four zero bytes), and renders the decimal `Sum32` with
/// `rand.SafeEncodeString`. We keep every step except the dump: reproducing spew's rendering of Go structs (type
/// names, field order, zero values of every field) from JSON is not possible without Go's type table, so we hash
/// the canonical JSON of the template instead (members sorted by key, nulls dropped, compact). The values are
/// therefore stable and well distributed, look like upstream's (`5d4f8b7c9`), but differ from what upstream would
/// compute for the same template. Nothing depends on matching upstream: the hash only names new ReplicaSets and
/// ControllerRevisions, and which ReplicaSet is "new" is decided by comparing templates, not hashes.
public enum TemplateHash {
    /// The hash of a template.
    /// - Parameters:
    ///   - template: the pod template (`spec.template`).
    ///   - collisionCount: `status.collisionCount`, when set; bumping it changes the hash after a name collision.
    public static func compute(_ template: JSONValue, collisionCount: Int32? = nil) -> String {
        var hash = FNV32a()
        hash.write(Array(canonicalJSON(template).utf8))
        if let collisionCount {
            let bits = UInt32(bitPattern: collisionCount)
            hash.write([UInt8(bits & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits >> 16 & 0xff), UInt8(bits >> 24), 0, 0, 0, 0])
        }
        return safeEncode(String(hash.value))
    }

    /// Upstream `rand.SafeEncodeString`: maps each character onto an alphabet without vowels or look-alike
    /// characters, so generated names never spell words.
    /// - Parameters:
    ///   - text: the input (a decimal number here).
    public static func safeEncode(_ text: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(text.unicodeScalars.map { alphabet[Int($0.value) % alphabet.count] })
    }

    /// Compact JSON with object members sorted by key and null members dropped, so equal templates hash equally
    /// whatever order a client sent their fields in.
    /// - Parameters:
    ///   - value: any JSON value.
    public static func canonicalJSON(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            let parts = members.filter { !$0.value.isNull }.sorted { $0.key < $1.key }.map {
                JSONSerializer.string(.string($0.key)) + ":" + canonicalJSON($0.value)
            }
            return "{" + parts.joined(separator: ",") + "}"
        case .array(let elements):
            return "[" + elements.map(canonicalJSON).joined(separator: ",") + "]"
        default:
            return JSONSerializer.string(value)
        }
    }
}

/// 32-bit FNV-1a, as Go's `hash/fnv.New32a`.
struct FNV32a {
    private(set) var value: UInt32 = 2_166_136_261

    mutating func write(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
    }
}

/// Semantic comparison of pod templates (upstream `apiequality.Semantic.DeepEqual` after `EqualIgnoreHash`
/// removes the hash label): Go cannot tell a missing field from a null one, nor an empty list or label map from
/// a missing one, so neither do we.
public enum TemplateEquality {
    /// Whether two templates are the same once `hashLabel` is removed from both.
    /// - Parameters:
    ///   - lhs: a template.
    ///   - rhs: another template.
    ///   - hashLabel: the label to ignore (`pod-template-hash`).
    public static func equalIgnoringHash(_ lhs: JSONValue, _ rhs: JSONValue, hashLabel: String = "pod-template-hash") -> Bool {
        normalized(removingLabel: hashLabel, from: lhs) == normalized(removingLabel: hashLabel, from: rhs)
    }

    static func normalized(removingLabel label: String, from template: JSONValue) -> JSONValue {
        var copy = template
        copy[path: ["metadata", "labels", label]] = nil
        return normalize(copy, key: nil)
    }

    /// Maps whose emptiness is the same as their absence; an empty object elsewhere (`emptyDir: {}`) is a set
    /// pointer in Go and must stay.
    static let mapFields: Set<String> = ["labels", "annotations", "nodeSelector", "matchLabels", "limits", "requests"]

    static func normalize(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .object(let members):
            var result = JSONObject()
            for (name, member) in members {
                let child = normalize(member, key: name)
                if child.isNull { continue }
                if case .array(let elements) = child, elements.isEmpty { continue }
                if case .object(let inner) = child, inner.isEmpty, mapFields.contains(name) { continue }
                result[name] = child
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map { normalize($0, key: key) })
        default:
            return value
        }
    }
}
