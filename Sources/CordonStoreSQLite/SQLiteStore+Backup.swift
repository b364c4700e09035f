import CordonStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Copies the database into a new file with SQLite's online backup, while the store keeps serving:
    /// the copy is one consistent snapshot, made readable by its owner only.
    ///
    /// - Throws: ``StoreError`` `conflict` when `path` exists (a backup never overwrites), `unavailable`
    ///   when the copy cannot be written; a copy that fails half way is removed.
    public func backup(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError(.conflict, "\(path) exists already; a backup never overwrites a file")
        }
        Self.restrictToOwner(path)
        do {
            let copy = try DatabaseQueue(path: path)
            try pool.backup(to: copy)
            try copy.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StoreError.translating(error, while: "writing the backup")
        }
    }
}
