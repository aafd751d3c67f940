import COpenSSL

/// Reading and writing the subject fields kubeadm uses (O and CN).
enum DistinguishedName {
    /// All values of attribute `nid` in `name`, in order.
    static func values(of nid: Int32, in name: OpaquePointer?) -> [String] {
        guard let name else { return [] }
        var values: [String] = []
        var position: Int32 = -1
        while true {
            position = X509_NAME_get_index_by_NID(name, nid, position)
            if position < 0 { break }
            guard let entry = X509_NAME_get_entry(name, position),
                let text = utf8String(of: X509_NAME_ENTRY_get_data(entry))
            else { continue }
            values.append(text)
        }
        return values
    }

    /// Builds an owned `X509_NAME*` (caller frees) with the O entries first and then CN, the order
    /// Go's `pkix.Name` produces, so our subjects look like kubeadm's in `openssl x509 -text`.
    static func make(commonName: String, organizations: [String]) throws -> OpaquePointer {
        guard let name = X509_NAME_new() else { throw PKIError.openSSL("cannot allocate X509_NAME") }
        var handedOff = false
        defer { if !handedOff { X509_NAME_free(name) } }
        func add(_ nid: Int32, _ value: String) throws {
            let bytes = Array(value.utf8)
            guard !bytes.isEmpty else { return }
            guard X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
                throw PKIError(
                    .invalidArgument, "cannot use '\(value)' in a certificate subject",
                    openSSLErrors: OpenSSLErrorQueue.drain())
            }
        }
        for organization in organizations { try add(NID_organizationName, organization) }
        try add(NID_commonName, commonName)
        handedOff = true
        return name
    }
}
