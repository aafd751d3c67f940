import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Extended attributes through glibc's `lsetxattr`/`lgetxattr`, looked up with `dlsym` because Swift's Glibc
/// module does not include `<sys/xattr.h>` and a C shim target just for two calls is not worth a package change.
enum ExtendedAttributes {
    private typealias SetFunction = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias GetFunction = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int) -> Int

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(handle) }
        guard let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    static func set(_ path: String, name: String, value: String) throws {
        guard let set = symbol("lsetxattr", as: SetFunction.self) else { throw ImageStoreError.io("lsetxattr is not available in this libc") }
        let bytes = Array(value.utf8)
        let result = bytes.withUnsafeBytes { set(path, name, $0.baseAddress, $0.count, 0) }
        guard result == 0 else {
            throw ImageStoreError.io("cannot set extended attribute \(name) on \(path): \(String(cString: strerror(errno))); "
                + "the image store needs a filesystem with trusted.* xattrs (ext4, xfs, tmpfs) and root")
        }
    }

    static func get(_ path: String, name: String) -> String? {
        guard let get = symbol("lgetxattr", as: GetFunction.self) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { get(path, name, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
