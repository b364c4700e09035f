import ArgumentParser
import CordonStore
import CordonStoreSQLite
import Foundation

/// `cordon restore --from FILE`: a backup put back, its audit chain checked before anything serves it.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back as the database, checking its audit log first.",
        discussion: """
            A SQLite backup's audit chain is walked first, and the file is copied to --database (which \
            must not exist) only when it is intact. A PostgreSQL dump is restored with pg_restore into a \
            database (or schema) that does not hold Cordon's tables yet, and its audit chain is then walked; \
            a server must not be started on it when that fails. Exits 0 when restored and intact, 1 when the \
            audit log is broken, 2 when nothing could be restored.
            """
    )

    @Option(help: "The backup: a SQLite file, or a pg_dump archive made by `cordon backup`.")
    var from: String

    @Option(
        help:
            "Where to restore: a new SQLite file, or postgresql://user@host:port/database. Default: $CORDON_DATABASE_URL, else cordon.sqlite."
    )
    var database: String?

    func run() async throws {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(option: database, default: "cordon.sqlite")
        } catch {
            printError("cordon: \(error)")
            throw ExitCode(2)
        }
        guard FileManager.default.fileExists(atPath: from) else {
            printError("cordon: no backup at \(from)")
            throw ExitCode(2)
        }
        let outcome = try await AuditVerifyCommand.failingInOneLine("restore \(from) into \(location)") {
            switch location {
            case .sqlite(let path):
                guard !FileManager.default.fileExists(atPath: path) else {
                    printError("cordon: \(path) exists already; restore into a new file")
                    throw ExitCode(2)
                }
                let backup = try SQLiteStore(path: from)
                let outcome = try await AuditVerifyCommand.verify(backup)
                if case .intact = outcome { try backup.backup(to: path) }
                return outcome
            case .postgres(let configuration):
                try PostgresTools.restore(configuration, from: from)
                return try await AuditVerifyCommand.verify(at: location)
            }
        }
        if let summary = outcome.intactSummary {
            print("restored \(from) into \(location): \(summary)")
        } else if case .broken(let problem) = outcome {
            switch location {
            case .sqlite: print("not restored: the backup's audit log is broken: \(problem)")
            case .postgres: print("restored, but the audit log is broken: \(problem); do not serve this database")
            }
            throw ExitCode(1)
        }
    }
}
