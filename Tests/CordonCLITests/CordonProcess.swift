import Foundation

/// Runs the built `cordon` binary as a separate process, as a user would.
struct CordonProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The `cordon` executable next to the test bundle in the build folder.
    static var executable: URL {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // The runner may sit inside a bundle (`CordonPackageTests.xctest/...`): climb to the build folder.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("cordon")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "cordon")
    }

    /// Runs `cordon` with `arguments`, feeding `input` to standard input, on a thread of its own: the
    /// wait for the child never holds one of the few threads every test's tasks share.
    static func run(
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String] = [:]
    ) async throws
        -> Result
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result<Self.Result, any Error> {
                        try runBlocking(arguments, input: input, environment: environment)
                    }
                )
            }
        }
    }

    /// Runs `cordon` with `arguments`, feeding `input` to standard input, blocking the calling thread.
    static func runBlocking(
        _ arguments: [String],
        input: Data? = nil,
        environment: [String: String] = [:]
    ) throws
        -> Result
    {
        let child = try ChildProcess(
            executable: executable.path,
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
        )
        if let input { child.write(input) }
        child.closeInput()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let errorData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(child.errors.readDataToEndOfFile())
            group.leave()
        }
        let outputData = child.output.readDataToEndOfFile()
        group.wait()
        return Result(
            status: child.wait(),
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.get(), as: UTF8.self)
        )
    }
}

/// Data shared between the reading thread and the test; guarded by a lock.
private final class LockedData: @unchecked Sendable {
    // Safe: every access to `data` holds `lock`.
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) {
        lock.lock()
        data = value
        lock.unlock()
    }

    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

/// A temporary folder removed when the value is dropped.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cordon-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of a file in the folder (which need not exist yet).
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func file(_ name: String, contents: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try contents.write(to: file)
        return file.path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

extension Process {
    /// Waits for the process to end by looking every few milliseconds, without `waitUntilExit()`,
    /// which spins a run loop that does not mix well with many processes started from parallel tests.
    func waitForExit() {
        while isRunning { usleep(2_000) }
    }
}
