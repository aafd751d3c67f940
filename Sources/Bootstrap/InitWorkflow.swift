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
        notBuilt("wait-control-plane", "Wait for the control plane to start", "the kubelet and kube-apiserver issues (#5, #4)"),
        Phase("upload-config", "Upload kubeadm and kubelet configuration", children: [
            notBuilt("kubeadm", "Upload the kubeadm-config ConfigMap", "the kube-apiserver issue (#4)", parent: "upload-config"),
            notBuilt("kubelet", "Upload the kubelet-config ConfigMap", "the kube-apiserver issue (#4)", parent: "upload-config"),
        ], runAllSiblings: true),
        Phase("upload-certs", "Upload certificates to kubeadm-certs") { data in
            data.say("[upload-certs] Skipping phase. Please see --upload-certs")
        },
        notBuilt("mark-control-plane", "Mark a node as a control-plane", "the kube-apiserver issue (#4)"),
        notBuilt("bootstrap-token", "Create bootstrap tokens and cluster-info", "the kube-apiserver issue (#4)"),
        notBuilt("kubelet-finalize", "Point kubelet.conf at the rotated certificate", "the kubelet issue (#5)"),
        Phase("addon", "Install the CoreDNS and kube-proxy addons", children: [
            notBuilt("coredns", "Install the CoreDNS addon", "the init/join end-to-end issue (#7)", parent: "addon"),
            notBuilt("kube-proxy", "Install the kube-proxy addon", "the init/join end-to-end issue (#7)", parent: "addon"),
        ], runAllSiblings: true),
        notBuilt("show-join-command", "Show the join command", "the bootstrap-token phase (#4)"),
    ])

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
