import Foundation

/// Conversions between lossless JSON and the generated typed models, for code (controllers, validation) that
/// prefers structs. Going through a typed model drops unknown fields and key order, so the server keeps the
/// `JSONValue` as the stored form and converts only to read.
extension JSONValue {
    /// Decodes a typed model from this value.
    /// - Parameters:
    ///   - type: the model type, e.g. `AppsV1.Deployment.self`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(jsonBytes))
    }

    /// Encodes a typed model into a JSON value.
    /// - Parameters:
    ///   - model: the value to encode.
    public init(encoding model: some Encodable) throws {
        let data = try JSONEncoder().encode(model)
        self = try JSONParser().parse(Array(data))
    }
}
