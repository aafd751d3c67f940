import Foundation
import Testing

/// `kubeadm-swift init` and `join` for real, in test hosts: the host kubelet runs the bundled control plane as static
/// pods with runc; kubectl (run inside the hosts: their addresses exist only there) sees a Ready control-plane node
/// and a worker that joined through token discovery and TLS bootstrap; `reset` then leaves no process, mount,
/// cgroup, netns or file of the cluster behind on either host.
@Suite(.serialized, .enabled(if: TestHosts.available))
struct InitClusterE2ETests {
    @Test func initAndJoinMakeAReadyClusterAndResetLeavesNothing() throws {
        let hosts = try TestHosts()
        defer { hosts.down() }
        try hosts.up("cp", "10.213.0.11")
        try hosts.up("w1", "10.213.0.21")

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

        // Running init again fails in preflight and names what is in the way.
        let again = try hosts.exec("cp", "$KS init")
        #expect(again.status == 2, "\(again.combined)")
        #expect(again.stderr.contains("/etc/kubernetes/manifests/kube-apiserver.yaml already exists"), "\(again.stderr)")

        // Joins that cannot work fail with the reason and write nothing on the joining host.
        let hash = initRun.stdout.components(separatedBy: "--discovery-token-ca-cert-hash ").last?.prefix(71).description ?? ""
        let initToken = TestCluster.joinArguments(initRun.stdout).split(separator: " ").drop { $0 != "--token" }.dropFirst().first.map(String.init) ?? ""
        let failures = try hosts.exec("w1", """
            printf 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ntimeouts:\n  discovery: 3s\n' > /tmp/join-fast.yaml
            echo "== wrong-hash"; $KS join 10.213.0.11:6443 --token \(initToken) \
              --discovery-token-ca-cert-hash sha256:\(String(repeating: "0", count: 64)) 2>&1; echo "rc=$?"
            echo "== wrong-token"; $KS join 10.213.0.11:6443 --config /tmp/join-fast.yaml --token abcdef.0123456789abcdef \
              --discovery-token-ca-cert-hash \(hash) 2>&1; echo "rc=$?"
            echo "== unreachable"; $KS join 10.213.0.99:6443 --config /tmp/join-fast.yaml --token abcdef.0123456789abcdef \
              --discovery-token-ca-cert-hash \(hash) 2>&1; echo "rc=$?"
            rm -f /tmp/join-fast.yaml
            echo "files: $(find /etc/kubernetes /var/lib/kubelet -mindepth 1 2>/dev/null | wc -l)"
            """)
        let failed = failures.stdout
        #expect(failed.contains("none of the public keys"), "wrong CA hash: \(failed)")
        #expect(failed.contains("does not yet contain a JWS signature for token ID \"abcdef\""), "wrong token: \(failed)")
        #expect(failed.contains("token create --print-join-command"), "says what to do: \(failed)")
        #expect(failed.contains("abort connecting to API servers after timeout of 3s"), "unreachable: \(failed)")
        #expect(!failed.contains("rc=0"), "\(failed)")
        #expect(failed.contains("files: 0"), "a failed join writes nothing: \(failed)")

        // A second token made with `token create --print-join-command`; the worker joins with it, then init's is deleted.
        let tokens = try hosts.exec("cp", """
            $KS token create --print-join-command --ttl 1h --description e2e
            $KS token list
            """)
        let joinLine = tokens.stdout.split(separator: "\n").first { $0.hasPrefix("kubeadm-swift join ") }.map(String.init) ?? ""
        #expect(joinLine.contains("--discovery-token-ca-cert-hash sha256:"), "\(tokens.combined)")
        #expect(tokens.stdout.contains("TOKEN") && tokens.stdout.contains("EXTRA GROUPS"))
        #expect(tokens.stdout.contains("The default bootstrap token generated by 'kubeadm init'."), "\(tokens.stdout)")
        #expect(tokens.stdout.contains("authentication,signing"))
        #expect(tokens.stdout.contains(" e2e "), "\(tokens.stdout)")
        let join = try hosts.exec("w1", "$KS " + joinLine.dropFirst("kubeadm-swift ".count))
        let deleted = try hosts.exec("cp", "$KS token delete \(initToken) && $KS token list | grep -c 'kubeadm init'")
        #expect(deleted.stdout.contains("bootstrap token \"\(initToken.prefix(6))\" deleted"), "\(deleted.combined)")
        #expect(deleted.stdout.hasSuffix("0\n"), "\(deleted.combined)")
        #expect(join.status == 0, "\(join.combined)")
        #expect(join.stdout.contains("This node has joined the cluster:"))
        #expect(join.stdout.contains("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap"))
        let joined = try hosts.exec("cp", """
            for i in $(seq 120); do
              kubectl get node w1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True && break
              sleep 0.5
            done
            kubectl get nodes --no-headers
            kubectl get csr --no-headers
            kubectl logs -n kube-system kube-scheduler-cp | grep -c 'serving health checks'
            """)
        #expect(joined.stdout.range(of: #"w1 +Ready +<none>"#, options: .regularExpression) != nil, "\(joined.combined)")
        #expect(joined.stdout.contains("kubernetes.io/kube-apiserver-client-kubelet"), "the worker's bootstrap CSR: \(joined.stdout)")
        #expect(joined.stdout.contains("Approved,Issued"))
        #expect(joined.stdout.hasSuffix("1\n"), "kubectl logs reaches the kubelet API on :10250: \(joined.combined)")
        let workerFiles = try hosts.exec("w1", """
            test -f /etc/kubernetes/bootstrap-kubelet.conf && echo bootstrap-conf-left
            stat -L -c '%a %n' /etc/kubernetes/kubelet.conf /var/lib/kubelet/pki/kubelet-client-current.pem
            grep -c 'client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem' /etc/kubernetes/kubelet.conf
            """)
        #expect(!workerFiles.stdout.contains("bootstrap-conf-left"), "join removes bootstrap-kubelet.conf")
        #expect(workerFiles.stdout.contains("600 /etc/kubernetes/kubelet.conf"), "\(workerFiles.combined)")
        #expect(workerFiles.stdout.contains("600 /var/lib/kubelet/pki/kubelet-client-current.pem"))

        // kill -9 of the API server's container: the kubelet restarts it and kubectl works again, nothing lost.
        let killed = try hosts.exec("cp", """
            pid=$(for p in $(ls /proc | grep -E '^[0-9]+$'); do
              grep -E '(:pids:|^0::)' /proc/$p/cgroup 2>/dev/null | grep -q '/\\.\\.' && continue
              [ "$(tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null | cut -d' ' -f1-2)" = "kubeadm-swift kube-apiserver" ] && echo $p
            done | head -1)
            [ -n "$pid" ] && kill -9 $pid && echo killed
            start=$(date +%s)
            sleep 1
            for i in $(seq 120); do kubectl get nodes >/dev/null 2>&1 && break; sleep 0.25; done
            echo "back after $(( $(date +%s) - start ))s"
            kubectl get nodes --no-headers | grep -c ' Ready '
            kubectl get secret -n kube-system -o name | grep -c bootstrap-token-
            """)
        #expect(killed.stdout.contains("killed"), "\(killed.combined)")
        #expect(killed.stdout.range(of: #"back after ([0-9]|1[0-9])s"#, options: .regularExpression) != nil, "\(killed.combined)")
        #expect(killed.stdout.hasSuffix("2\n1\n"), "both nodes and the created token survive: \(killed.combined)")

        for host in ["w1", "cp"] {
            let reset = try hosts.exec(host, "$KS reset -f")
            #expect(reset.status == 0, "\(host): \(reset.combined)")
            #expect(reset.stdout.contains("[reset] Removed the kubelet process"))
            let residue = try hosts.exec(host, Self.residueCheck)
            #expect(residue.stdout == "", "reset left this behind on \(host):\n\(residue.stdout)\(residue.stderr)")
        }
    }

