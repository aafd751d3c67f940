/// The bundled kube-controller-manager (DESIGN.md: Components/ControllerManager): level-triggered controllers
/// over KubeClient informers and work queues, one file or folder per controller.
public enum ControllerManagerModule {}
