#!/usr/bin/env bash
# testhost.sh: isolated "hosts" on one machine for cluster checks (the E2E tests' TestHosts drive it).
# Based on the company's shared test-host harness; this copy also removes the empty mount-point directories it had
# to create on the machine (th_lan_down), so a test run leaves no trace.
# A host = network + mount + UTS + cgroup namespaces held by one sleeping process, with private copies of
# every node path, its own hostname, its own cgroup root, and an address on a LAN bridge that lives in a
# namespace of its own (no uplink: nothing a host sends can leave the machine).
#
#   source tools/testhost.sh
#   th_lan_up                       # once
#   th_up NAME 10.213.0.11          # a host
#   th_exec NAME CMD...             # run inside it (as root, node paths private)
#   th_down NAME; th_lan_down
set -u
TH_ROOT=${TH_ROOT:-/tmp/testhosts}
# TH_PREFIX names this run's namespaces and cgroups, so several runs (a developer's and CI's) never collide.
TH_PREFIX=${TH_PREFIX:-ks}
TH_LAN=$TH_PREFIX-lan
TH_PATHS="/etc/kubernetes /var/lib/kubelet /var/lib/kubeadm-swift /run/kubeadm-swift /var/log/pods /var/log/kubeadm-swift /etc/cni/net.d /var/lib/cni /run/netns /var/lib/etcd"
TH_CONTROLLERS="cpu cpuacct cpuset memory devices freezer blkio pids systemd"

th_lan_up() {
  ip netns add "$TH_LAN" 2>/dev/null || true
  ip -n "$TH_LAN" link add br0 type bridge 2>/dev/null || true
  ip -n "$TH_LAN" addr add 10.213.0.254/24 dev br0 2>/dev/null || true
  ip -n "$TH_LAN" link set br0 up
  ip -n "$TH_LAN" link set lo up
}

th_lan_down() {
  ip netns del "$TH_LAN" 2>/dev/null || true
  # the node-path mount points th_up had to create on this machine, deepest first, only while still empty, and only
  # when no other run's LAN exists: removing a directory also detaches the mounts other runs' hosts have on it
  if ! ip netns list 2>/dev/null | grep -q -- "-lan\b"; then
    [ -f "$TH_ROOT/created-dirs" ] && sort -ru "$TH_ROOT/created-dirs" | while read -r d; do rmdir "$d" 2>/dev/null; done
  fi
  rm -f "$TH_ROOT/created-dirs"
  rmdir "$TH_ROOT" 2>/dev/null || true
}

th_pid() { cat "$TH_ROOT/$1/pid" 2>/dev/null; }

