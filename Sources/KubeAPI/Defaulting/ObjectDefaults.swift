/// Upstream's defaulting (`SetDefaults_*`) for the kinds the API server serves, applied to the raw object so that
/// every field a client sent, known or not, survives. One table keyed by `group/Kind`.
public enum ObjectDefaults {
    /// Fills the defaults of `object` according to its `apiVersion` and `kind`; unknown kinds are left alone.
    public static func apply(to object: inout JSONValue) {
        guard let kind = object["kind"]?.string else { return }
        let group = (object["apiVersion"]?.string ?? "").split(separator: "/").dropLast().first.map(String.init) ?? ""
        table["\(group)/\(kind)"]?(&object)
    }

    typealias Rule = @Sendable (inout JSONValue) -> Void

    static let podTemplate: Rule = { $0.modify(["spec", "template", "spec"], PodDefaults.spec) }

    /// Upstream `SetDefaults_Job`: a Job without labels takes its pod template's.
    public static func copyTemplateLabels(_ job: inout JSONValue) {
        guard let labels = job[path: ["spec", "template", "metadata", "labels"]], !labels.isNull,
              job.metadata.labels.isEmpty else { return }
        job[path: ["metadata", "labels"]] = labels
    }

    static let table: [String: Rule] = [
        "/Pod": { $0.modify(["spec"], PodDefaults.spec) },
        "/PodTemplate": { $0.modify(["template", "spec"], PodDefaults.spec) },
        "/ReplicationController": { rc in
            rc.setDefault(["spec", "replicas"], 1)
            podTemplate(&rc)
        },
        "/Service": { service in
            service.setDefault(["spec", "type"], "ClusterIP")
            service.setDefault(["spec", "sessionAffinity"], "None")
            service.setDefault(["spec", "internalTrafficPolicy"], "Cluster")
            service.forEachElement(["spec", "ports"]) { port in
                port.setDefault(["protocol"], "TCP")
                if let number = port["port"] { port.setDefault(["targetPort"], number) }
            }
        },
        "/Endpoints": { $0.forEachElement(["subsets"]) { $0.forEachElement(["ports"]) { $0.setDefault(["protocol"], "TCP") } } },
        "/Secret": { $0.setDefault(["type"], "Opaque") },
        "/PersistentVolume": { pv in
            pv.setDefault(["spec", "persistentVolumeReclaimPolicy"], "Retain")
            pv.setDefault(["spec", "volumeMode"], "Filesystem")
        },
        "/PersistentVolumeClaim": { $0.setDefault(["spec", "volumeMode"], "Filesystem") },
        "/Namespace": { $0.setDefault(["spec", "finalizers"], ["kubernetes"]) },
        "apps/Deployment": { deployment in
            deployment.setDefault(["spec", "replicas"], 1)
            let strategy = deployment[path: ["spec", "strategy", "type"]]?.string ?? "RollingUpdate"
            deployment.setDefault(["spec", "strategy", "type"], .string(strategy))
            if strategy == "RollingUpdate" {
                deployment.setDefault(["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                deployment.setDefault(["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            deployment.setDefault(["spec", "revisionHistoryLimit"], 10)
            deployment.setDefault(["spec", "progressDeadlineSeconds"], 600)
            podTemplate(&deployment)
        },
        "apps/ReplicaSet": { rs in
            rs.setDefault(["spec", "replicas"], 1)
            podTemplate(&rs)
        },
        "apps/DaemonSet": { ds in
            let strategy = ds[path: ["spec", "updateStrategy", "type"]]?.string ?? "RollingUpdate"
            ds.setDefault(["spec", "updateStrategy", "type"], .string(strategy))
            if strategy == "RollingUpdate" {
                ds.setDefault(["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
                ds.setDefault(["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
            }
            ds.setDefault(["spec", "revisionHistoryLimit"], 10)
            podTemplate(&ds)
        },
        "apps/StatefulSet": { sts in
            sts.setDefault(["spec", "replicas"], 1)
            sts.setDefault(["spec", "podManagementPolicy"], "OrderedReady")
            let strategy = sts[path: ["spec", "updateStrategy", "type"]]?.string ?? "RollingUpdate"
            sts.setDefault(["spec", "updateStrategy", "type"], .string(strategy))
            if strategy == "RollingUpdate" { sts.setDefault(["spec", "updateStrategy", "rollingUpdate", "partition"], 0) }
            sts.setDefault(["spec", "revisionHistoryLimit"], 10)
            sts.setDefault(["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], "Retain")
            sts.setDefault(["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"], "Retain")
            sts.forEachElement(["spec", "volumeClaimTemplates"]) { $0.setDefault(["spec", "volumeMode"], "Filesystem") }
            podTemplate(&sts)
        },
        "storage.k8s.io/StorageClass": { storageClass in
            storageClass.setDefault(["reclaimPolicy"], "Delete")
            storageClass.setDefault(["volumeBindingMode"], "Immediate")
        },
        "batch/Job": { job in
            if job[path: ["spec", "completions"]] == nil, job[path: ["spec", "parallelism"]] == nil {
                job.setDefault(["spec", "completions"], 1)
            }
            job.setDefault(["spec", "parallelism"], 1)
            job.setDefault(["spec", "backoffLimit"], 6)
            job.setDefault(["spec", "completionMode"], "NonIndexed")
            job.setDefault(["spec", "suspend"], false)
            job.setDefault(["spec", "podReplacementPolicy"], "TerminatingOrFailed")
            job.setDefault(["spec", "manualSelector"], false)
            copyTemplateLabels(&job)
            podTemplate(&job)
        },
        "batch/CronJob": { cron in
            cron.setDefault(["spec", "concurrencyPolicy"], "Allow")
            cron.setDefault(["spec", "suspend"], false)
            cron.setDefault(["spec", "successfulJobsHistoryLimit"], 3)
            cron.setDefault(["spec", "failedJobsHistoryLimit"], 1)
            cron.modify(["spec", "jobTemplate", "spec", "template", "spec"], PodDefaults.spec)
        },
    ]
}
