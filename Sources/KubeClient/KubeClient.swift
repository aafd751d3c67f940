/// The Kubernetes REST client shared by the kubelet, scheduler and controllers (DESIGN.md: Components/KubeClient):
/// HTTPS to the API server with the credentials of a kubeconfig, typed CRUD over `JSONValue` objects, watch streams,
/// informers and leader election.
///
/// Where things are:
/// - configuration: `ClientConfig` (+Kubeconfig, +InCluster), `ServerURL`, `ClientConfigError`, `TokenSource`;
/// - transport: `HTTPConnection` (one keep-alive connection), `HTTPConnectionPool`, `TLSContextFactory`;
/// - API: `RESTClient` (requests, timeouts), `RESTClient+Verbs` (get/list/create/update/patch/delete/subresources),
///   `RESTClient+Typed` (generated models), `ListOptions`, `DeleteOptions`, `PatchType`/`WriteOptions`,
///   `KubeClientError`/`APIStatus`;
/// - watches: `WatchStream` (`RESTClient.watch`), `WatchEvent`, `JSONStreamFramer`;
/// - controllers: `Informer` (reflector + `ObjectCache` + handlers), `WorkQueue` with `RateLimiter`s,
///   `LeaderElector` over Leases.
public enum KubeClientModule {}