    /// Prints anything of the cluster still on the host: processes, mounts, cgroups, pod netns, links, iptables
    /// chains and files under the node paths. Empty output = clean.
    static let residueCheck = """
        for p in $(ls /proc | grep -E '^[0-9]+$'); do
          # test hosts share the machine's PID namespace: only processes in this host's cgroups are its own
          grep -E '(:pids:|^0::)' /proc/$p/cgroup 2>/dev/null | grep -q '/\\.\\.' && continue
          argv=$(tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null | cut -d' ' -f1-2)
          case "$argv" in *kubeadm-swift\\ kube*|*/runc\\ *|runc\\ *) echo "process $p: $argv";; esac
        done
        grep -E ' (/var/lib/kubelet|/var/lib/kubeadm-swift|/run/kubeadm-swift)/' /proc/self/mountinfo | awk '{print "mount " $5}'
        find /sys/fs/cgroup -maxdepth 3 -name kubepods 2>/dev/null | sed 's/^/cgroup /'
        ls /run/kubeadm-swift/netns 2>/dev/null | sed 's/^/netns /'
        ip -o link | awk -F': ' '{print $2}' | grep -vE '^(lo|eth0@.*)$' | sed 's/^/link /'
        ip route show proto 201 | sed 's/^/route /'
        ip -o addr | grep -v -E ' (lo|eth0) ' | sed 's/^/address /'
        iptables-save 2>/dev/null | grep -E '^:(CNI|KUBE)' | sed 's/^/iptables /'
        find /etc/kubernetes /var/lib/kubelet /var/lib/kubeadm-swift /run/kubeadm-swift /var/log/pods /var/log/kubeadm-swift \\
          -mindepth 1 2>/dev/null | sed 's/^/file /'
        """
}
