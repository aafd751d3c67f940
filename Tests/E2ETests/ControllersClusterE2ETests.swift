import Foundation
import Testing

/// Issue #6's acceptance list on a real cluster (init on `cp`, `w1` joined at once and `w2` later, busybox from
/// Debian's busybox-static under two tags), driven with kubectl inside `cp`:
///
/// - a Deployment rolls out, rolls to a new image with maxUnavailable 0 / maxSurge 1 without ever having fewer
///   than 3 ready pods, lists its revisions, undoes to revision 1's ReplicaSet, and scales up and down;
/// - a DaemonSet puts one pod on each node (with the injected `matchFields metadata.name` affinity and the daemon
///   tolerations), follows a node that joins, and loses that node's pod when the Node is deleted (PodGC);
/// - deleting a Deployment removes its ReplicaSets and pods, `--cascade=orphan` keeps them without owner
///   references, and a deleted namespace is emptied and then removed;
/// - a pod too big for every node stays Pending with upstream's FailedScheduling message, and pods blocked by a
///   full or cordoned node are bound as soon as room appears;
///
/// then every host is reset and checked clean.
@Suite(.serialized, .enabled(if: TestHosts.available && FileManager.default.fileExists(atPath: "/bin/busybox")))
struct ControllersClusterE2ETests {
    static let image = WorkloadsE2ETests.image
    static let nextImage = "docker.io/library/busybox:1.37"

