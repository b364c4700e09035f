import Crypto
import Foundation

/// Verification of the audit log's hash chain.
public enum AuditChain {
    /// The previous hash of the first record.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The SHA-256 of a text's UTF-8 bytes as 64 lower-case hex digits.
    public static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The first break found in a chain, naming the record concerned.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        /// How the chain is broken.
        public enum Kind: String, Sendable, Hashable {
            /// The record's content no longer matches its hash.
            case altered
            /// A record that should be there is not.
            case removed
            /// A record that was not written in order sits in the chain.
            case inserted
        }

        public let kind: Kind
        /// The sequence number of the record altered, inserted or missing.
        public let sequence: Int64
        public let detail: String

        public var description: String { "record \(sequence) \(kind.rawValue): \(detail)" }
    }

    /// Walks records in order and reports the first break. Feed records one by one with ``check(_:)``.
    public struct Verifier: Sendable {
        private var expected: Int64 = 1
        private var lastHash = AuditChain.genesisHash
        private var hashBeforeLast: String?
        /// How many records were checked.
        public private(set) var count: Int64 = 0

        public init() {}

        /// Checks the next record.
        ///
        /// - Returns: the first break, or nil while the chain holds.
        public mutating func check(_ record: AuditRecord) -> Break? {
            count += 1
            if record.sequence > expected {
                return Break(
                    kind: .removed,
                    sequence: expected,
                    detail: "the log jumps from record \(expected - 1) to record \(record.sequence)"
                )
            }
            if record.sequence < expected {
                return Break(
                    kind: .inserted,
                    sequence: record.sequence,
                    detail: "a record numbered \(record.sequence) appears after record \(expected - 1)"
                )
            }
            if !record.hasValidHash {
                return Break(
                    kind: .altered,
                    sequence: record.sequence,
                    detail: "its content no longer matches its hash"
                )
            }
            if record.previousHash != lastHash {
                if let hashBeforeLast, record.previousHash == hashBeforeLast {
                    return Break(
                        kind: .inserted,
                        sequence: record.sequence - 1,
                        detail: "record \(record.sequence) links past it to record \(record.sequence - 2)"
                    )
                }
                return Break(
                    kind: .inserted,
                    sequence: record.sequence,
                    detail: "it does not link to record \(record.sequence - 1)"
                )
            }
            hashBeforeLast = lastHash
            lastHash = record.hash
            expected += 1
            return nil
        }

        /// Checks the end of the log against the head the store remembers (the last sequence and hash).
        public func checkHead(sequence: Int64, hash: String) -> Break? {
            if sequence > expected - 1 {
                return Break(
                    kind: .removed,
                    sequence: expected,
                    detail: "the log ends at record \(expected - 1) but record \(sequence) was written"
                )
            }
            if sequence == expected - 1, hash != lastHash, sequence > 0 {
                return Break(kind: .altered, sequence: sequence, detail: "the last record differs from the one written")
            }
            return nil
        }
    }
}
