import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its three standard streams on pipes.
///
/// Not Foundation's `Process`: on Linux its `run()` reads each `/proc/self/fd` entry 256 bytes at a time
/// whatever the entry's length, and now and then reads past a mapped page and crashes the caller
/// (swift-corelibs-foundation#5472, fixed after Swift 6.3). A test process that starts hundreds of
/// children meets it. Pipes are made close-on-exec, and the child closes every inherited descriptor
/// above 2 (glibc's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time), so that no child
/// holds another child's pipe open.
final class ChildProcess: Sendable {
    let pid: pid_t
    /// Where the child's standard input is written; closed by ``closeInput()``.
    let input: Int32
    /// The child's standard output and standard error.
    let output: FileHandle
    let errors: FileHandle
    private let state = Mutex<(status: Int32?, inputOpen: Bool)>((nil, true))

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        func makePipe() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
            // Close-on-exec at once (a child started meanwhile by another thread closes them anyway).
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }
        let standardInput = try makePipe()
        let standardOutput = try makePipe()
        let standardError = try makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput.read, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput.write, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError.write, 2)
        Self.closeFrom(&actions, 3)
        let strings = [executable] + arguments
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        for end in [standardInput.read, standardOutput.write, standardError.write] { close(end) }
        guard result == 0 else {
            for end in [standardInput.write, standardOutput.read, standardError.read] { close(end) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        input = standardInput.write
        output = FileHandle(fileDescriptor: standardOutput.read, closeOnDealloc: true)
        errors = FileHandle(fileDescriptor: standardError.read, closeOnDealloc: true)
    }

    deinit {
        closeInput()
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, when the C library has it.
    private static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
    }

    /// Writes to the child's standard input.
    func write(_ data: Data) {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(input, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Closes the child's standard input (once).
    func closeInput() {
        let open = state.withLock { state in
            defer { state.inputOpen = false }
            return state.inputOpen
        }
        if open { close(input) }
    }

    /// Sends a signal.
    func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the child to end; its exit status, or 128 plus the signal that ended it.
    @discardableResult
    func wait() -> Int32 {
        if let status = state.withLock({ $0.status }) { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
        let status = Self.decode(raw)
        state.withLock { $0.status = status }
        return status
    }

    /// Whether the child still runs.
    var isRunning: Bool {
        if state.withLock({ $0.status }) != nil { return false }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
        let status = Self.decode(raw)
        state.withLock { $0.status = status }
        return false
    }

    /// Whether the child ended by calling exit (not by a signal); nil while it runs.
    var exitedNormally: Bool? {
        state.withLock { $0.status }.map { $0 < 128 }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}
