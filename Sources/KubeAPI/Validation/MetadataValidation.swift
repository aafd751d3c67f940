/// apimachinery's rules for label keys and values, annotation keys and sizes, and object names.
public enum MetadataValidation {
    /// Annotations may not exceed 256 KiB in total (keys plus values), as upstream.
    public static let totalAnnotationSizeLimit = 256 * 1024
    static let qualifiedNameMaxLength = 63
    static let qualifiedNameRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    /// Why `key` is not a qualified name (`[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63
    /// characters of `[A-Za-z0-9._-]` starting and ending alphanumeric); empty when it is one.
    public static func qualifiedNameErrors(_ key: String) -> [String] {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var errors: [String] = []
        var name = key
        if parts.count == 2 {
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty { errors.append("prefix part must be non-empty") }
            else { errors += NameValidation.subdomainErrors(prefix).map { "prefix part " + $0 } }
        }
        if name.isEmpty { errors.append("name part must be non-empty") }
        else if name.utf8.count > qualifiedNameMaxLength { errors.append("name part must be no more than 63 characters") }
        else if !isNameShaped(name) { errors.append(qualifiedNameRule) }
        return errors
    }

    /// Why `value` is not a label value (at most 63 characters, empty or name-shaped); empty when it is one.
    public static func labelValueErrors(_ value: String) -> [String] {
        if value.isEmpty { return [] }
        var errors: [String] = []
        if value.utf8.count > qualifiedNameMaxLength { errors.append("must be no more than 63 characters") }
        if !isNameShaped(value) { errors.append(labelValueRule) }
        return errors
    }

    /// Validates `metadata.labels` and `metadata.annotations` of an object.
    public static func validateLabelsAndAnnotations(_ metadata: JSONValue?, path: String = "metadata") -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in metadata?["labels"]?.object ?? [:] {
            for problem in qualifiedNameErrors(key) { errors.append(.invalid("\(path).labels", key, problem)) }
            guard let text = value.string else {
                errors.append(.invalid("\(path).labels", key, "label values must be strings"))
                continue
            }
            for problem in labelValueErrors(text) { errors.append(.invalid("\(path).labels", text, problem)) }
        }
        var total = 0
        for (key, value) in metadata?["annotations"]?.object ?? [:] {
            for problem in qualifiedNameErrors(key.lowercased()) { errors.append(.invalid("\(path).annotations", key, problem)) }
            total += key.utf8.count + (value.string?.utf8.count ?? 0)
        }
        if total > totalAnnotationSizeLimit { errors.append(.tooLong("\(path).annotations", totalAnnotationSizeLimit)) }
        return errors
    }

    private static func isNameShaped(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}