    @Test(.timeLimit(.minutes(6))) func workloadControllersAndSchedulerOnThreeNodes() throws {
        let started = Date()
        var marks: [String] = []
        func mark(_ phase: String) { marks.append("\(phase) \(String(format: "%.1f", Date().timeIntervalSince(started)))s") }
        var figures: [String] = []
        defer { print("ControllersClusterE2ETests timings: " + marks.joined(separator: ", ") + "; " + figures.joined(separator: "; ")) }

        let hosts = try TestHosts()
        defer { hosts.down() }
        let initRun = try TestCluster.make(hosts, workers: ["w1"])
        try TestCluster.importBusybox(hosts, into: ["cp", "w1"], references: [Self.image, Self.nextImage])
        mark("cluster")

        // Deployment: rollout, a rolling update that never drops below 3 ready pods, history, undo, scale.
        let samples = hosts.root + "/samples"
        let rollout = try hosts.exec("cp", Self.prelude + """
            kubectl apply -f - >/dev/null <<'YAML'
            \(Self.webYAML)
            YAML
            echo "created: $(kubectl rollout status deployment/web --timeout=90s 2>&1 | tail -1)"
            RS1=$(kubectl get rs -l app=web -o jsonpath='{.items[0].metadata.name}')
            HASH1=$(kubectl get rs -l app=web -o jsonpath='{.items[0].metadata.labels.pod-template-hash}')
            echo "rs1: $RS1 $HASH1"
            ( while [ ! -e \(samples).stop ]; do
                # one list: the Deployment's readyReplicas, Ready pods not terminating, each ReplicaSet's hash:spec/ready
                kubectl get deployments,rs,pods -l app=web -o json 2>/dev/null | jq -r --arg t "$(date +%T.%N | cut -c1-12)" '
                  [(.items[] | select(.kind == "Deployment") | .status.readyReplicas // 0),
                   ([.items[] | select(.kind == "Pod" and .metadata.deletionTimestamp == null)
                     | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length),
                   $t,
                   ([.items[] | select(.kind == "ReplicaSet") | "\\(.metadata.labels["pod-template-hash"]):\\(.spec.replicas)/\\(.status.readyReplicas // 0)"] | join(","))]
                  | map(tostring) | join(" ")' >> \(samples)
                sleep 0.1
              done ) &
            SAMPLER=$!
            sleep 0.5
            kubectl set image deployment/web c=\(Self.nextImage) >/dev/null
            echo "rolled: $(kubectl rollout status deployment/web --timeout=90s 2>&1 | tail -1)"
            sleep 0.5
            touch \(samples).stop; wait $SAMPLER
            echo "samples: $(wc -l < \(samples)) min-ready: $(awk 'BEGIN {m = 99} {if ($1 < m) m = $1; if ($2 < m) m = $2} END {print m}' \(samples))"
            awk '$1 < 3 || $2 < 3 {print "below: " $0}' \(samples)
            wait_for '[ "$(kubectl get pods -l app=web -o jsonpath={.items[*].spec.containers[0].image} | tr " " "\\n" | sort -u)" = \(Self.nextImage) ]'
            echo "history: $(kubectl rollout history deployment/web | awk '$1 ~ /^[0-9]+$/ {print $1}' | tr '\\n' ' ')"
            kubectl rollout undo deployment/web >/dev/null && echo "undo: ok"
            echo "undone: $(kubectl rollout status deployment/web --timeout=90s 2>&1 | tail -1)"
            echo "active-rs: $(kubectl get rs -l app=web -o jsonpath='{range .items[?(@.spec.replicas>0)]}{.metadata.name} {.metadata.labels.pod-template-hash}{end}')"
            echo "template-image: $(kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')"
            wait_for '[ "$(kubectl get pods -l app=web -o jsonpath={.items[*].spec.containers[0].image} | tr " " "\\n" | sort -u)" = \(Self.image) ]'
            echo "pod-images: $(kubectl get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}' | tr ' ' '\\n' | sort -u | tr '\\n' ' ')"
            echo "pod-hashes: $(kubectl get pods -l app=web -o jsonpath='{.items[*].metadata.labels.pod-template-hash}' | tr ' ' '\\n' | sort -u | tr '\\n' ' ')"
            echo "history-after-undo: $(kubectl rollout history deployment/web | awk '$1 ~ /^[0-9]+$/ {print $1}' | tr '\\n' ' ')"
            kubectl scale deployment/web --replicas=5 >/dev/null
            wait_for '[ "$(ready_pods app=web)" = 5 ]'
            echo "scaled-up: $(ready_pods app=web)"
            kubectl scale deployment/web --replicas=1 >/dev/null
            wait_for '[ "$(pod_count app=web)" = 1 ] && [ "$(ready_pods app=web)" = 1 ]'
            wait_for '[ "$(kubectl get deployment web -o jsonpath={.status.replicas}/{.status.readyReplicas})" = 1/1 ]'
            echo "scaled-down: $(pod_count app=web) pods, status $(kubectl get deployment web -o jsonpath='{.status.replicas}/{.status.readyReplicas}')"
            """)
        mark("deployment")
        var out = rollout.stdout
        #expect(!out.contains("timeout:"), "\(rollout.combined)")
        #expect(out.contains("created: deployment \"web\" successfully rolled out"), "\(rollout.combined)")
        #expect(out.contains("rolled: deployment \"web\" successfully rolled out"), "\(out)")
        figures.append("rolling update: " + (out.split(separator: "\n").first { $0.hasPrefix("samples: ") } ?? ""))
        let firstRS = Self.value(out, "rs1")
        #expect(firstRS.split(separator: " ").count == 2, "\(out)")
        #expect(out.range(of: #"samples: [1-9][0-9]* min-ready: 3\n"#, options: .regularExpression) != nil,
                "maxUnavailable 0: never fewer than 3 ready pods during the rolling update: \(out)")
        #expect(out.contains("history: 1 2 \n"), "\(out)")
        #expect(out.contains("undo: ok"), "\(rollout.combined)")
        #expect(out.contains("undone: deployment \"web\" successfully rolled out"), "\(out)")
        #expect(Self.value(out, "active-rs") == firstRS, "undo scales revision 1's ReplicaSet back up: \(out)")
        #expect(out.contains("template-image: \(Self.image)\n"), "\(out)")
        #expect(out.contains("pod-images: \(Self.image) \n"), "\(out)")
        #expect(Self.value(out, "pod-hashes").trimmingCharacters(in: .whitespaces) == String(firstRS.split(separator: " ").last ?? ""), "\(out)")
        #expect(out.contains("history-after-undo: 2 3 \n"), "revision 1 becomes revision 3: \(out)")
        #expect(out.contains("scaled-up: 5\n"), "\(out)")
        #expect(out.contains("scaled-down: 1 pods, status 1/1\n"), "\(out)")

