/// Upstream's core/v1 defaults for pod specs (`SetDefaults_PodSpec`, `_Container`, `_Probe`, `_Volume`, ...).
enum PodDefaults {
    /// A pod spec, wherever it lives (Pod, and every workload's `spec.template.spec`).
    static func spec(_ spec: inout JSONValue) {
        spec.setDefault(["restartPolicy"], "Always")
        spec.setDefault(["dnsPolicy"], "ClusterFirst")
        spec.setDefault(["terminationGracePeriodSeconds"], 30)
        spec.setDefault(["securityContext"], .emptyObject)
        spec.setDefault(["schedulerName"], "default-scheduler")
        spec.setDefault(["enableServiceLinks"], true)
        for list in ["containers", "initContainers"] { spec.forEachElement([list], container) }
        spec.forEachElement(["volumes"], volume)
    }

    static func container(_ container: inout JSONValue) {
        container.setDefault(["terminationMessagePath"], "/dev/termination-log")
        container.setDefault(["terminationMessagePolicy"], "File")
        container.setDefault(["imagePullPolicy"], .string(pullPolicy(forImage: container["image"]?.string ?? "")))
        container.setDefault(["resources"], .emptyObject)
        container.forEachElement(["ports"]) { $0.setDefault(["protocol"], "TCP") }
        container.forEachElement(["env"]) { env in
            env.modify(["valueFrom", "fieldRef"]) { $0.setDefault(["apiVersion"], "v1") }
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] { container.modify([probe], self.probe) }
    }

    static func probe(_ probe: inout JSONValue) {
        probe.setDefault(["timeoutSeconds"], 1)
        probe.setDefault(["periodSeconds"], 10)
        probe.setDefault(["successThreshold"], 1)
        probe.setDefault(["failureThreshold"], 3)
        probe.modify(["httpGet"]) { $0.setDefault(["scheme"], "HTTP") }
    }

    /// The volume sources whose files get mode 0644 (420) unless told otherwise.
    static let modeDefaultedSources = ["configMap", "secret", "projected", "downwardAPI"]
    static let volumeSources = ["hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
                                "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
                                "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
                                "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"]

    static func volume(_ volume: inout JSONValue) {
        // A volume with no source is an emptyDir (SetDefaults_Volume).
        if !volumeSources.contains(where: { volume[$0] != nil }) { volume["emptyDir"] = .emptyObject }
        for source in modeDefaultedSources { volume.modify([source]) { $0.setDefault(["defaultMode"], 420) } }
        volume.modify(["hostPath"]) { $0.setDefault(["type"], "") }
    }

    /// `Always` for `:latest` or untagged images, `IfNotPresent` otherwise (digests included).
    static func pullPolicy(forImage image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastSlash = image.lastIndex(of: "/") ?? image.startIndex
        guard let colon = image[lastSlash...].lastIndex(of: ":") else { return "Always" }
        return image[image.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }
}
