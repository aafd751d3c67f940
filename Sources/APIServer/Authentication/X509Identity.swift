import PKI

/// The user a verified client certificate names: subject CN is the user name, each subject O a group.
///
/// Chain verification against the client CA (`--client-ca-file`) belongs to the TLS layer; this only maps an
/// already trusted leaf certificate to a user (upstream's `CommonNameUserConversion`).
public enum X509Identity {
    /// The user of `certificate`: CN, O groups plus `system:authenticated`, and the certificate's fingerprint as
    /// the credential id. A certificate without a CN yields an empty name; `authenticate` rejects that case.
    public static func user(from certificate: Certificate) -> UserInfo {
        UserInfo(name: certificate.commonName, groups: certificate.organizations,
                 extra: [UserExtraKeys.credentialID: ["X509SHA256=" + certificate.sha256FingerprintHex]])
            .adding(group: SystemGroups.authenticated)
    }

    /// Authenticates a verified client certificate; not applicable when the subject has no CN (upstream then
    /// lets the other authenticators, or anonymous, decide).
    public static func authenticate(_ certificate: Certificate) -> AuthenticationResult {
        guard !certificate.commonName.isEmpty else { return .notApplicable }
        return .authenticated(user(from: certificate))
    }
}