        // DaemonSet: one pod per node, with the daemon affinity and tolerations; a joining node gets its pod.
        let daemons = try hosts.exec("cp", Self.prelude + """
            kubectl apply -f - >/dev/null <<'YAML'
            \(Self.agentYAML)
            YAML
            wait_for '[ "$(ready_pods app=agent)" = 2 ]'
            echo "daemon-nodes: $(kubectl get pods -l app=agent -o jsonpath='{.items[*].spec.nodeName}' | tr ' ' '\\n' | sort | tr '\\n' ' ')"
            kubectl get pods -l app=agent -o json | jq -r '.items[] | "affinity: \\(.spec.nodeName) \\(.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms | tojson)"'
            kubectl get pods -l app=agent -o json | jq -r '.items[0].spec.tolerations | map("\\(.key):\\(.operator):\\(.effect)") | sort | "tolerations: " + join(" ")'
            """)
        out = daemons.stdout
        #expect(!out.contains("timeout:"), "\(daemons.combined)")
        #expect(out.contains("daemon-nodes: cp w1 \n"), "\(out)")
        for node in ["cp", "w1"] {
            #expect(out.contains(#"affinity: \#(node) [{"matchFields":[{"key":"metadata.name","operator":"In","values":["\#(node)"]}]}]"#), "\(out)")
        }
        let tolerations = Self.value(out, "tolerations").split(separator: " ").map(String.init)
        for expected in ["node-role.kubernetes.io/control-plane:Exists:NoSchedule", "node.kubernetes.io/not-ready:Exists:NoExecute",
                         "node.kubernetes.io/unreachable:Exists:NoExecute", "node.kubernetes.io/disk-pressure:Exists:NoSchedule",
                         "node.kubernetes.io/memory-pressure:Exists:NoSchedule", "node.kubernetes.io/pid-pressure:Exists:NoSchedule",
                         "node.kubernetes.io/unschedulable:Exists:NoSchedule"] {
            #expect(tolerations.contains(expected), "daemon toleration \(expected): \(out)")
        }
        mark("daemonset")

        try hosts.up("w2", TestCluster.addresses["w2"] ?? "10.213.0.22")
        try TestCluster.importBusybox(hosts, into: ["w2"], references: [Self.image, Self.nextImage])
        let join = try hosts.exec("w2", "$KS join \(TestCluster.joinArguments(initRun.stdout))")
        #expect(join.status == 0, "\(join.combined)")
        let joined = try hosts.exec("cp", Self.prelude + """
            wait_for '[ "$(ready_pods app=agent)" = 3 ]'
            echo "daemon-nodes: $(kubectl get pods -l app=agent -o jsonpath='{.items[*].spec.nodeName}' | tr ' ' '\\n' | sort | tr '\\n' ' ')"
            echo "w2-pod: $(kubectl get pods -l app=agent --field-selector spec.nodeName=w2 -o jsonpath='{.items[*].metadata.name}')"
            kubectl delete node w2 >/dev/null && echo "node w2 deleted"
            date +%s > \(hosts.root)/w2-deleted
            """)
        out = joined.stdout
        #expect(!out.contains("timeout:"), "\(joined.combined)")
        #expect(out.contains("daemon-nodes: cp w1 w2 \n"), "the joined node gets a daemon pod: \(out)")
        let w2Pod = Self.value(out, "w2-pod")
        #expect(!w2Pod.isEmpty && out.contains("node w2 deleted"), "\(joined.combined)")
        mark("join")

