import ArgumentParser
import CordonStore
import CordonStoreSQLite
import Foundation

/// `cordon backup --to FILE`: a consistent copy of the database, its audit chain checked.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database into a new file while the server runs, and check the copy's audit log.",
        discussion: """
            A SQLite database is copied with SQLite's online backup: one consistent snapshot, taken while \
            the server keeps writing. A PostgreSQL database is dumped with pg_dump (custom format), the \
            password handed over in its environment, never on its command line. The copy's audit chain is \
            then walked as `cordon audit verify` does. Exits 0 when written and intact, 1 when the copy's \
            audit log is broken (the file is kept, for study), 2 when nothing could be written.
            """
    )

    @Option(
        help:
            "A SQLite file, or postgresql://user@host:port/database. Default: $CORDON_DATABASE_URL, else cordon.sqlite."
    )
    var database: String?

    @Option(help: "The new file. It must not exist.")
    var to: String

    func run() async throws {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(option: database, default: "cordon.sqlite")
        } catch {
            printError("cordon: \(error)")
            throw ExitCode(2)
        }
        guard !FileManager.default.fileExists(atPath: to) else {
            printError("cordon: \(to) exists already; a backup never overwrites a file")
            throw ExitCode(2)
        }
        let outcome = try await AuditVerifyCommand.failingInOneLine("back up \(location)") {
            switch location {
            case .sqlite(let path):
                guard FileManager.default.fileExists(atPath: path) else {
                    printError("cordon: no database at \(path)")
                    throw ExitCode(2)
                }
                try SQLiteStore(path: path).backup(to: to)
                return try await AuditVerifyCommand.verify(try SQLiteStore(path: to))
            case .postgres(let configuration):
                try PostgresTools.dump(configuration, to: to)
                // The dump is checked where it was taken from: pg_dump reads one snapshot, and the log
                // only grows, so what the dump holds is a prefix of what is verified here.
                return try await AuditVerifyCommand.verify(at: location)
            }
        }
        if let summary = outcome.intactSummary {
            print("backup written to \(to): \(summary)")
        } else if case .broken(let problem) = outcome {
            print("backup written to \(to), but its audit log is broken: \(problem)")
            throw ExitCode(1)
        }
    }
}
