import Foundation
import Manifests
import PKI

/// kubeadm's init phase tree (kubeadm.md section 1.1), with kubeadm-swift's adapters.
public enum InitWorkflow {
    public static let workflow = Workflow<InitData>(name: "init", phases: [
        Phase("preflight", "Run pre-flight checks", run: PreflightPhase.runInit),
        Phase("certs", "Certificate generation", children: CertsPhase.children, runAllSiblings: true, run: CertsPhase.announce),
        Phase("kubeconfig", "Generate all kubeconfig files",
              children: KubeconfigFile.allCases.map { file in
                  Phase(file.phaseName, "Generate \(file.fileName)") { try KubeconfigPhase.write(file, $0) }
              },
              runAllSiblings: true, run: KubeconfigPhase.announce),
        Phase("etcd", "Generate the local etcd static Pod manifest", children: [
            Phase("local", "Generate the local etcd static Pod manifest") { _ in
                throw NotBuiltError(what: "The local etcd static pod (etcd.local in ClusterConfiguration)", arrivesWith: "the etcd datastore option")
            },
        ], runAllSiblings: true, runIf: .init { $0.settings.datastore.isLocalEtcd }),
        Phase("control-plane", "Generate all control-plane static Pod manifests",
              children: ControlPlaneComponent.allCases.map { component in
                  Phase(component.phaseName, "Generate the \(component.rawValue) manifest") { try ControlPlanePhase.write(component, $0) }
              },
              runAllSiblings: true, run: ControlPlanePhase.announce),
        Phase("kubelet-start", "Write kubelet settings and start the kubelet", run: KubeletStartPhase.run),
        Phase("wait-control-plane", "Wait for the control plane to start", run: WaitControlPlanePhase.run),
        Phase("upload-config", "Upload kubeadm and kubelet configuration", children: [
            Phase("kubeadm", "Upload the kubeadm-config ConfigMap", run: ClusterPhases.uploadKubeadmConfig),
            Phase("kubelet", "Upload the kubelet-config ConfigMap", run: ClusterPhases.uploadKubeletConfig),
        ], runAllSiblings: true),
        Phase("upload-certs", "Upload certificates to kubeadm-certs") { data in
            data.say("[upload-certs] Skipping phase. Please see --upload-certs")
        },
        Phase("mark-control-plane", "Mark a node as a control-plane", run: ClusterPhases.markControlPlane),
        Phase("bootstrap-token", "Create bootstrap tokens and cluster-info", run: ClusterPhases.bootstrapToken),
        Phase("kubelet-finalize", "Point kubelet.conf at the rotated certificate", run: ClusterPhases.kubeletFinalize),
        Phase("addon", "Install the CoreDNS, kube-proxy and local-path storage addons", children: [
            notBundled("coredns", "Install the CoreDNS addon", "CoreDNS"),
            notBundled("kube-proxy", "Install the kube-proxy addon", "kube-proxy"),
            Phase("local-path-storage", "Install the default local-path StorageClass", run: ClusterPhases.localPathStorage),
        ], runAllSiblings: true),
        Phase("show-join-command", "Show the join command", run: ShowJoinCommandPhase.run),
    ])

    /// An addon kubeadm installs that kubeadm-swift does not bundle yet: init goes on and says so plainly, since a
    /// cluster without it still serves kubectl and runs pods (Services by ClusterIP and DNS names do not resolve).
    static func notBundled(_ name: String, _ summary: String, _ addon: String) -> Phase<InitData> {
        Phase(name, summary) { data in
            data.say("[addons] Skipped addon \(addon): kubeadm-swift \(WellKnown.toolVersion) does not bundle it yet (the init/join issue #7)")
        }
    }

    /// A phase of kubeadm's tree that this version cannot perform yet. A real run stops there with a clear error;
    /// a dry run notes it and goes on, since a dry run changes nothing either way.
    static func notBuilt(_ name: String, _ summary: String, _ issue: String, parent: String? = nil) -> Phase<InitData> {
        let path = parent.map { "\($0)/\(name)" } ?? name
        return Phase(name, summary) { data in
            let error = NotBuiltError(what: "Phase \"\(path)\"", arrivesWith: issue)
            guard data.isDryRun else { throw error }
            data.say("[dryrun] Would run phase \"\(path)\", which is not built yet in this version (it arrives with \(issue))")
        }
    }
}
