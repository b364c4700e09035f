import Configuration
import Foundation

/// One setting of `cordon serve` under its three names: the flag, the environment variable and the key in
/// a configuration file.
struct ServeSetting: Sendable {
    enum Kind: Sendable {
        case text
        case whole
        case number

        var configType: ConfigType {
            switch self {
            case .text: .string
            case .whole: .int
            case .number: .double
            }
        }

        var name: String {
            switch self {
            case .text: "text"
            case .whole: "a whole number"
            case .number: "a number"
            }
        }
    }

    /// The key in a configuration file: `port`, `resend_after`.
    let key: String
    let kind: Kind
    /// The environment variable's name is `CORDON_` and the key in capitals, unless given.
    let environmentKey: [String]
    /// `--resend-after`: the key with dashes, unless given (a repeated flag is named in the singular).
    let flag: String

    init(_ key: String, _ kind: Kind, environment: [String]? = nil, flag: String? = nil) {
        self.key = key
        self.kind = kind
        environmentKey = environment ?? ["cordon", key]
        self.flag = flag ?? "--" + key.replacingOccurrences(of: "_", with: "-")
    }

    /// `CORDON_RESEND_AFTER`.
    var environmentVariable: String { environmentKey.joined(separator: "_").uppercased() }
}

/// The settings of `cordon serve` from, in this order of precedence, its flags, the environment
/// (`CORDON_…`) and a JSON configuration file (`--config`, or `CORDON_CONFIG`), through
/// swift-configuration's providers. Each value comes with where it came from; a value of the wrong kind
/// is an error naming its source, never silently replaced by the default.
struct ServeSettings: Sendable {
    /// Every setting, the one documented set of keys (docs/DEPLOYMENT.md).
    static let all: [ServeSetting] = [
        ServeSetting("database", .text, environment: ["cordon", "database", "url"]),
        ServeSetting("keys", .text),
        ServeSetting("host", .text),
        ServeSetting("port", .whole),
        ServeSetting("node", .text),
        ServeSetting("threshold", .number),
        ServeSetting("list_thresholds", .text, flag: "--list-threshold"),
        ServeSetting("resend_after", .whole),
        ServeSetting("escalate_after", .whole),
        ServeSetting("wait_for_database", .whole),
        ServeSetting("log_level", .text),
        ServeSetting("log_format", .text),
        ServeSetting("streams_per_account", .whole),
        ServeSetting("max_in_flight", .whole),
        ServeSetting("look_back_hours", .whole),
        ServeSetting("header_timeout", .whole),
        ServeSetting("body_timeout", .whole),
        ServeSetting("idle_timeout", .whole),
        ServeSetting("max_connections", .whole),
        ServeSetting("max_connections_per_address", .whole),
        ServeSetting("tls_cert", .text),
        ServeSetting("tls_key", .text),
        ServeSetting("feeds", .text),
        ServeSetting("feed_every", .whole),
    ]

    /// A setting's value and where it came from (`--port`, `CORDON_PORT`, `cordon.json`).
    struct Value: Sendable {
        let text: String
        let source: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let values: [String: Value]

    /// Reads every setting.
    ///
    /// - Parameters:
    ///   - flags: the settings given on the command line, by key.
    ///   - environment: the process's environment.
    ///   - file: the configuration file, if any.
    static func read(flags: [String: String], environment: [String: String], file: String?) async throws -> Self {
        let variables = EnvironmentVariablesProvider(environmentVariables: environment)
        var fileProvider: FileProvider<JSONSnapshot>?
        if let file {
            guard FileManager.default.fileExists(atPath: file) else {
                throw Failure(description: "no configuration file \(file)")
            }
            do {
                // The file's path goes in through a reader, as the provider reads its own settings.
                let path = InMemoryProvider(values: ["filePath": ConfigValue(.string(file), isSecret: false)])
                fileProvider = try await FileProvider<JSONSnapshot>(config: ConfigReader(provider: path))
            } catch {
                throw Failure(description: "\(file) is not a JSON object of settings")
            }
            try checkKeys(of: file)
        }
        var values: [String: Value] = [:]
        for setting in all {
            if let given = flags[setting.key] {
                values[setting.key] = Value(text: given, source: setting.flag)
                continue
            }
            if let found = try lookUp(
                setting,
                in: variables,
                key: setting.environmentKey,
                source: setting.environmentVariable
            ) {
                values[setting.key] = found
                continue
            }
            if let fileProvider, let file,
                let found = try lookUp(setting, in: fileProvider, key: [setting.key], source: file)
            {
                values[setting.key] = found
            }
        }
        return Self(values: values)
    }

    private static func lookUp(
        _ setting: ServeSetting,
        in provider: some ConfigProvider,
        key: [String],
        source: String
    ) throws -> Value? {
        let result: LookupResult
        do {
            result = try provider.value(forKey: AbsoluteConfigKey(key), type: setting.kind.configType)
        } catch {
            let name = source.hasPrefix("CORDON_") ? source : "\(source): \(setting.key)"
            throw Failure(description: "\(name) must be \(setting.kind.name)")
        }
        guard let content = result.value?.content else { return nil }
        switch content {
        case .string(let text): return Value(text: text, source: source)
        case .int(let number): return Value(text: String(number), source: source)
        case .double(let number): return Value(text: String(number), source: source)
        default: throw Failure(description: "\(source): \(setting.key) must be \(setting.kind.name)")
        }
    }

    /// A key the server does not know is a mistake (a typo would otherwise be ignored in silence).
    private static func checkKeys(of file: String) throws {
        guard let data = FileManager.default.contents(atPath: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw Failure(description: "\(file) is not a JSON object of settings")
        }
        let known = Set(all.map(\.key))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Failure(
                description: "\(file): '\(unknown)' is not a setting (known: \(all.map(\.key).joined(separator: ", ")))"
            )
        }
    }

    /// A setting's text, if any source gave it.
    subscript(_ key: String) -> String? { values[key]?.text }

    /// Where a setting came from, or `default`.
    func source(of key: String) -> String { values[key]?.source ?? "default" }
}
