import CordonScreening
import CordonServer
import Foundation
import Logging

/// The settings `cordon serve` runs with, each from its flag, the environment or the configuration file,
/// or its default; checked, with an error naming where a bad value came from.
struct ServeOptions: Sendable {
    let location: DatabaseLocation
    let keys: String
    let host: String
    let port: Int
    let node: String
    let threshold: Double
    /// Thresholds of named lists.
    let listThresholds: [String: Double]
    let resendAfter: Int
    let escalateAfter: Int
    let waitForDatabase: Int
    let logLevel: Logger.Level
    let logFormat: String
    let streamsPerAccount: Int
    let maxInFlight: Int
    /// How many hours back looking back reads checkpoints' queries.
    let lookBackHours: Int
    /// Connection deadlines and limits.
    let connections: ConnectionLimits
    /// The PEM files of the certificate chain and its private key, for TLS; both or neither.
    let tlsCertificate: String?
    let tlsKey: String?
    /// Atom and RSS feeds to read for the wanted list, and how often (seconds).
    let feeds: [URL]
    let feedEvery: Int
    /// What `--print-config` shows: every setting, secrets masked, with its source.
    let effective: [(key: String, value: String)]
}

extension ServeCommand {
    /// The flags given on the command line, by setting key.
    var givenFlags: [String: String] {
        var flags: [String: String] = [:]
        flags["database"] = database
        flags["keys"] = keys
        flags["host"] = host
        flags["port"] = port.map(String.init)
        flags["node"] = node
        flags["threshold"] = threshold.map { String($0) }
        flags["list_thresholds"] = listThreshold.isEmpty ? nil : listThreshold.joined(separator: ",")
        flags["resend_after"] = resendAfter.map(String.init)
        flags["escalate_after"] = escalateAfter.map(String.init)
        flags["wait_for_database"] = waitForDatabase.map(String.init)
        flags["log_level"] = logLevel
        flags["log_format"] = logFormat
        flags["streams_per_account"] = streamsPerAccount.map(String.init)
        flags["max_in_flight"] = maxInFlight.map(String.init)
        flags["look_back_hours"] = lookBackHours.map(String.init)
        flags["header_timeout"] = headerTimeout.map(String.init)
        flags["body_timeout"] = bodyTimeout.map(String.init)
        flags["idle_timeout"] = idleTimeout.map(String.init)
        flags["max_connections"] = maxConnections.map(String.init)
        flags["max_connections_per_address"] = maxConnectionsPerAddress.map(String.init)
        flags["tls_cert"] = tlsCert
        flags["tls_key"] = tlsKey
        flags["feeds"] = feed.isEmpty ? nil : feed.joined(separator: ",")
        flags["feed_every"] = feedEvery.map(String.init)
        return flags
    }