th_up() {
  local name=$1 ip=$2 dir=$TH_ROOT/$1
  mkdir -p "$dir"
  for p in $TH_PATHS; do
    # record every directory mkdir -p is about to create (the path and its missing parents)
    while [ ! -e "$p" ]; do echo "$p" >>"$TH_ROOT/created-dirs"; p=$(dirname "$p"); done
  done
  for p in $TH_PATHS; do mkdir -p "$p"; done
  # a cgroup of its own in every v1 hierarchy (and the unified one), to become this host's cgroup root
  for c in $TH_CONTROLLERS unified; do
    [ -d /sys/fs/cgroup/$c ] && mkdir -p "/sys/fs/cgroup/$c/$TH_PREFIX-host-$name"
  done
  [ -f /sys/fs/cgroup/cpuset/$TH_PREFIX-host-$name/cpuset.cpus ] && {
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset/$TH_PREFIX-host-$name/cpuset.cpus"
    cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset/$TH_PREFIX-host-$name/cpuset.mems"
  }
  ip netns add "$TH_PREFIX-$name"
  ip link add eth0 netns "$TH_PREFIX-$name" type veth peer name "v-$name" netns "$TH_LAN"
  ip -n "$TH_LAN" link set "v-$name" master br0 up
  ip -n "$TH_PREFIX-$name" addr add "$ip/24" dev eth0
  ip -n "$TH_PREFIX-$name" link set eth0 up
  ip -n "$TH_PREFIX-$name" link set lo up
  ip -n "$TH_PREFIX-$name" route add default via 10.213.0.254
  ip netns exec "$TH_PREFIX-$name" sysctl -qw net.ipv4.ip_forward=1
  cat >"$dir/holder.sh" <<EOF
#!/bin/bash
# inside the new mount/UTS/cgroup namespaces: private node paths, fresh cgroup mounts rooted at this host
mount --make-rprivate /
hostname $name
for p in $TH_PATHS; do mkdir -p "$dir/fs\$p" "\$p"; mount --bind "$dir/fs\$p" "\$p"; done
mkdir -p "$dir/fs/etc-hosts"; printf '127.0.0.1 localhost\n$ip $name\n' >"$dir/fs/etc-hosts/hosts"; mount --bind "$dir/fs/etc-hosts/hosts" /etc/hosts
for c in $TH_CONTROLLERS; do
  [ -d /sys/fs/cgroup/\$c ] || continue
  opt=\$c; [ \$c = systemd ] && opt=none,name=systemd
  umount -l /sys/fs/cgroup/\$c && mount -t cgroup -o \$opt cgroup /sys/fs/cgroup/\$c
done
[ -d /sys/fs/cgroup/unified ] && umount -l /sys/fs/cgroup/unified && mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
echo ready >"$dir/ready"
exec sleep infinity
EOF
  chmod +x "$dir/holder.sh"
  (
    # move into the host's cgroups first, so the new cgroup namespace is rooted there
    for c in $TH_CONTROLLERS unified; do
      [ -f /sys/fs/cgroup/$c/$TH_PREFIX-host-$name/cgroup.procs ] && echo $BASHPID >"/sys/fs/cgroup/$c/$TH_PREFIX-host-$name/cgroup.procs"
    done
    exec nsenter --net=/run/netns/$TH_PREFIX-$name unshare --mount --uts --cgroup --propagation private "$dir/holder.sh"
  ) </dev/null >"$dir/holder.log" 2>&1 &
  echo $! >"$dir/pid"   # the subshell execs nsenter, unshare, the holder and finally sleep: one PID
  disown
  for _ in $(seq 50); do [ -f "$dir/ready" ] && break; sleep 0.1; done
  [ -f "$dir/ready" ] || { echo "testhost $name did not start: $(cat "$dir/holder.log")" >&2; return 1; }
  return 0
}

th_exec() {
  # joins the host's cgroups first, so what it starts is accounted to (and cleaned up with) the host
  local name=$1; shift
  ( for c in $TH_CONTROLLERS unified; do
      [ -f /sys/fs/cgroup/$c/$TH_PREFIX-host-$name/cgroup.procs ] && echo $BASHPID >"/sys/fs/cgroup/$c/$TH_PREFIX-host-$name/cgroup.procs"
    done
    exec nsenter -t "$(th_pid "$name")" --mount --uts --net --cgroup -- "$@" )
}

th_down() {
  local name=$1 dir=$TH_ROOT/$1 pid
  pid=$(th_pid "$name")
  # end every process still inside this host's cgroups (started by the checks), then the holder
  for c in pids memory; do
    [ -d /sys/fs/cgroup/$c/$TH_PREFIX-host-$name ] || continue
    find "/sys/fs/cgroup/$c/$TH_PREFIX-host-$name" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do
      [ "$p" = "$pid" ] || kill -9 "$p" 2>/dev/null
    done
  done
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  sleep 0.3
  for c in $TH_CONTROLLERS unified; do
    [ -d /sys/fs/cgroup/$c/$TH_PREFIX-host-$name ] && find "/sys/fs/cgroup/$c/$TH_PREFIX-host-$name" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  ip netns del "$TH_PREFIX-$name" 2>/dev/null || true
  rm -rf "$dir"
}
