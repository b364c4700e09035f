import CordonStorePostgres
import Foundation

/// PostgreSQL's own `pg_dump` and `pg_restore`, run for `cordon backup` and `cordon restore`.
///
/// The password goes to them in their environment (`PGPASSWORD`), never on their command line, where
/// any user of the machine could read it.
enum PostgresTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Dumps the database (only Cordon's schema, when the configuration names one) into `file`, in
    /// pg_dump's custom format.
    static func dump(_ configuration: PostgresStore.Configuration, to file: String) throws {
        var arguments = connection(configuration) + ["--format=custom", "--file", file]
        if let schema = configuration.schema { arguments += ["--schema", schema] }
        try run("pg_dump", arguments, configuration)
    }

    /// Restores a dump into the database, which must not hold Cordon's tables yet.
    static func restore(_ configuration: PostgresStore.Configuration, from file: String) throws {
        try run("pg_restore", connection(configuration) + ["--no-owner", "--exit-on-error", file], configuration)
    }

    private static func connection(_ configuration: PostgresStore.Configuration) -> [String] {
        [
            "--host", configuration.host, "--port", String(configuration.port), "--username", configuration.username,
            "--dbname", configuration.database, "--no-password",
        ]
    }

    private static func run(_ tool: String, _ arguments: [String], _ configuration: PostgresStore.Configuration) throws
    {
        guard let executable = find(tool) else {
            throw Failure(description: "\(tool) is not installed (Debian: apt-get install postgresql-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = configuration.password
        environment["PGSSLMODE"] = configuration.tls.rawValue
        environment["PGAPPNAME"] = "cordon"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let line = message.split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
            throw Failure(description: "\(tool) failed: \(line)")
        }
    }

    /// The tool on the PATH, else the newest under Debian's /usr/lib/postgresql.
    private static func find(_ tool: String) -> String? {
        let files = FileManager.default
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(tool)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        let versions = (try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(tool)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
