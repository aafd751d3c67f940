/// The subset of a v1 Pod that static pod manifests use. Field names and order follow `kubectl get -o yaml`.
///
/// The full API object model arrives with the KubeAPI module; these value types only have to render the
/// manifests kubeadm-swift writes, and keep nil fields out of the YAML.
public struct PodManifest: Codable, Sendable, Equatable {
    public var apiVersion = "v1"
    public var kind = "Pod"
    public var metadata: Metadata
    public var spec: Spec

    public struct Metadata: Codable, Sendable, Equatable {
        public var annotations: [String: String]?
        public var labels: [String: String]?
        public var name: String
        public var namespace: String
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var containers: [Container]
        public var hostNetwork: Bool?
        public var priority: Int?
        public var priorityClassName: String?
        public var securityContext: PodSecurityContext?
        public var volumes: [Volume]?
    }

    public struct PodSecurityContext: Codable, Sendable, Equatable {
        public var seccompProfile: SeccompProfile
    }

    public struct SeccompProfile: Codable, Sendable, Equatable { public var type: String }

    public struct Container: Codable, Sendable, Equatable {
        public var command: [String]
        public var env: [EnvVar]?
        public var image: String
        public var imagePullPolicy: String
        public var livenessProbe: Probe?
        public var name: String
        public var ports: [ContainerPort]?
        public var readinessProbe: Probe?
        public var resources: Resources?
        public var startupProbe: Probe?
        public var volumeMounts: [VolumeMount]?
    }

    public struct ContainerPort: Codable, Sendable, Equatable {
        public var containerPort: Int
        public var name: String
        public var `protocol`: String
    }

    public struct Resources: Codable, Sendable, Equatable { public var requests: [String: String] }

    public struct Probe: Codable, Sendable, Equatable {
        public var failureThreshold: Int
        public var httpGet: HTTPGet
        public var initialDelaySeconds: Int?
        public var periodSeconds: Int
        public var timeoutSeconds: Int
    }

    public struct HTTPGet: Codable, Sendable, Equatable {
        public var host: String?
        public var path: String
        public var port: String
        public var scheme: String
    }

    public struct VolumeMount: Codable, Sendable, Equatable {
        public var mountPath: String
        public var name: String
        public var readOnly: Bool?
    }

    public struct Volume: Codable, Sendable, Equatable {
        public var hostPath: HostPath
        public var name: String
    }

    public struct HostPath: Codable, Sendable, Equatable {
        public var path: String
        public var type: String
    }
}
