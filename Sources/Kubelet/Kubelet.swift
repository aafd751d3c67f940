/// The host kubelet (DESIGN.md: Components/Kubelet): static pods, pod workers, the runc runtime, the local image
/// store, CNI networking, probes and the kubelet API on :10250.
public enum KubeletModule {}
