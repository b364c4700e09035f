import CordonCore
import CordonStoreSQLite
import Foundation
import GRDB
import Testing

/// Checkpoints as witnesses of headquarters' audit log, with real processes: a checkpoint keeps the
/// signed tree heads each sync brings (each proved consistent with the one before), and then a log that
/// was rewritten and re-chained, or cut short with its head moved back, which the hash chain alone
/// calls intact, is named by `cordon audit verify --heads` with the checkpoint's copy.
@Suite(.timeLimit(.minutes(5))) struct AuditWitnessTests {
    /// Changes the file as someone holding it could: triggers dropped, then `change`.
    static func tamper(_ path: String, _ change: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_is_append_only_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_log_is_append_only_delete")
            try change(db)
        }
    }

    /// Copies the database (after its server stopped) to `name`.
    static func copy(_ database: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: database, toPath: path)
    }

    @Test func aRewrittenOrTruncatedLogContradictsTheCheckpointsHeads() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("hq.sqlite")
        let server = try ServerProcess(database: database, extra: ["--demo"])
        let officer = try await CheckpointListenTests.token(server, "demo-checkpoint-officer")
        let root = try folder.file(
            "root.json",
            contents: try await CheckpointOfflineTests.raw(server, "/v1/lists/tuf/1.root.json", token: officer)
        )
        let store = folder.path("checkpoint")
        func sync(_ extra: [String] = []) throws -> CordonProcess.Result {
            try CordonProcess.runBlocking(
                [
                    "checkpoint", "sync", "--server", "http://127.0.0.1:\(server.port)", "--token", officer, "--store",
                    store,
                ]
                    + extra
            )
        }
        let first = try sync(["--root", root, "--checkpoint", "cp-air-dushanbe"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("consistent with the 1 signed head held"), "\(first.standardOutput)")
        for name in ["Mirzoev", "Ziyoev", "Hikmat"] {
            let (status, _) = try await server.call("POST", "/v1/screen", token: officer, json: ["name": name])
            #expect(status == 200)
        }
        let second = try sync()
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("consistent with the 2 signed heads held"), "\(second.standardOutput)")
        server.kill(SIGTERM)

        let intact = try await CordonProcess.run(["audit", "verify", "--database", database, "--heads", store])
        #expect(intact.status == 0, "\(intact.standardError)")
        #expect(intact.standardOutput.contains("consistent with 2 signed heads"), "\(intact.standardOutput)")

        // Record 3 rewritten, and every record after it re-chained, the stored head moved along.
        let rewritten = folder.path("rewritten.sqlite")
        try Self.copy(database, to: rewritten)
        let records = try await SQLiteStore(path: rewritten).auditRecords(after: 0, limit: 100_000)
        try Self.tamper(rewritten) { db in
            var previous = records[1].hash
            for record in records.dropFirst(2) {
                let changed = AuditRecord(
                    sequence: record.sequence,
                    at: record.at,
                    actor: record.sequence == 3 ? "someone-else" : record.actor,
                    role: record.role,
                    action: record.action,
                    target: record.target,
                    address: record.address,
                    listVersion: record.listVersion,
                    details: record.details,
                    previousHash: previous,
                    hash: ""
                )
                try db.execute(
                    sql: "UPDATE audit_log SET actor = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
                    arguments: [changed.actor, changed.previousHash, changed.hash, changed.sequence]
                )
                previous = changed.hash
            }
            try db.execute(sql: "UPDATE audit_head SET hash = ? WHERE singleton = 1", arguments: [previous])
        }
        let chainOnly = try await CordonProcess.run(["audit", "verify", "--database", rewritten])
        #expect(chainOnly.status == 0, "the rewrite holds against the chain alone: \(chainOnly.standardOutput)")
        let caught = try await CordonProcess.run(["audit", "verify", "--database", rewritten, "--heads", store])
        #expect(caught.status == 1, "\(caught.standardOutput) \(caught.standardError)")
        #expect(caught.standardOutput.hasPrefix("records 1 to "), "\(caught.standardOutput)")
        #expect(caught.standardOutput.contains("rewritten"), "\(caught.standardOutput)")

        // The last three records deleted, the stored head moved back to the one before.
        let truncated = folder.path("truncated.sqlite")
        try Self.copy(database, to: truncated)
        let kept = try #require(records.dropLast(3).last)
        try Self.tamper(truncated) { db in
            try db.execute(sql: "DELETE FROM audit_log WHERE sequence > ?", arguments: [kept.sequence])
            try db.execute(
                sql: "UPDATE audit_head SET sequence = ?, hash = ? WHERE singleton = 1",
                arguments: [kept.sequence, kept.hash]
            )
        }
        let shortOnly = try await CordonProcess.run(["audit", "verify", "--database", truncated])
        #expect(shortOnly.status == 0, "the cut holds against the chain alone: \(shortOnly.standardOutput)")
        let cut = try await CordonProcess.run(["audit", "verify", "--database", truncated, "--heads", store])
        #expect(cut.status == 1, "\(cut.standardOutput) \(cut.standardError)")
        #expect(cut.standardOutput.contains("removed: a head signed at"), "\(cut.standardOutput)")
    }
}
