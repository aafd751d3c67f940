/// The Kubernetes REST client shared by the kubelet, scheduler and controllers (DESIGN.md: Components/KubeClient):
/// HTTPS to the API server with the credentials of a kubeconfig, typed CRUD over `JSONValue` objects, watch streams,
/// informers and leader election.
public enum KubeClientModule {}
