import KubeAPI
import Yams

/// YAML documents as JSON values, with the scalar rules of sigs.k8s.io/yaml (what kubectl and the kubelet use): a
/// plain scalar is null, a boolean, an integer or a float when it reads as one; anything quoted is a string. Used
/// for static pod manifests and YAML request bodies.
public enum YAMLToJSON {
    /// Every document of a multi-document YAML text (empty documents are skipped).
    /// - Throws: `YAMLToJSONError` with the position and reason for malformed YAML or non-string keys.
    public static func documents(_ text: String) throws -> [JSONValue] {
        do {
            return try Yams.compose_all(yaml: text).compactMap { node in
                let value = try convert(node, path: "")
                return value.isNull ? nil : value
            }
        } catch let error as YAMLToJSONError {
            throw error
        } catch {
            throw YAMLToJSONError(message: "\(error)")
        }
    }

    private static func convert(_ node: Node, path: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(try sequence.enumerated().map { try convert($1, path: "\(path)[\($0)]") })
        case .mapping(let mapping):
            var object: JSONObject = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLToJSONError(message: "\(path.isEmpty ? "top level" : path): mapping keys must be strings")
                }
                let name = keyScalar.string
                object[name] = try convert(value, path: path.isEmpty ? name : path + "." + name)
            }
            return .object(object)
        case .alias:
            throw YAMLToJSONError(message: "\(path): YAML aliases are not supported")
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let integer = Int64(text) { return .integer(integer) }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let number = Double(text),
           text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) ?? false {
            return .float(number)
        }
        return .string(text)
    }
}

/// A YAML text that cannot become JSON.
public struct YAMLToJSONError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
