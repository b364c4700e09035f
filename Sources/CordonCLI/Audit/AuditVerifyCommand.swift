import ArgumentParser
import CordonCore
import CordonStore
import Foundation
import Logging

/// `cordon audit verify`: walks the audit log's hash chain and names the first record altered, inserted or removed.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the audit log's hash chain.",
        discussion: """
            Reads every record of the audit log in order, checks that each record's content matches its hash \
            and links to the record before, and that the log ends at the last record written. Prints \
            "audit log intact: N records, head HASH" and exits 0, or prints the first record altered, inserted \
            or removed and exits 1. Exits 2 when the database cannot be read. With --heads, also proves the \
            log consistent with signed tree heads kept outside the database (a checkpoint's copy, or a file of \
            heads with --keys): a log rewritten and re-chained, or cut short, contradicts them.
            """
    )

    @Option(
        help:
            "A SQLite file, or postgresql://user@host:port/database. Default: $CORDON_DATABASE_URL, else cordon.sqlite."
    )
    var database: String?

    @Option(
        help: """
            Signed tree heads to check the log against: a checkpoint's copy folder, or a JSON file of heads \
            (an array, or one a line) as GET /v1/audit/tree-head gives them.
            """
    )
    var heads: String?

    @Option(help: "The server's key folder, for heads from a file. Default: the database's.")
    var keys: String?

    /// Records read at a time.
    static let pageSize = 500

    func run() async throws {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(option: database, default: "cordon.sqlite")
        } catch {
            Self.printError("cordon: \(error)")
            throw ExitCode(2)
        }
        if case .sqlite(let path) = location {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                Self.printError("cordon: no database at \(path)")
                throw ExitCode(2)
            }
        }
        var witnesses: AuditHeads?
        if let heads {
            do {
                witnesses = try AuditHeads.read(heads, keys: keys ?? location.defaultKeysFolder)
            } catch {
                Self.printError("cordon: \(error)")
                throw ExitCode(2)
            }
        }
        let outcome: Outcome
        do {
            outcome = try await Self.verify(at: location, heads: witnesses)
        } catch let error as StoreError {
            // The message is the store's own sentence; the driver's error stays out of sight.
            Self.printError("cordon: cannot read the audit log in \(location): \(error.message)")
            throw ExitCode(2)
        }
        switch outcome {
        case .intact(let count, let head):
            let records = count == 1 ? "1 record" : "\(count) records"
            var line = "audit log intact: \(records), head \(head.map { String($0.prefix(16)) } ?? "none")"
            if let witnesses {
                line += "; consistent with \(witnesses.heads.count) signed head\(witnesses.heads.count == 1 ? "" : "s")"
                if let last = witnesses.heads.last { line += " (the latest for \(last.treeSize) records)" }
                if witnesses.unsigned > 0 { line += ", \(witnesses.unsigned) unsigned ignored" }
            }
            print(line)
        case .broken(let problem):
            print(problem)
            throw ExitCode(1)
        }
    }

    /// What the walk found.
    enum Outcome: Equatable {
        /// Every record holds, and the log ends at the head: the count and the last hash.
        case intact(count: Int64, head: String?)
        /// The first break, as one line naming the record.
        case broken(String)

        /// `audit log intact, N records, head HASH` for an intact log.
        var intactSummary: String? {
            guard case .intact(let count, let head) = self else { return nil }
            return "audit log intact, \(count) records, head \(head.map { String($0.prefix(16)) } ?? "none")"
        }
    }

    /// Opens the store at `location` and walks its log.
    static func verify(at location: DatabaseLocation, heads: AuditHeads? = nil) async throws -> Outcome {
        try await location.withStore(logger: Logger(label: "cordon"), reachWithin: .seconds(10)) {
            try await verify($0, heads: heads)
        }
    }

    /// Runs `body`; a store's or PostgreSQL tool's failure becomes one line after `doing` and exit 2.
    static func failingInOneLine<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            printError("cordon: cannot \(doing): \(error.message)")
            throw ExitCode(2)
        } catch let error as PostgresTools.Failure {
            printError("cordon: cannot \(doing): \(error.description)")
            throw ExitCode(2)
        }
    }

    /// Walks the log in pages with ``AuditChain/Verifier``, then checks its end against the head.
    static func verify(_ store: some Store, heads: AuditHeads? = nil) async throws -> Outcome {
        var verifier = AuditChain.Verifier()
        var last: AuditRecord?
        // The Merkle tree's leaves, when heads are to be checked.
        var leaves: [Data] = []
        while true {
            let page = try await store.auditRecords(after: last?.sequence ?? 0, limit: pageSize)
            for record in page {
                if let problem = verifier.check(record) { return .broken(problem.description) }
                if heads != nil { leaves.append(MerkleTree.leafHash(Hex.decode(record.hash) ?? [])) }
            }
            if let end = page.last { last = end }
            if page.count < pageSize { break }
        }
        let head = try await store.auditHead() ?? AuditRecordSummary(sequence: 0, hash: AuditChain.genesisHash)
        // A server still running writes on while the log is read: what it wrote before the head was read
        // is read too (a record truly removed stays missing, and is said).
        while (last?.sequence ?? 0) < head.sequence {
            let page = try await store.auditRecords(after: last?.sequence ?? 0, limit: pageSize)
                .filter { $0.sequence <= head.sequence }
            guard !page.isEmpty else { break }
            for record in page {
                if let problem = verifier.check(record) { return .broken(problem.description) }
                if heads != nil { leaves.append(MerkleTree.leafHash(Hex.decode(record.hash) ?? [])) }
            }
            last = page.last
        }
        if let problem = verifier.checkHead(sequence: head.sequence, hash: head.hash) {
            return .broken(problem.description)
        }
        if let last, last.sequence > head.sequence {
            return .broken(
                "record \(head.sequence + 1) inserted: the last record written is \(head.sequence), "
                    + "yet the log goes on to record \(last.sequence)"
            )
        }
        if let problem = heads?.contradiction(leaves: leaves) { return .broken(problem) }
        return .intact(count: verifier.count, head: last?.hash)
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
