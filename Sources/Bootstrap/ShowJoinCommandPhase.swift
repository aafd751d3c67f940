import Foundation
import Manifests
import PKI

/// `show-join-command`: kubeadm's success message (kubeadm.md section 1.3) with `kubeadm-swift join`.
enum ShowJoinCommandPhase {
    @Sendable static func run(_ data: InitData) async throws {
        let s = data.settings
        let ca = try CAFiles.load(pkiDir: data.writePaths.pkiDir, shownDir: data.realPaths.pkiDir)
        let endpoint = s.controlPlaneURL.replacingOccurrences(of: "https://", with: "")
        let hash = caCertHash(ca.certificate)
        let adminConf = data.kubeconfigDisplayDir + "/admin.conf"
        var lines = [
            "Your Kubernetes control-plane has initialized successfully!",
            "",
            "To start using your cluster, you need to run the following as a regular user:",
            "",
            "  mkdir -p $HOME/.kube",
            "  sudo cp -i \(adminConf) $HOME/.kube/config",
            "  sudo chown $(id -u):$(id -g) $HOME/.kube/config",
            "",
            "Alternatively, if you are the root user, you can run:",
            "",
            "  export KUBECONFIG=\(adminConf)",
            "",
            "You should now deploy a pod network to the cluster.",
            "Run \"kubectl apply -f [podnetwork].yaml\" with one of the options listed at:",
            "  https://kubernetes.io/docs/concepts/cluster-administration/addons/",
            "",
        ]
        for token in s.bootstrapTokens {
            lines += ["Then you can join any number of worker nodes by running the following on each as root:", "",
                      joinCommand(endpoint: endpoint, token: token.token.description, hashes: [hash], multiline: true), ""]
        }
        if s.bootstrapTokens.isEmpty {
            lines += ["No bootstrap token was configured; create one with 'kubeadm-swift token create --print-join-command'."]
        }
        data.say(lines.joined(separator: "\n"))
    }

    /// kubeadm's join command template; `multiline` adds the backslash-newline-tab breaks of init's message.
    static func joinCommand(endpoint: String, token: String, hashes: [String], multiline: Bool) -> String {
        let separator = multiline ? " \\\n\t" : " "
        return "kubeadm-swift join \(endpoint) --token \(token)" + hashes.map { "\(separator)--discovery-token-ca-cert-hash \($0)" }.joined()
    }
}
