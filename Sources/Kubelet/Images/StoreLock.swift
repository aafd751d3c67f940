import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive or shared `flock` on the store's lock file, so `kubeadm-swift images import` and a running
/// kubelet never see each other's half-finished work. Each call opens its own descriptor, so the lock also
/// serialises threads of one process.
enum StoreLock {
    static func with<T>(_ path: String, exclusive: Bool, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ImageStoreError.io("cannot open the image store lock \(path): \(String(cString: strerror(errno))); are you root?")
        }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw ImageStoreError.io("cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        return try body()
    }
}
