// swift-tools-version: 6.0
import PackageDescription

/// Upcoming-feature flags applied to every Swift target (house style rule 20).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "kubeadm-swift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kubeadm-swift", targets: ["kubeadm-swift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Thin CLI: parses flags into a config value and calls one Bootstrap function.
        .executableTarget(
            name: "kubeadm-swift",
            dependencies: [
                "Bootstrap", "Manifests", "APIServer", "Kubelet", "Scheduler", "ControllerManager",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // System OpenSSL 3 (libssl-dev) plus C wrappers for its variadic functions and macros.
        .target(
            name: "COpenSSL",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        .target(name: "PKI", dependencies: ["COpenSSL", "Manifests", "KubeAPI"], swiftSettings: swiftSettings),
        .target(name: "Preflight", dependencies: ["Manifests", "KubeAPI"], swiftSettings: swiftSettings),
        .target(
            name: "Manifests",
            dependencies: ["KubeAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Components: the API object model and the revisioned store (DESIGN.md: Components/KubeAPI, Components/Storage).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // zlib: SPDY/3.1 header compression (kubectl 1.27–1.29 stream exec over SPDY).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "KubeAPI",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Storage", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        // The bundled kube-apiserver: the Registry (API semantics over Storage) behind an HTTPS transport on SwiftNIO.
        .target(
            name: "APIServer",
            dependencies: [
                "KubeAPI", "Storage", "PKI", "Manifests", "HTTPTransport", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP/1.1 over TLS on SwiftNIO: the server side of the API server and the kubelet API.
        .target(
            name: "HTTPTransport",
            dependencies: [
                "PKI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The REST client every component uses: HTTPS with kubeconfig credentials, CRUD, watches, informers.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeAPI", "PKI", "Manifests",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The host kubelet: static pods, pod workers, runc, images, CNI, probes, the kubelet API.
        .target(
            name: "Kubelet",
            dependencies: [
                "KubeAPI", "KubeClient", "PKI", "Manifests", "HTTPTransport", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The bundled kube-scheduler: filter and score plugins, the scheduling algorithm.
        .target(name: "Scheduler", dependencies: ["KubeAPI", "KubeClient", "PKI", "Manifests", "HTTPTransport"], swiftSettings: swiftSettings),
        // The bundled kube-controller-manager: one folder per controller.
        .target(name: "ControllerManager", dependencies: ["KubeAPI", "KubeClient", "PKI", "Manifests", "HTTPTransport"], swiftSettings: swiftSettings),
        .target(
            name: "Bootstrap",
            dependencies: ["PKI", "Preflight", "Manifests", "KubeAPI", "KubeClient", "Kubelet", "APIServer"],
            swiftSettings: swiftSettings
        ),
        // Benchmarks (bench/README in docs/benchmarks.md); built in release by bench/*.sh, never timed in tests.
        .executableTarget(name: "pki-bench", dependencies: ["PKI"], path: "bench/pki", swiftSettings: swiftSettings),
        .executableTarget(name: "storage-bench", dependencies: ["Storage", "CSQLite"], path: "bench/storage", swiftSettings: swiftSettings),
        .executableTarget(
            name: "apiserver-bench",
            dependencies: [
                "Storage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "bench/apiserver", swiftSettings: swiftSettings),
        .executableTarget(name: "scheduler-bench", dependencies: ["KubeClient", "KubeAPI"], path: "bench/scheduler",
                          swiftSettings: swiftSettings),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "KubeAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "PKITests", dependencies: ["PKI", "Manifests", "KubeAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "PreflightTests", dependencies: ["Preflight", "Manifests", "KubeAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "BootstrapTests", dependencies: ["Bootstrap", "Manifests", "PKI", "KubeAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "StorageTests", dependencies: ["Storage"], swiftSettings: swiftSettings),
        .testTarget(name: "APIServerTests", dependencies: [
            "APIServer", "HTTPTransport", "KubeAPI", "Storage", "PKI", "Manifests",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "APIServer", "HTTPTransport", "Storage", "KubeAPI", "PKI", "Manifests"], swiftSettings: swiftSettings),
        .testTarget(name: "ControllerManagerTests", dependencies: ["ControllerManager", "KubeAPI", "PKI"], swiftSettings: swiftSettings),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "KubeAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "KubeletTests", dependencies: ["Kubelet", "HTTPTransport", "KubeClient", "KubeAPI", "PKI", "Manifests"], swiftSettings: swiftSettings),
        // E2E tests run the built binary; the exec tests also serve a kubelet API in-process over a real runc
        // container (RuntimeTestSupport.swift is KubeletTests' file, linked in).
        .testTarget(name: "E2ETests", dependencies: ["PKI", "Kubelet", "HTTPTransport", "KubeAPI", "KubeClient"], swiftSettings: swiftSettings),
    ]
)
