import ArgumentParser
import CordonCheckpoint
import Foundation

/// Opening a checkpoint's copy for `checkpoint sync` and `checkpoint station`.
enum CheckpointCopy {
    /// Opens (or makes) the copy in `folder`; trusts `root` when the copy has no root yet, and records the
    /// checkpoint when one is given. Problems are one line and exit status 2.
    static func open(_ folder: String, root: String?, checkpoint: String?) throws -> CheckpointStore {
        do {
            let copy = try CheckpointStore(folder: folder)
            if let root {
                guard let data = FileManager.default.contents(atPath: root) else {
                    printError("cannot read the root metadata \(root)")
                    throw ExitCode(2)
                }
                if try copy.metadata("root") == nil { try copy.setRoot(data) }
            }
            if let checkpoint { try copy.setCheckpoint(checkpoint) }
            return copy
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("cannot open the checkpoint store \(folder): \(error)")
            throw ExitCode(2)
        }
    }
}
