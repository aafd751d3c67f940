#!/usr/bin/env bash
# kubectl-cluster-more.sh: the items of the compatibility list (reference/apiserver.md section 14) that
# kubectl-cluster.sh and kubectl-basics.sh do not exercise, on a whole cluster. Our own script (not a shared copy).
#
#   KUBECONFIG=/etc/kubernetes/admin.conf IMAGE=busybox:local SERVER=https://10.213.0.11:6443 DRAIN_NODE=w1 \
#     KS=/path/to/kubeadm-swift kubectl-cluster-more.sh
#
# Ends with "N passed, M failed"; exit 1 on failure.
set -u
: "${KUBECONFIG:?}" "${IMAGE:?}" "${SERVER:?}" "${DRAIN_NODE:?}" "${KS:?}"
export KUBECONFIG
CACHE=$(mktemp -d)
WORK=$(mktemp -d)
NS="kcm-$$"
K() { kubectl --cache-dir "$CACHE" --request-timeout=30s -n "$NS" "$@"; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
expect_ok() { local n=$1; shift; local out; if out=$("$@" 2>&1); then ok "$n"; else ko "$n" "$(echo "$out" | tail -n 2 | tr '\n' ' ')"; fi; }
expect_grep() { local n=$1 pat=$2; shift 2; local out; out=$("$@" 2>&1); if echo "$out" | grep -Eq -- "$pat"; then ok "$n"; else ko "$n" "output: $(echo "$out" | head -c 300 | tr '\n' ' ')"; fi; }
expect_code() { local n=$1 want=$2; shift 2; "$@" >/dev/null 2>&1; local rc=$?; if [ "$rc" = "$want" ]; then ok "$n"; else ko "$n" "exit $rc, want $want"; fi; }
cleanup() { kubectl uncordon "$DRAIN_NODE" >/dev/null 2>&1; kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1; rm -rf "$CACHE" "$WORK"; }
trap cleanup EXIT

deploy() { # name image
  cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, labels: {app: $1}}
spec:
  replicas: 2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: "$2", command: [sleep, "3600"]}]
YAML
}

