import Foundation
import Testing

/// `kubeadm-swift init` for real, in a test host: the host kubelet runs the bundled control plane as static pods
/// with runc; kubectl (run inside the host: the API address exists only there) sees a Ready control-plane node;
/// `reset` then leaves no process, mount, cgroup, netns or file of the cluster behind.
@Suite(.serialized, .enabled(if: TestHosts.available))
struct InitClusterE2ETests {
    @Test func initMakesAReadyControlPlaneAndResetLeavesNothing() throws {
        let hosts = try TestHosts()
        defer { hosts.down() }
        try hosts.up("cp", "10.213.0.11")

        let initRun = try hosts.exec("cp", "$KS init")
        #expect(initRun.status == 0, "\(initRun.combined)")
        #expect(initRun.stdout.contains("[kubelet-check] The kubelet is healthy after"))
        #expect(initRun.stdout.contains("[control-plane-check] kube-apiserver is healthy after"))
        #expect(initRun.stdout.contains("Your Kubernetes control-plane has initialized successfully!"))
        #expect(initRun.stdout.contains("kubeadm-swift join 10.213.0.11:6443 --token "))
        #expect(initRun.stdout.contains("--discovery-token-ca-cert-hash sha256:"))
        guard initRun.status == 0 else { return }

        let cluster = try hosts.exec("cp", """
            for i in $(seq 120); do
              kubectl get node cp -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True && break
              sleep 0.5
            done
            kubectl get nodes --no-headers
            kubectl get node cp -o jsonpath='{.spec.taints[*].key}{"\\n"}{.metadata.labels}{"\\n"}'
            for i in $(seq 120); do
              [ "$(kubectl get pods -n kube-system --no-headers 2>/dev/null | grep -c '1/1 *Running')" = 3 ] && break
              sleep 0.5
            done
            kubectl get pods -n kube-system --no-headers
            kubectl get configmap -n kube-system kubeadm-config kubelet-config --no-headers
            kubectl get configmap -n kube-public cluster-info -o jsonpath='{.data.kubeconfig}' | grep -c certificate-authority-data
            kubectl get secret -n kube-system -o name | grep -c bootstrap-token-
            """)
        let out = cluster.stdout
        #expect(out.range(of: #"cp +Ready +control-plane"#, options: .regularExpression) != nil, "\(cluster.combined)")
        #expect(out.contains("node-role.kubernetes.io/control-plane\n"), "the control-plane NoSchedule taint: \(out)")
        #expect(out.contains("node.kubernetes.io/exclude-from-external-load-balancers"))
        for component in ["kube-apiserver-cp", "kube-controller-manager-cp", "kube-scheduler-cp"] {
            #expect(out.contains(component), "mirror pod \(component): \(out)")
        }
        #expect(out.contains("kubeadm-config") && out.contains("kubelet-config"))

        let reset = try hosts.exec("cp", "$KS reset -f")
        #expect(reset.status == 0, "\(reset.combined)")
        #expect(reset.stdout.contains("[reset] Removed the kubelet process"))
        let residue = try hosts.exec("cp", Self.residueCheck)
        #expect(residue.stdout == "", "reset left this behind:\n\(residue.stdout)\(residue.stderr)")
    }

    /// Prints anything of the cluster still on the host: processes, mounts, cgroups, pod netns, links, iptables
    /// chains and files under the node paths. Empty output = clean.
    static let residueCheck = """
        for p in $(ls /proc | grep -E '^[0-9]+$'); do
          argv=$(tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null | cut -d' ' -f1-2)
          case "$argv" in *kubeadm-swift\\ kube*|*/runc\\ *|runc\\ *) echo "process $p: $argv";; esac
        done
        grep -E ' (/var/lib/kubelet|/var/lib/kubeadm-swift|/run/kubeadm-swift)/' /proc/self/mountinfo | awk '{print "mount " $5}'
        find /sys/fs/cgroup -maxdepth 3 -name kubepods 2>/dev/null | sed 's/^/cgroup /'
        ls /run/kubeadm-swift/netns 2>/dev/null | sed 's/^/netns /'
        ip -o link | awk -F': ' '{print $2}' | grep -vE '^(lo|eth0@.*)$' | sed 's/^/link /'
        iptables-save 2>/dev/null | grep -E '^:(CNI|KUBE)' | sed 's/^/iptables /'
        find /etc/kubernetes /var/lib/kubelet /var/lib/kubeadm-swift /run/kubeadm-swift /var/log/pods /var/log/kubeadm-swift \\
          -mindepth 1 2>/dev/null | sed 's/^/file /'
        """
}
