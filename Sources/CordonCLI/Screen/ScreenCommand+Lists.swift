import ArgumentParser
import CordonCore
import CordonDemo
import CordonMatch
import CordonScreening
import Foundation

/// Lists for `cordon screen`: one or more files, each a named list, and the thresholds of named lists.
extension ScreenCommand {
    /// Every `--list` file's entries, each marked with its list's name; the demo list without `--list`.
    func loadLists() throws -> [WatchlistEntry] {
        if list.isEmpty { return try Self.loadList(nil) }
        var entries: [WatchlistEntry] = []
        for spec in list {
            let (name, path) = Self.listSpec(spec)
            entries += try Self.loadList(path).map { entry in
                var entry = entry
                entry.list = name
                return entry
            }
        }
        return entries
    }

    /// A `--list` value's list name and file: `NAME=FILE`, or `FILE` named after its base name without
    /// extensions (`lists/fugitives.jsonl` is `fugitives`).
    static func listSpec(_ spec: String) -> (name: String?, path: String) {
        if let equals = spec.firstIndex(of: "="), ScreeningPolicy.isListName(String(spec[..<equals])),
            spec.index(after: equals) < spec.endIndex
        {
            return (String(spec[..<equals]), String(spec[spec.index(after: equals)...]))
        }
        let file = URL(fileURLWithPath: spec).lastPathComponent
        let base = String(file.prefix { $0 != "." })
        return (ScreeningPolicy.isListName(base) ? base : nil, spec)
    }

    /// The list at `list` (Cordon or FollowTheMoney JSON lines), or the demo scenario's wanted list.
    static func loadList(_ list: String?) throws -> [WatchlistEntry] {
        guard let list else {
            // The demo scenario's wanted list: persons still at large, and organisations.
            let scenario: Scenario
            do {
                scenario = try DemoScenario.load()
            } catch {
                throw ScreenFailure(message: "cannot load the demo scenario")
            }
            return WatchlistEntry.wantedList(persons: scenario.persons, organizations: scenario.organizations)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: list))
        } catch {
            throw ScreenFailure(message: "cannot read list \(list)")
        }
        let result = WatchlistReader.parse(data)
        for issue in result.issues.prefix(20) { Self.warn("\(list): \(issue)") }
        if result.issues.count > 20 { Self.warn("\(list): \(result.issues.count - 20) more bad lines") }
        return result.entries
    }

    /// The `--list-threshold NAME=T` values, checked for form and range.
    func listThresholds() throws -> [String: Double] {
        var thresholds: [String: Double] = [:]
        for spec in listThreshold {
            guard let equals = spec.lastIndex(of: "=") else {
                throw ValidationError("--list-threshold takes NAME=T, not \"\(spec)\".")
            }
            let name = String(spec[..<equals])
            let text = String(spec[spec.index(after: equals)...])
            guard ScreeningPolicy.isListName(name) else {
                throw ValidationError("--list-threshold: \"\(name)\" is not a list name (letters, digits, - _ .).")
            }
            guard let value = Double(text), ScreeningPolicy.isThreshold(value) else {
                throw ValidationError("--list-threshold \(name) must be more than 0 and at most 1, not \"\(text)\".")
            }
            guard thresholds.updateValue(value, forKey: name) == nil else {
                throw ValidationError("--list-threshold gives \(name) twice.")
            }
        }
        return thresholds
    }

    /// The list thresholds, each naming a list some entry is on.
    func checkedListThresholds(entries: [WatchlistEntry]) throws -> [String: Double] {
        let thresholds = try listThresholds()
        let names = Set(entries.compactMap(\.list))
        for name in thresholds.keys.sorted() where !names.contains(name) {
            let known = names.isEmpty ? "no list is named" : "lists: \(names.sorted().joined(separator: ", "))"
            throw ScreenFailure(message: "--list-threshold: no list named \(name) (\(known))")
        }
        return thresholds
    }
}