        // Garbage collection: cascading deletion, orphaning, namespace deletion (PodGC's 40 s quarantine for w2 runs
        // meanwhile).
        let collected = try hosts.exec("cp", Self.prelude + """
            kubectl apply -f - >/dev/null <<'YAML'
            \(Self.collectedYAML)
            YAML
            for d in gone orphan; do kubectl rollout status deployment/$d --timeout=60s >/dev/null 2>&1 || echo "timeout: $d"; done
            kubectl -n doomed rollout status deployment/d --timeout=60s >/dev/null 2>&1 || echo "timeout: doomed"
            echo "before: $(kubectl get rs,pods -l app=gone -o name | wc -l) $(kubectl get rs,pods -l app=orphan -o name | wc -l)"
            kubectl delete deployment gone >/dev/null
            wait_for '[ -z "$(kubectl get rs,pods -l app=gone -o name)" ]'
            echo "gone-left: $(kubectl get deployments,rs,pods -l app=gone -o name | wc -l)"
            kubectl delete deployment orphan --cascade=orphan >/dev/null
            wait_for '! kubectl get deployment orphan'
            sleep 2
            echo "orphan-rs: $(kubectl get rs -l app=orphan -o json | jq -c '[.items[] | .metadata.ownerReferences // []]')"
            echo "orphan-pods: $(kubectl get pods -l app=orphan -o json | jq -c '[.items[] | select(.metadata.deletionTimestamp == null) | .metadata.ownerReferences[0].kind]')"
            kubectl delete rs -l app=orphan >/dev/null
            wait_for '[ -z "$(kubectl get pods -l app=orphan -o name)" ]'
            echo "orphan-left: $(kubectl get rs,pods -l app=orphan -o name | wc -l)"
            echo "doomed-before: $(kubectl get deployments,rs,pods,configmaps -n doomed -o name | grep -c -e deployment -e replicaset -e pod/ -e configmap/settings)"
            kubectl delete namespace doomed --wait=false >/dev/null
            wait_for '! kubectl get namespace doomed'
            echo "doomed-left: $(kubectl get deployments,rs,pods,configmaps -n doomed -o name 2>/dev/null | wc -l) $(kubectl get namespace doomed 2>&1 | grep -c NotFound)"
            """)
        out = collected.stdout
        mark("gc")
        #expect(!out.contains("timeout:"), "\(collected.combined)")
        #expect(out.contains("before: 3 3\n"), "\(out)")
        #expect(out.contains("gone-left: 0\n"), "\(out)")
        #expect(out.contains("orphan-rs: [[]]\n"), "--cascade=orphan keeps the ReplicaSet without owner references: \(out)")
        #expect(out.contains(#"orphan-pods: ["ReplicaSet","ReplicaSet"]"#), "and its pods: \(out)")
        #expect(out.contains("orphan-left: 0\n"), "\(out)")
        #expect(out.contains("doomed-before: 4\n"), "\(out)")
        #expect(out.contains("doomed-left: 0 1\n"), "\(out)")

