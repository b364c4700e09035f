import CordonCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Where a PostgreSQL store lives, read from a `postgresql://` URL.
    ///
    /// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require&schema=NAME]`
    /// (`postgres://` is the same). The port defaults to 5432, the database to the user's name, `sslmode`
    /// to `prefer`. A `schema` keeps Cordon's tables in that schema instead of `public` (several Cordon
    /// databases in one, as the tests do). Percent-escapes are decoded in the user and password.
    ///
    /// The password is never part of ``redacted`` or ``description``: print those, not the URL.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// How the connection is encrypted.
        public enum TLSMode: String, Sendable {
            case disable
            case prefer
            case require
        }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var tls: TLSMode
        /// The schema Cordon's tables live in, or nil for the database's default (`public`).
        public var schema: String?
        /// How many connections this node may open.
        public var maximumConnections: Int = 20
        /// How long a call waits for a connection before it fails as unavailable.
        public var connectionWaitTimeout: Duration = .seconds(5)

        /// Creates a configuration.
        public init(
            host: String,
            port: Int = 5432,
            username: String,
            password: String? = nil,
            database: String,
            tls: TLSMode = .prefer,
            schema: String? = nil
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
            self.schema = schema
        }

        /// Reads a `postgresql://` URL.
        ///
        /// - Throws: ``ValidationFailure`` at `database` naming what is wrong (never quoting the password).
        public init(url text: String) throws {
            func invalid(_ message: String) -> ValidationFailure {
                ValidationFailure(path: "database", reason: .invalidFormat, message: message)
            }
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                ["postgresql", "postgres"].contains(scheme)
            else {
                throw invalid("a PostgreSQL database is given as postgresql://user@host:port/database")
            }
            guard let host = components.host, !host.isEmpty else {
                throw invalid("the database URL names no host")
            }
            guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
                throw invalid("the database URL names no user (postgresql://user@host/database)")
            }
            var database = components.path
            if database.hasPrefix("/") { database.removeFirst() }
            database = database.removingPercentEncoding ?? database
            if database.isEmpty { database = user }
            if database.contains("/") { throw invalid("the database URL's path is one database name") }
            self.init(
                host: host,
                port: components.port ?? 5432,
                username: user,
                password: components.percentEncodedPassword?.removingPercentEncoding,
                database: database
            )
            for item in components.queryItems ?? [] {
                switch item.name {
                case "sslmode":
                    guard let mode = TLSMode(rawValue: item.value ?? "") else {
                        throw invalid("sslmode is disable, prefer or require")
                    }
                    tls = mode
                case "schema":
                    guard let schema = item.value, Self.isPlainIdentifier(schema) else {
                        throw invalid("schema is 1-63 lower-case letters, digits and '_', not starting with a digit")
                    }
                    self.schema = schema
                default:
                    throw invalid("the database URL takes sslmode and schema, not \(item.name)")
                }
            }
        }

        /// The URL without its password: safe for logs, errors and `--print-config`.
        public var redacted: String {
            var text = "postgresql://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
            var options: [String] = []
            if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
            if let schema { options.append("schema=\(schema)") }
            if !options.isEmpty { text += "?" + options.joined(separator: "&") }
            return text
        }

        public var description: String { redacted }

        /// The URL with its password: for handing to another process through its environment, never for
        /// printing.
        public var url: String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            func encoded(_ text: String) -> String {
                text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
            }
            let secret = password.map { ":" + encoded($0) } ?? ""
            var text = "postgresql://\(encoded(username))\(secret)@\(host):\(port)/\(encoded(database))"
            var options: [String] = []
            if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
            if let schema { options.append("schema=\(schema)") }
            if !options.isEmpty { text += "?" + options.joined(separator: "&") }
            return text
        }

        /// Whether `name` can be used as a schema without quoting: 1-63 of `a-z`, `0-9`, `_`, not starting with a digit.
        static func isPlainIdentifier(_ name: String) -> Bool {
            guard (1...63).contains(name.utf8.count), let first = name.unicodeScalars.first,
                !("0"..."9").contains(first)
            else { return false }
            return name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
            }
        }

        /// The driver's configuration.
        var clientConfiguration: PostgresClient.Configuration {
            let tlsSetting: PostgresClient.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(.makeClientConfiguration())
                case .require: .require(.makeClientConfiguration())
                }
            var configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: username,
                password: password,
                database: database,
                tls: tlsSetting
            )
            configuration.options.maximumConnections = maximumConnections
            configuration.options.connectTimeout = .seconds(5)
            var parameters = [("application_name", "cordon")]
            if let schema { parameters.append(("options", "-c search_path=\(schema)")) }
            configuration.options.additionalStartupParameters = parameters
            return configuration
        }
    }
}