kubectl create namespace "$NS" >/dev/null
deploy web "$IMAGE" >"$WORK/web.yaml"
sed 's/sleep, "3600"/sleep, "3601"/' "$WORK/web.yaml" >"$WORK/web2.yaml"
expect_grep "apply creates" "deployment.apps/web created" K apply -f "$WORK/web.yaml"
expect_grep "apply configures a change" "deployment.apps/web configured" K apply -f "$WORK/web2.yaml"
expect_grep "apply of the same file is unchanged" "deployment.apps/web unchanged" K apply -f "$WORK/web2.yaml"
expect_ok   "rollout status" K rollout status deploy/web --timeout=120s
expect_code "diff shows a difference (exit 1)" 1 K diff -f "$WORK/web.yaml"
expect_grep "diff prints the changed line" "3600" K diff -f "$WORK/web.yaml"
expect_grep "set image" "deployment.apps/web image updated" K set image deploy/web c="$IMAGE-renamed"
expect_grep "set image changed the template" "$IMAGE-renamed" K get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'
expect_grep "edit with an editor" "deployment.apps/web edited" env KUBE_EDITOR="sed -i s/$IMAGE-renamed/$IMAGE/" kubectl --cache-dir "$CACHE" -n "$NS" edit deploy/web
expect_ok   "rollout status after edit" K rollout status deploy/web --timeout=120s
expect_grep "server-side apply conflicts with the client-side applier" 'conflict with "kubectl-client-side-apply"' K apply --server-side --field-manager=ssa-test -f "$WORK/web.yaml"
expect_grep "server-side apply --force-conflicts" "serverside-applied" K apply --server-side --field-manager=ssa-test --force-conflicts -f "$WORK/web.yaml"
expect_grep "forced apply took the field" "3600" K get deploy web -o jsonpath='{.spec.template.spec.containers[0].command}' 
expect_grep "get --sort-by" "web-" K get pods --sort-by=.metadata.name -o name
expect_grep "describe deployment" "Replicas:" K describe deploy web
expect_grep "describe node" "Allocatable:" kubectl --cache-dir "$CACHE" describe node "$DRAIN_NODE"
# port-forward: a pod serving HTTP, reached through kubectl on a local port (twice: one connection each); a port
# nothing listens on is reported as an error on that connection.
K run pf --image="$IMAGE" --restart=Never -- sh -c 'mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null
expect_ok   "port-forward target runs" K wait --for=condition=Ready pod/pf --timeout=60s
PORT=$((20000 + $$ % 20000))
# Started as its own process (not through the K function, whose subshell would outlive a kill while kubectl runs).
timeout 120 kubectl --cache-dir "$CACHE" -n "$NS" port-forward pod/pf "$PORT:8080" > "$WORK/pf.log" 2>&1 & PF=$!
expect_ok   "port-forward listens" bash -c "for i in \$(seq 100); do grep -q Forwarding '$WORK/pf.log' && exit 0; sleep 0.1; done; exit 1"
expect_grep "port-forward carries a request" "^hello-pf$" wget -q -T 10 -O- "http://127.0.0.1:$PORT/"
expect_grep "port-forward carries a second connection" "^hello-pf$" wget -q -T 10 -O- "http://127.0.0.1:$PORT/"
kill $PF 2>/dev/null; wait $PF 2>/dev/null
timeout 60 kubectl --cache-dir "$CACHE" -n "$NS" port-forward pod/pf "$((PORT + 1)):9999" > "$WORK/pf2.log" 2>&1 & PF=$!
for i in $(seq 100); do grep -q Forwarding "$WORK/pf2.log" && break; sleep 0.1; done
wget -q -T 5 -O- "http://127.0.0.1:$((PORT + 1))/" >/dev/null 2>&1
sleep 0.5
expect_grep "port-forward to a closed port reports the error" "error occurred forwarding $((PORT + 1)) -> 9999" cat "$WORK/pf2.log"
kill $PF 2>/dev/null; wait $PF 2>/dev/null
K run victim --image="$IMAGE" --restart=Never --overrides='{"spec":{"terminationGracePeriodSeconds":30}}' -- sleep 3600 >/dev/null
K wait --for=condition=Ready pod/victim --timeout=90s >/dev/null 2>&1
expect_grep "force delete" "force deleted|deleted" K delete pod victim --grace-period=0 --force
expect_code "force-deleted pod is gone at once" 1 K get pod victim
expect_grep "drain" "drained" kubectl --cache-dir "$CACHE" drain "$DRAIN_NODE" --ignore-daemonsets --force --timeout=120s
expect_grep "no pods left on the drained node" "^$" bash -c "kubectl --cache-dir '$CACHE' -n '$NS' get pods --field-selector spec.nodeName=$DRAIN_NODE -o name"
expect_grep "uncordon" "uncordoned" kubectl --cache-dir "$CACHE" uncordon "$DRAIN_NODE"
TOKEN=$(K create token default 2>/dev/null)
expect_grep "service-account token is Forbidden, not Unauthorized" "Forbidden" kubectl --kubeconfig=/dev/null --server="$SERVER" --insecure-skip-tls-verify --token="$TOKEN" get nodes
BOOT=$($KS token create --kubeconfig "$KUBECONFIG" 2>/dev/null | tail -1)
expect_grep "bootstrap token gets Forbidden on nodes" "Forbidden" kubectl --kubeconfig=/dev/null --server="$SERVER" --insecure-skip-tls-verify --token="$BOOT" get nodes
expect_grep "anonymous /livez" "^ok$" curl -sk "$SERVER/livez"
expect_grep "anonymous pod list is 403 for system:anonymous" "system:anonymous" curl -sk "$SERVER/api/v1/pods"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