        // Scheduling: an impossible pod, a pod waiting for cpu, a pod waiting for an uncordoned node.
        let scheduling = try hosts.exec("cp", Self.prelude + """
            failed_scheduling() { kubectl get events -o json | jq -r --arg n "$1" '[.items[] | select(.involvedObject.name == $n and .reason == "FailedScheduling")] | last | .message // empty'; }
            bound_after() { local t0=$(date +%s%N); wait_for "[ -n \\"\\$(kubectl get pod $1 -o jsonpath={.spec.nodeName})\\" ]" 30; echo "$1 on $(kubectl get pod $1 -o jsonpath={.spec.nodeName}) after $(( ($(date +%s%N) - t0) / 1000000 )) ms"; }
            echo "nodes: $(kubectl get nodes --no-headers | wc -l)"
            ALLOC=$(kubectl get node w1 -o jsonpath='{.status.allocatable.cpu}')
            case $ALLOC in *m) MILLI=${ALLOC%m};; *) MILLI=$((ALLOC * 1000));; esac
            sed -e "s/BLOCKER/$((MILLI * 3 / 4))m/" -e "s/WAITER/$((MILLI / 2))m/" <<'YAML' | kubectl apply -f - >/dev/null
            \(Self.schedulingYAML)
            YAML
            wait_for '[ -n "$(failed_scheduling huge)" ]'
            echo "huge: $(kubectl get pod huge -o jsonpath={.status.phase}) $(failed_scheduling huge)"
            echo "huge-condition: $(kubectl get pod huge -o jsonpath='{.status.conditions[?(@.type=="PodScheduled")].reason}')"
            wait_for '[ "$(kubectl get pod blocker -o jsonpath={.status.phase})" = Running ]'
            sed "s/WAITER/$((MILLI / 2))m/" <<'YAML' | kubectl apply -f - >/dev/null
            \(Self.waiterYAML)
            YAML
            wait_for '[ -n "$(failed_scheduling waiter)" ]'
            echo "waiter: $(kubectl get pod waiter -o jsonpath={.status.phase}) $(failed_scheduling waiter)"
            kubectl delete pod blocker >/dev/null
            echo "freed: $(bound_after waiter)"
            kubectl cordon cp w1 >/dev/null
            kubectl apply -f - >/dev/null <<'YAML'
            \(Self.cordonedYAML)
            YAML
            wait_for '[ -n "$(failed_scheduling cordoned)" ]'
            echo "cordoned: $(kubectl get pod cordoned -o jsonpath={.status.phase}) $(failed_scheduling cordoned)"
            kubectl uncordon w1 >/dev/null
            echo "uncordoned: $(bound_after cordoned)"
            kubectl uncordon cp >/dev/null
            """)
        out = scheduling.stdout
        mark("scheduling")
        #expect(!out.contains("timeout:"), "\(scheduling.combined)")
        let nodes = Self.value(out, "nodes")
        #expect(out.contains("huge: Pending 0/\(nodes) nodes are available: "), "\(out)")
        #expect(Self.value(out, "huge").contains("\(nodes) Insufficient cpu"), "\(out)")
        #expect(out.contains("huge-condition: Unschedulable\n"), "\(out)")
        #expect(out.contains("waiter: Pending 0/\(nodes) nodes are available: 1 Insufficient cpu"), "\(out)")
        #expect(out.range(of: #"freed: waiter on w1 after [0-9]+ ms"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("cordoned: Pending 0/\(nodes) nodes are available: \(nodes) node(s) were unschedulable"), "\(out)")
        #expect(out.range(of: #"uncordoned: cordoned on w1 after [0-9]+ ms"#, options: .regularExpression) != nil, "\(out)")
        figures += ["freed: " + Self.value(out, "freed"), "uncordoned: " + Self.value(out, "uncordoned")]
        for line in ["freed", "uncordoned"] {
            let milliseconds = Int(Self.value(out, line).split(separator: " ").dropLast().last ?? "") ?? .max
            // Released at once, then at most the pod's back-off (1 s doubling to 10 s, as upstream), not the 5 min a
            // parked pod waits without a cluster change.
            #expect(milliseconds < 10_000, "\(line): bound within 10 s of room appearing: \(out)")
        }

        // The deleted node's daemon pod goes once PodGC's quarantine ends; then everything is deleted.
        let cleanup = try hosts.exec("cp", Self.prelude + """
            wait_for '[ -z "$(kubectl get pods -l app=agent --field-selector spec.nodeName=w2 -o name)" ]' 75
            echo "w2-pod-gone: $(kubectl get pod \(w2Pod) 2>&1 | grep -c NotFound) after $(( $(date +%s) - $(cat \(hosts.root)/w2-deleted) ))s"
            echo "daemon-nodes: $(kubectl get pods -l app=agent -o jsonpath='{.items[*].spec.nodeName}' | tr ' ' '\\n' | sort | tr '\\n' ' ')"
            kubectl delete deployment web >/dev/null; kubectl delete daemonset agent >/dev/null
            kubectl delete pods --all --grace-period=1 --wait=true --timeout=90s >/dev/null 2>&1
            wait_for '[ -z "$(kubectl get pods,rs,controllerrevisions -o name)" ]'
            echo "left: $(kubectl get deployments,daemonsets,rs,pods -o name | wc -l)"
            """)
        out = cleanup.stdout
        mark("cleanup")
        #expect(!out.contains("timeout:"), "\(cleanup.combined)")
        #expect(out.contains("w2-pod-gone: 1 after"), "\(out)")
        figures.append("w2-pod-gone: " + Self.value(out, "w2-pod-gone"))
        #expect(out.contains("daemon-nodes: cp w1 \n"), "\(out)")
        #expect(out.contains("left: 0\n"), "\(out)")

