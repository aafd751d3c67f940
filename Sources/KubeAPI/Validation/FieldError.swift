/// One problem in an object or configuration, located by its field path: apimachinery's `field.Error`.
///
/// The API server turns a list of these into a 422 `Status` whose `details.causes` carry `reason` and `field`;
/// kubeadm-swift's config validation prints them as `path: message`.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// apimachinery's `field.ErrorType`, with the `reason` string a `Status` cause carries.
    public enum Kind: String, Sendable, Hashable {
        case required = "FieldValueRequired"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case duplicate = "FieldValueDuplicate"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case notFound = "FieldValueNotFound"
    }

    public var kind: Kind
    /// `spec.containers[0].image`.
    public var path: String
    /// The full message after the path, e.g. `Invalid value: "x": must be ...`.
    public var message: String

    public init(kind: Kind = .invalid, _ path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// `path: Invalid value: "value": detail`.
    public static func invalid(_ path: String, _ value: String, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, path, "Invalid value: \"\(value)\": \(detail)")
    }

    /// `path: Required value` (+ `: detail`).
    public static func required(_ path: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, path, detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    /// `path: Unsupported value: "x": supported values: "a", "b"`.
    public static func notSupported(_ path: String, _ value: String, _ supported: [String]) -> FieldError {
        FieldError(kind: .notSupported, path,
                   "Unsupported value: \"\(value)\": supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    /// `path: Duplicate value: "x"`.
    public static func duplicate(_ path: String, _ value: String) -> FieldError {
        FieldError(kind: .duplicate, path, "Duplicate value: \"\(value)\"")
    }

    /// `path: Forbidden: detail`.
    public static func forbidden(_ path: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, path, "Forbidden: \(detail)")
    }

    /// `path: Too long: may not be more than N bytes`.
    public static func tooLong(_ path: String, _ limit: Int) -> FieldError {
        FieldError(kind: .tooLong, path, "Too long: may not be more than \(limit) bytes")
    }

    /// `path: Not found: "x"` (a reference to something that does not exist).
    public static func notFound(_ path: String, _ value: String) -> FieldError {
        FieldError(kind: .notFound, path, "Not found: \"\(value)\"")
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
