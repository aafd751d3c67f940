/// A set of field paths in an object, as server-side apply tracks ownership (upstream's structured-merge-diff
/// `fieldpath.Set`), with the `FieldsV1` JSON form `metadata.managedFields` stores.
///
/// A path is a list of elements in FieldsV1 notation: `f:<field>` for an object member, `k:<json>` for the item of
/// an associative list with those key fields, `v:<json>` for a member of a set list. A path names a leaf (a scalar,
/// an atomic list or map, an empty object) or a list item itself.
public struct FieldSet: Sendable, Hashable {
    public private(set) var paths: Set<[String]>

    public init(_ paths: Set<[String]> = []) { self.paths = paths }

    public var isEmpty: Bool { paths.isEmpty }

    public func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
    public func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths.intersection(other.paths)) }
    public func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }

    /// Root members no manager owns: identity and bookkeeping the server sets.
    static let ignoredRoot: Set<String> = ["f:apiVersion", "f:kind"]
    static let ignoredMetadata: Set<String> = [
        "f:name", "f:namespace", "f:uid", "f:resourceVersion", "f:generation", "f:creationTimestamp",
        "f:deletionTimestamp", "f:deletionGracePeriodSeconds", "f:managedFields", "f:selfLink",
    ]

    /// The fields `object` sets, with list semantics from the schema (`x-kubernetes-list-type`, map keys and
    /// strategic merge keys, as the apply merge uses them).
    /// - Parameters:
    ///   - ignoringStatus: leave `status` out (writes of the main resource do not own status when there is a
    ///     status subresource).
    public init(of object: JSONValue, schema: (any PatchSchema)?, rootType: String?, ignoringStatus: Bool) {
        self.paths = Set(Self.leaves(of: object, schema: schema, rootType: rootType, ignoringStatus: ignoringStatus).keys)
    }

    /// Every path of `init(of:)` with the value it names (list items and set members map to `true`: their content is
    /// in the paths below them), from one walk of the object, so two versions compare without looking paths up.
    public static func leaves(of object: JSONValue, schema: (any PatchSchema)?, rootType: String?,
                              ignoringStatus: Bool) -> [[String]: JSONValue] {
        var leaves: [[String]: JSONValue] = [:]
        collect(object, PatchSchemaContext.root(schema, type: rootType), prefix: [], into: &leaves)
        return leaves.filter { path, _ in
            guard let first = path.first else { return false }
            if ignoredRoot.contains(first) || (ignoringStatus && first == "f:status") { return false }
            if first == "f:metadata", path.count > 1, ignoredMetadata.contains(path[1]) { return false }
            return true
        }
    }

    static func collect(_ value: JSONValue, _ context: PatchSchemaContext, prefix: [String], into leaves: inout [[String]: JSONValue]) {
        guard case .object(let members) = value else { return }
        for (key, member) in members {
            let path = prefix + ["f:" + key]
            switch member {
            case .object(let inner) where !inner.isEmpty:
                collect(member, context.child(key), prefix: path, into: &leaves)
            case .array(let items) where !items.isEmpty:
                switch listSemantics(context.info(key)) {
                case .map(let keys):
                    for item in items {
                        guard let element = keyElement(item, keys) else {
                            leaves[path] = member
                            continue
                        }
                        leaves[path + [element]] = .bool(true)
                        collect(item, context.items(key), prefix: path + [element], into: &leaves)
                    }
                case .set:
                    for item in items { leaves[path + ["v:" + String(decoding: item.jsonBytes, as: UTF8.self)]] = .bool(true) }
                case .atomic:
                    leaves[path] = member
                }
            default:
                leaves[path] = member
            }
        }
    }

    enum ListSemantics { case map([String]), set, atomic }

    static func listSemantics(_ info: FieldPatchInfo?) -> ListSemantics {
        if info?.listType == .map, let keys = info?.listMapKeys, !keys.isEmpty { return .map(keys) }
        if info?.listType == .set { return .set }
        if info?.listType == nil, let key = info?.patchMergeKey, info?.patchStrategies.contains("merge") == true { return .map([key]) }
        return .atomic
    }

    /// `k:{"name":"c"}` for an item with key fields (sorted, as upstream writes them); nil when a key is missing.
    static func keyElement(_ item: JSONValue, _ keys: [String]) -> String? {
        var object = JSONObject()
        for key in keys.sorted() {
            guard let value = item[key] else { return nil }
            object[key] = value
        }
        return "k:" + String(decoding: JSONValue.object(object).jsonBytes, as: UTF8.self)
    }

    // MARK: - Values at paths

    /// The value a path names in `object`, or nil when absent.
    public static func value(at path: [String], in object: JSONValue) -> JSONValue? {
        var current = object
        for element in path {
            guard let next = child(of: current, element) else { return nil }
            current = next
        }
        return current
    }

    static func child(of value: JSONValue, _ element: String) -> JSONValue? {
        let body = String(element.dropFirst(2))
        switch element.prefix(2) {
        case "f:":
            return value[body]
        case "k:":
            guard let key = try? JSONValue(parsing: body), let fields = key.object else { return nil }
            return value.array?.first { item in fields.allSatisfy { item[$0.key] == $0.value } }
        case "v:":
            guard let wanted = try? JSONValue(parsing: body) else { return nil }
            return value.array?.first { $0 == wanted }
        default:
            return nil
        }
    }

    /// `object` without the field or item a path names (parents stay, even when emptied).
    public static func removing(_ path: [String], from object: JSONValue) -> JSONValue {
        guard let element = path.first else { return object }
        let body = String(element.dropFirst(2))
        if path.count == 1 {
            switch element.prefix(2) {
            case "f:":
                guard var members = object.object else { return object }
                members[body] = nil
                return .object(members)
            case "k:", "v:":
                guard var items = object.array, let target = child(of: object, element) else { return object }
                items.removeAll { $0 == target }
                return .array(items)
            default:
                return object
            }
        }
        let rest = Array(path.dropFirst())
        switch element.prefix(2) {
        case "f:":
            guard var members = object.object, let inner = members[body] else { return object }
            members[body] = removing(rest, from: inner)
            return .object(members)
        case "k:":
            guard var items = object.array, let target = child(of: object, element),
                  let index = items.firstIndex(of: target) else { return object }
            items[index] = removing(rest, from: target)
            return .array(items)
        default:
            return object
        }
    }

    // MARK: - FieldsV1

    /// The `fieldsV1` JSON: nested objects keyed by path elements; `{}` marks a member, and `".": {}` marks a list
    /// item that is itself a member and has owned fields below it.
    public var fieldsV1: JSONValue {
        final class Node {
            var children: [String: Node] = [:]
            var member = false
        }
        let root = Node()
        for path in paths {
            var node = root
            for element in path {
                if let next = node.children[element] {
                    node = next
                } else {
                    let next = Node()
                    node.children[element] = next
                    node = next
                }
            }
            node.member = true
        }
        func render(_ node: Node) -> JSONValue {
            var object = JSONObject()
            if node.member && !node.children.isEmpty { object["."] = .emptyObject }
            for key in node.children.keys.sorted() {
                if let child = node.children[key] { object[key] = render(child) }
            }
            return .object(object)
        }
        return render(root)
    }

    /// Reads a `fieldsV1` object.
    public init(fieldsV1: JSONValue) {
        var paths = Set<[String]>()
        func walk(_ value: JSONValue, _ prefix: [String]) {
            guard let members = value.object else { return }
            if members.isEmpty, !prefix.isEmpty { paths.insert(prefix) }
            for (key, child) in members {
                if key == "." { paths.insert(prefix) } else { walk(child, prefix + [key]) }
            }
        }
        walk(fieldsV1, [])
        self.paths = paths
    }

    /// A path as upstream's conflict messages print it: `.spec.replicas`, `.spec.containers[name="c"].image`.
    public static func describe(_ path: [String]) -> String {
        path.map { element -> String in
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": return "." + body
            case "k:":
                let fields = (try? JSONValue(parsing: body))?.object ?? [:]
                return "[" + fields.map { "\($0.key)=\(String(decoding: $0.value.jsonBytes, as: UTF8.self))" }.joined(separator: ",") + "]"
            default: return "[=" + body + "]"
            }
        }.joined()
    }
}
