/// Why an image-store operation failed. Every message names the thing (archive, reference, path) and says
/// how to fix it, because these surface verbatim in `kubeadm-swift images ...` output and kubelet logs.
public enum ImageStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidReference(String, reason: String)
    case invalidDigest(String, reason: String)
    case notAnArchive(String, reason: String)
    case malformedArchive(String, reason: String)
    case digestMismatch(archive: String, what: String, expected: String, actual: String)
    case unnamedImage(archive: String, digest: String)
    case unsupportedLayer(archive: String, layer: String, reason: String)
    case notFound(String)
    case ambiguous(String, matches: [String])
    case inUse(String, containers: [String])
    case invalidContainerID(String)
    case toolFailed(command: String, status: Int32, output: String)
    case missingTool(String, package: String)
    case mountFailed(path: String, reason: String)
    case bundledImage(String)
    case io(String)

    public var description: String {
        switch self {
        case let .invalidReference(text, reason):
            "invalid image reference \"\(text)\": \(reason); use NAME[:TAG] or NAME@sha256:DIGEST, e.g. docker.io/library/busybox:1.36"
        case let .invalidDigest(text, reason):
            "invalid digest \"\(text)\": \(reason)"
        case let .notAnArchive(path, reason):
            "\(path) is not an image archive: \(reason); pass an OCI image layout tar (e.g. 'skopeo copy ... oci-archive:FILE') "
                + "or a 'docker save' tar"
        case let .malformedArchive(path, reason):
            "image archive \(path) is malformed: \(reason); re-create it with 'docker save' or 'skopeo copy ... oci-archive:FILE'"
        case let .digestMismatch(archive, what, expected, actual):
            "image archive \(archive): \(what) has digest \(actual) but the archive says \(expected); "
                + "the file is corrupt or was modified, so nothing was imported; re-create the archive"
        case let .unnamedImage(archive, digest):
            "image archive \(archive) holds an image without a name (manifest \(digest)); name it when saving, "
                + "e.g. 'docker save busybox:1.36 -o FILE' or 'skopeo copy docker://busybox:1.36 oci-archive:FILE:busybox:1.36'"
        case let .unsupportedLayer(archive, layer, reason):
            "image archive \(archive): layer \(layer) cannot be unpacked: \(reason)"
        case let .notFound(reference):
            "image \"\(reference)\" is not present in the local image store; import it with 'kubeadm-swift images import FILE' "
                + "and check the name with 'kubeadm-swift images list'"
        case let .ambiguous(text, matches):
            "\"\(text)\" matches several images (\(matches.joined(separator: ", "))); give more of the image ID or a full reference"
        case let .inUse(reference, containers):
            "image \"\(reference)\" is in use by container(s) \(containers.joined(separator: ", ")); "
                + "delete the pods that run it first (kubectl delete pod ...), then remove the image"
        case let .invalidContainerID(id):
            "invalid container ID \"\(id)\": use 1-128 characters from [A-Za-z0-9_.-], not starting with '.'"
        case let .toolFailed(command, status, output):
            "'\(command)' failed with exit status \(status)" + (output.isEmpty ? "" : ": \(output)")
        case let .missingTool(tool, package):
            "\(tool) is not installed; install it with 'apt-get install -y \(package)'"
        case let .mountFailed(path, reason):
            "cannot mount the container rootfs at \(path): \(reason); the image store must be on a filesystem that overlayfs "
                + "accepts as upper layer (ext4, xfs, tmpfs; not overlayfs itself), and kubeadm-swift must run as root"
        case let .bundledImage(reason):
            "cannot build the bundled control-plane image: \(reason)"
        case let .io(reason):
            reason
        }
    }
}
