/// The container's `imagePullPolicy`, with upstream's defaulting.
public enum ImagePullPolicy: String, Sendable, CaseIterable {
    case always = "Always"
    case ifNotPresent = "IfNotPresent"
    case never = "Never"

    /// The policy a container gets when its spec leaves it empty: `Always` for `:latest` or an untagged name
    /// (unless pinned by digest), `IfNotPresent` otherwise. An unknown value is treated like an empty one.
    public static func defaulted(_ policy: String?, image: String) -> ImagePullPolicy {
        if let policy, let known = ImagePullPolicy(rawValue: policy) { return known }
        guard let reference = try? ImageReference(parsing: image) else { return .ifNotPresent }
        return reference.digest == nil && reference.tag == ImageReference.defaultTag ? .always : .ifNotPresent
    }
}

/// A container image the kubelet cannot provide, with the waiting reason and message the pod status shows.
///
/// kubeadm-swift never pulls from registries, so every "pull" of an absent image fails: the first attempt with
/// `ErrImagePull`, later ones (while the pod worker backs off) with `ImagePullBackOff`. The messages keep upstream's
/// wording first, so tools that match on it still work, then say how to get the image onto the node.
public struct ImagePullError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case errImageNeverPull = "ErrImageNeverPull"
        case errImagePull = "ErrImagePull"
        case imagePullBackOff = "ImagePullBackOff"
        case invalidImageName = "InvalidImageName"
    }

    public var reason: Reason
    public var message: String
    /// The image as the pod spec wrote it.
    public var image: String

    public var description: String { "\(reason.rawValue): \(message)" }

    static func importHint(_ reference: String) -> String {
        "kubeadm-swift never pulls images from registries; on this node run 'kubeadm-swift images import FILE' "
            + "with an OCI or 'docker save' archive of \(reference) (e.g. made with 'docker save \(reference) -o FILE')"
    }

    public static func neverPull(_ image: String) -> ImagePullError {
        ImagePullError(reason: .errImageNeverPull,
                       message: "Container image \"\(image)\" is not present with pull policy of Never; " + importHint(image),
                       image: image)
    }

    public static func notPresent(_ image: String, reference: String) -> ImagePullError {
        ImagePullError(reason: .errImagePull,
                       message: "failed to pull image \"\(image)\": \(reference) is not in the node's image store; " + importHint(image),
                       image: image)
    }

    public static func invalidName(_ image: String, _ error: any Error) -> ImagePullError {
        ImagePullError(reason: .invalidImageName,
                       message: "Failed to apply default image tag \"\(image)\": couldn't parse image name \"\(image)\": \(error)",
                       image: image)
    }

    /// The same failure while the pod worker waits before trying again (upstream's "Back-off pulling image").
    public func backingOff() -> ImagePullError {
        guard reason == .errImagePull || reason == .imagePullBackOff else { return self }
        return ImagePullError(reason: .imagePullBackOff,
                              message: "Back-off pulling image \"\(image)\": " + ImagePullError.importHint(image), image: image)
    }
}

extension ImageStore {
    /// The kubelet's image step for one container: the stored image, or the pull error its policy calls for.
    /// `Always` uses the stored image when there is one, since there is no registry to check it against.
    public func ensureImage(_ image: String, policy: ImagePullPolicy) throws(ImagePullError) -> Image {
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: image)
        } catch {
            throw ImagePullError.invalidName(image, error)
        }
        let found: Image?
        do {
            found = try resolve(reference.description)
        } catch {
            throw ImagePullError(reason: .errImagePull, message: "failed to read image \"\(image)\" from the local store \(root): \(error)",
                                 image: image)
        }
        if let found { return found }
        throw policy == .never ? ImagePullError.neverPull(image) : ImagePullError.notPresent(image, reference: reference.description)
    }
}
