import Foundation
import HTTPTransport
import KubeAPI
import Manifests

/// The paths that are not objects: version, health, discovery, OpenAPI and metrics.
extension APIHandler {
    static let healthEndpoints: Set<String> = ["healthz", "livez", "readyz"]

    func nonResource(_ path: String, _ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let segments = path.split(separator: "/").map(String.init)
        guard let first = segments.first else { return Self.notFound }
        if Self.healthEndpoints.contains(first) {
            let check = segments.count > 1 ? segments.dropFirst().joined(separator: "/") : nil
            let verbose = request.query.contains { $0.name == "verbose" }
            let excluded = Set(request.query.filter { $0.name == "exclude" }.map(\.value))
            guard let (status, text) = await health.respond(endpoint: first, check: check, verbose: verbose, excluded: excluded) else {
                return Self.notFound
            }
            return HTTPResponseMessage(status: status, headers: [("content-type", "text/plain; charset=utf-8"), ("x-content-type-options", "nosniff")],
                                       body: .bytes(Array(text.utf8)))
        }
        switch (first, segments.count) {
        case ("version", 1):
            return Self.json(200, Self.versionInfo)
        case ("api", 1):
            return discoveryRoot(legacy: discovery.legacyAPI, aggregated: discovery.aggregatedCore, request)
        case ("apis", 1):
            return discoveryRoot(legacy: discovery.legacyAPIs, aggregated: discovery.aggregatedNamed, request)
        case ("api", _), ("apis", _):
            return discovery.legacy(path: segments).map { Self.json(200, $0) } ?? Self.notFound
        case ("openapi", 2) where segments[1] == "v2":
            let wantsProtobuf = request.header("accept")?.contains("protobuf") ?? false
            let (protobuf, json) = openAPIV2.value
            return HTTPResponseMessage(status: 200, headers: [("content-type", wantsProtobuf ? OpenAPIV2Document.protobufContentType : "application/json"),
                                                              ("cache-control", "no-cache, private"), ("vary", "Accept")],
                                       body: .bytes(wantsProtobuf ? protobuf : json))
        case ("openapi", _):
            return openAPIDocument(segments)
        case ("metrics", 1):
            return HTTPResponseMessage(status: 200, headers: [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
                                       body: .bytes(Array(metrics.render().utf8)))
        default:
            return Self.notFound
        }
    }

    static let notFound = status(StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))

    /// `/version`: kubectl's dispatcher picks its bundled kubectl by `minor`, so it must say 32.
    static let versionInfo: JSONValue = {
        #if arch(arm64)
        let arch = "arm64"
        #else
        let arch = "amd64"
        #endif
        return [
            "major": .string(WellKnown.kubernetesMajor), "minor": .string(WellKnown.kubernetesMinor),
            "gitVersion": .string(WellKnown.kubernetesVersion), "gitCommit": .string("kubeadm-swift-\(WellKnown.toolVersion)"),
            "gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z", "goVersion": "n/a (Swift)", "compiler": "swiftc",
            "platform": .string("linux/\(arch)"),
        ]
    }()

    private func discoveryRoot(legacy: JSONValue, aggregated: JSONValue, _ request: HTTPRequestMessage) -> HTTPResponseMessage {
        guard let version = DiscoveryDocuments.negotiateAggregated(accept: request.header("accept")) else {
            return Self.json(200, legacy)
        }
        var response = Self.json(200, DiscoveryDocuments.withVersion(aggregated, version),
                                 contentType: DiscoveryDocuments.aggregatedContentType(version))
        response.headers.append(("vary", "Accept"))
        return response
    }

    private func openAPIDocument(_ segments: [String]) -> HTTPResponseMessage {
        guard segments.count >= 2, segments[1] == "v3" else { return Self.notFound }
        if segments.count == 2 {
            return HTTPResponseMessage(status: 200, headers: Self.jsonHeaders, body: .bytes(openAPI.index))
        }
        let key = segments.dropFirst(2).joined(separator: "/")
        guard let document = openAPI.documents[key] else { return Self.notFound }
        return HTTPResponseMessage(status: 200, headers: Self.jsonHeaders + [("etag", "\"\(document.hash)\"")], body: .bytes(document.bytes))
    }
}