        try TestCluster.resetClean(hosts, ["w2", "w1", "cp"])
        mark("reset")
    }

    /// The text after `name: ` on the line that starts with it.
    static func value(_ output: String, _ name: String) -> String {
        output.split(separator: "\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) } ?? ""
    }

    /// `wait_for CONDITION [SECONDS]` (prints `timeout: ...` on failure), `ready_pods SELECTOR` (Ready and not
    /// terminating, as controllers count them), `pod_count SELECTOR`.
    static let prelude = """
        wait_for() { for i in $(seq $(( ${2:-60} * 5 ))); do eval "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "timeout: $1"; return 1; }
        ready_pods() { kubectl get pods -l "$1" -o json | jq '[.items[] | select(.metadata.deletionTimestamp == null) | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length'; }
        pod_count() { kubectl get pods -l "$1" -o json | jq '.items | length'; }

        """

    static let webYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, labels: {app: web}}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: c
                image: \(image)
                command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]
                readinessProbe: {exec: {command: ["cat", "/tmp/ready"]}, periodSeconds: 1}
        """

    static let agentYAML = WorkloadsE2ETests.agentYAML

    static let collectedYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: gone}
        spec:
          replicas: 2
          selector: {matchLabels: {app: gone}}
          template:
            metadata: {labels: {app: gone}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: c, image: \(image), command: ["sleep", "3600"]}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: orphan}
        spec:
          replicas: 2
          selector: {matchLabels: {app: orphan}}
          template:
            metadata: {labels: {app: orphan}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: c, image: \(image), command: ["sleep", "3600"]}]
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: doomed}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: doomed}
        data: {a: b}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: doomed}
        spec:
          replicas: 1
          selector: {matchLabels: {app: d}}
          template:
            metadata: {labels: {app: d}}
            spec:
              terminationGracePeriodSeconds: 1
              containers: [{name: c, image: \(image), command: ["sleep", "3600"]}]
        """

    /// `huge` fits no node; `blocker` takes three quarters of w1's cpu (BLOCKER).
    static let schedulingYAML = """
        apiVersion: v1
        kind: Pod
        metadata: {name: huge}
        spec:
          tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
          containers: [{name: c, image: \(image), command: ["sleep", "3600"], resources: {requests: {cpu: "1000"}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: blocker}
        spec:
          terminationGracePeriodSeconds: 1
          nodeSelector: {kubernetes.io/hostname: w1}
          containers: [{name: c, image: \(image), command: ["sleep", "3600"], resources: {requests: {cpu: BLOCKER}}}]
        """

    /// Half of w1's cpu (WAITER), on w1 only: fits once `blocker` is gone.
    static let waiterYAML = """
        apiVersion: v1
        kind: Pod
        metadata: {name: waiter}
        spec:
          terminationGracePeriodSeconds: 1
          nodeSelector: {kubernetes.io/hostname: w1}
          containers: [{name: c, image: \(image), command: ["sleep", "3600"], resources: {requests: {cpu: WAITER}}}]
        """

    static let cordonedYAML = """
        apiVersion: v1
        kind: Pod
        metadata: {name: cordoned}
        spec:
          terminationGracePeriodSeconds: 1
          tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
          containers: [{name: c, image: \(image), command: ["sleep", "3600"]}]
        """
}
