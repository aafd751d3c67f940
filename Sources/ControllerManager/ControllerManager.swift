/// The bundled kube-controller-manager (DESIGN.md: Components/ControllerManager): level-triggered controllers
/// over KubeClient informers and work queues, one folder per controller.
///
/// Each controller's decisions are pure functions over the objects an informer cache holds (`JSONValue`s) and the
/// current time, returning `ControllerAction`s (create, update, updateStatus, patch, delete, deletecollection) in
/// execution order; the loop that watches, queues keys, runs the actions and keeps `ControllerExpectations` is a
/// thin shell around them (`<Name>Controller.swift` in each folder, listed in `Runtime/ControllerTable.swift`).
/// That way upstream's behaviour is pinned down by tests that need no server.
///
/// | Folder | Entry point | Upstream |
/// |---|---|---|
/// | ReplicaSet/ | `ReplicaSetSync.plan` | pkg/controller/replicaset |
/// | Deployment/ | `DeploymentSync.plan` | pkg/controller/deployment |
/// | DaemonSet/ | `DaemonSetSync.plan` | pkg/controller/daemon |
/// | GarbageCollector/ | `GarbageCollection.plan` | pkg/controller/garbagecollector |
/// | Endpoints/ | `EndpointsSync.plan`, `EndpointSliceSync.plan` | pkg/controller/endpoint, endpointslice |
/// | PodGC/ | `PodGarbageCollection.plan` | pkg/controller/podgc |
/// | Disruption/ | `DisruptionBudgetStatus.plan` | pkg/controller/disruption |
/// | Namespace/ | `NamespaceDeletion.plan` | pkg/controller/namespace/deletion |
/// | NodeIPAM/ | `NodeCIDRAllocator.plan` | pkg/controller/nodeipam (range allocator) |
/// | NodeLifecycle/ | `NodeHealth`, `TaintEviction.verdict` | pkg/controller/nodelifecycle, tainteviction |
/// | BootstrapTokens/ | `ClusterInfoSigning.plan`, `BootstrapTokenSecret` | pkg/controller/bootstrap |
/// | ServiceAccount/ | `NamespaceDefaults.serviceAccount`, `.rootCAConfigMap` | serviceaccounts, root-ca-cert-publisher |
public enum ControllerManagerModule {}
