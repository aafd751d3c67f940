import Foundation
import KubeAPI

/// The sync loop's image side on the local image store: image defaults for the container, and an overlay root
/// filesystem per container. Nothing is ever pulled; a missing image waits with upstream's reason and a message
/// that says how to import it.
public struct ImageStoreEngines: ImageResolver, RootfsProvider {
    let store: ImageStore

    public init(store: ImageStore) { self.store = store }

    public func configuration(of image: String) async throws -> ImageDefaults {
        let resolved: Image
        do {
            resolved = try store.ensureImage(image, policy: ImagePullPolicy.defaulted(nil, image: image))
        } catch {
            throw ImageUnavailable(reason: error.reason.rawValue, message: error.message)
        }
        let config = resolved.config
        return ImageDefaults(entrypoint: config.entrypoint, cmd: config.cmd, env: config.env,
                             workingDir: config.workingDir.isEmpty ? nil : config.workingDir, imageID: resolved.id.description)
    }

    public func prepare(containerID: String, image: String) async throws -> String {
        let resolved = try store.ensureImage(image, policy: .ifNotPresent)
        return try store.prepareRootfs(containerID: containerID, image: resolved)
    }

    public func release(containerID: String) async {
        do {
            try store.releaseRootfs(containerID: containerID)
        } catch {
            // Not fatal to the sync (reset and the next cleanup retry), but never silent: a kept mount is a leak.
            FileHandle.standardError.write(Data("kubelet: cannot release the rootfs of container \(containerID): \(error)\n".utf8))
        }
    }
}