    /// Reads and checks every setting.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> ServeOptions {
        let file = config ?? environment["CORDON_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let settings = try await ServeSettings.read(flags: givenFlags, environment: environment, file: file)
        func name(_ key: String) -> String {
            let source = settings.source(of: key)
            return source.hasPrefix("-") || source.hasPrefix("CORDON_") ? source : "\(source): \(key)"
        }
        func whole(_ key: String, _ fallback: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let text = settings[key] else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw ServeSettings.Failure(
                    description: "\(name(key)) must be from \(range.lowerBound) to \(range.upperBound), not \(text)"
                )
            }
            return value
        }
        let port = try whole("port", 8080, in: 0...65535)
        let waitForDatabase = try whole("wait_for_database", 60, in: 0...86400)
        let resendAfter = try whole("resend_after", 10, in: 1...3600)
        let escalateAfter = try whole("escalate_after", 60, in: 1...86400)
        let streams = try whole("streams_per_account", 20, in: 1...1_000_000)
        let inFlight = try whole("max_in_flight", 512, in: 1...1_000_000)
        let feedEvery = try whole("feed_every", 300, in: 10...86400)
        var feeds: [URL] = []
        for text in (settings["feeds"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !text.isEmpty {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil
            else {
                throw ServeSettings.Failure(description: "\(name("feeds")): \(text) is not an http or https address")
            }
            feeds.append(url)
        }
        let lookBackHours = try whole("look_back_hours", 72, in: 1...8760)
        let connections = ConnectionLimits(
            headerTimeout: .seconds(try whole("header_timeout", 10, in: 1...3600)),
            bodyTimeout: .seconds(try whole("body_timeout", 30, in: 1...3600)),
            idleTimeout: .seconds(try whole("idle_timeout", 60, in: 1...86400)),
            maximumConnections: try whole(
                "max_connections",
                ConnectionLimits.defaultMaximumConnections,
                in: 1...10_000_000
            ),
            maximumConnectionsPerAddress: try whole("max_connections_per_address", 512, in: 1...10_000_000)
        )
        let thresholdText = settings["threshold"]
        let threshold = thresholdText.flatMap(Double.init) ?? ScreeningPolicy.defaultThreshold
        guard thresholdText == nil || Double(thresholdText ?? "") != nil,
            (try? ScreeningPolicy(threshold: threshold)) != nil
        else {
            throw ServeSettings.Failure(description: "\(name("threshold")) must be more than 0 and at most 1")
        }
        let listThresholds = try Self.listThresholds(settings["list_thresholds"], setting: name("list_thresholds"))
        let levelText = settings["log_level"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ServeSettings.Failure(description: "\(name("log_level")) \(levelText) is not a level")
        }
        let format = settings["log_format"] ?? "text"
        guard ["text", "json"].contains(format) else {
            throw ServeSettings.Failure(description: "\(name("log_format")) is text or json, not \(format)")
        }
        let (certificate, key) = (settings["tls_cert"], settings["tls_key"])
        if (certificate == nil) != (key == nil) {
            let given = certificate == nil ? "tls_key" : "tls_cert"
            throw ServeSettings.Failure(
                description: "\(name(given)) needs its pair: give both the certificate chain and the private key"
            )
        }
        // The settings have read the environment already; a fresh demo file is named only when it is made.
        let location: DatabaseLocation
        if let text = settings["database"] {
            location = try DatabaseLocation(option: text, environment: [:], default: text)
        } else {
            location = .sqlite(
                path: demo ? (printConfig ? "cordon-demo-*.sqlite" : Self.freshDemoPath()) : "cordon.sqlite"
            )
        }
        let host = settings["host"] ?? "127.0.0.1"
        let keys = settings["keys"] ?? location.defaultKeysFolder
        let node = settings["node"] ?? "\(ProcessInfo.processInfo.hostName):\(port)"
        func shown(_ key: String, _ value: String) -> (key: String, value: String) {
            (key.replacingOccurrences(of: "_", with: "-"), "\(value) (\(settings.source(of: key)))")
        }
        let effective: [(key: String, value: String)] = [
            shown("database", location.description), shown("keys", keys), shown("host", host),
            shown("port", String(port)), shown("node", node), ("demo", String(demo)),
            shown("threshold", String(threshold)),
            shown(
                "list_thresholds",
                listThresholds.isEmpty
                    ? "none"
                    : listThresholds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            ),
            shown("resend_after", "\(resendAfter) s"),
            shown("escalate_after", "\(escalateAfter) s"), shown("wait_for_database", "\(waitForDatabase) s"),
            shown("log_level", levelText), shown("log_format", format),
            shown("streams_per_account", String(streams)),
            shown("max_in_flight", String(inFlight)),
            shown("look_back_hours", "\(lookBackHours) h"),
            shown("header_timeout", "\(connections.headerTimeout.components.seconds) s"),
            shown("body_timeout", "\(connections.bodyTimeout.components.seconds) s"),
            shown("idle_timeout", "\(connections.idleTimeout.components.seconds) s"),
            shown("max_connections", String(connections.maximumConnections)),
            shown("max_connections_per_address", String(connections.maximumConnectionsPerAddress)),
            certificate.map { shown("tls_cert", $0) } ?? ("tls-cert", "none (plain HTTP)"),
            key.map { shown("tls_key", $0) } ?? ("tls-key", "none"),
            shown("feeds", feeds.isEmpty ? "none" : feeds.map(\.absoluteString).joined(separator: ", ")),
            shown("feed_every", "\(feedEvery) s"), ("config", file ?? "none"),
        ]
        return ServeOptions(
            location: location,
            keys: keys,
            host: host,
            port: port,
            node: node,
            threshold: threshold,
            listThresholds: listThresholds,
            resendAfter: resendAfter,
            escalateAfter: escalateAfter,
            waitForDatabase: waitForDatabase,
            logLevel: level,
            logFormat: format,
            streamsPerAccount: streams,
            maxInFlight: inFlight,
            lookBackHours: lookBackHours,
            connections: connections,
            tlsCertificate: certificate,
            tlsKey: key,
            feeds: feeds,
            feedEvery: feedEvery,
            effective: effective
        )
    }

    /// Reads `NAME=T,NAME=T`: each name 1-64 letters, digits, `-`, `_` or `.`, each T in (0, 1], no name twice.
    static func listThresholds(_ text: String?, setting: String) throws -> [String: Double] {
        guard let text else { return [:] }
        var thresholds: [String: Double] = [:]
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let equals = item.lastIndex(of: "=") else {
                throw ServeSettings.Failure(description: "\(setting) takes NAME=T, not \(item)")
            }
            let name = String(item[..<equals])
            let value = String(item[item.index(after: equals)...])
            guard ScreeningPolicy.isListName(name) else {
                throw ServeSettings.Failure(
                    description: "\(setting): \(name) is not a list name (1-64 letters, digits, '-', '_' or '.')"
                )
            }
            guard let threshold = Double(value), ScreeningPolicy.isThreshold(threshold) else {
                throw ServeSettings.Failure(
                    description: "\(setting) for \(name) must be more than 0 and at most 1, not \(value)"
                )
            }
            guard thresholds.updateValue(threshold, forKey: name) == nil else {
                throw ServeSettings.Failure(description: "\(setting) gives \(name) twice")
            }
        }
        return thresholds
    }
}
