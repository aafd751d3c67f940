import Foundation
import Manifests
import PKI

/// Writes the static pod manifests for the bundled control-plane components.
enum ControlPlanePhase {
    @Sendable static func announce(_ data: InitData) async throws {
        data.say("[control-plane] Using manifest folder \"\(data.realPaths.manifestsDir)\"")
    }

    static func write(_ component: ControlPlaneComponent, _ data: InitData) throws {
        let pods = StaticPods(settings: data.settings) { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        data.say("[control-plane] Creating static Pod manifest for \"\(component.rawValue)\"")
        // kubeadm creates the manifest directory 0700 and each file 0600: manifests name key files.
        try AtomicFile.write(try pods.yaml(component), to: data.writePaths.manifest(component), mode: 0o600, directoryMode: 0o700)
    }
}
