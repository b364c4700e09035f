import ArgumentParser
import CordonCore
import CordonDemo
import CordonDocuments
import Foundation

/// `cordon screen --plate`: one plate against the vehicles of interest.
extension ScreenCommand {
    func validatePlate(_ plate: String) throws {
        if name != nil || batch != nil { throw ValidationError("Give either --plate or a NAME/--batch, not both.") }
        if !list.isEmpty { throw ValidationError("--list holds persons; give vehicles with --vehicles.") }
        for (flag, value) in [
            ("--born", born), ("--nationality", nationality), ("--sex", sex), ("--document", document),
        ]
        where value != nil {
            throw ValidationError("\(flag) screens a name, not a plate.")
        }
        if let plateCountry, (try? CountryCode(plateCountry)) == nil {
            throw ValidationError("--plate-country must be a two-letter country code, not \"\(plateCountry)\".")
        }
        do {
            _ = try PlateReading(plate)
        } catch let failure as ValidationFailure {
            throw ValidationError("--plate \"\(plate)\": \(failure.description).")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be in [0, 1].") }
    }

    func runPlate(_ plate: String) throws {
        let country = try plateCountry.map { try CountryCode($0) }
        let reading = try PlateReading(plate, country: country)
        let vehicles = try loadVehicles()
        let index = PlateIndex(
            vehicles.compactMap { vehicle in
                (try? PlateReading(vehicle.plate.text, country: vehicle.country)).map {
                    (id: vehicle.id.rawValue, plate: $0)
                }
            },
            threshold: threshold ?? PlateMatcher.defaultThreshold
        )
        let byID = Dictionary(vehicles.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { $1 })
        let hits = index.search(reading, limit: limit ?? 5)
        if json {
            print(Self.plateJSON(hits: hits, reading: reading, vehicles: byID))
        } else {
            print(Self.plateText(hits: hits, vehicles: byID, threshold: index.threshold))
        }
    }

    /// The demo scenario's vehicles, or those of `--vehicles` (JSON lines of vehicles).
    func loadVehicles() throws -> [Vehicle] { try Self.loadVehicles(vehicles) }

    /// The vehicles at `vehicles` (JSON lines), or the demo scenario's.
    static func loadVehicles(_ vehicles: String?) throws -> [Vehicle] {
        guard let vehicles else {
            do {
                return try DemoScenario.load().vehicles
            } catch {
                throw ScreenFailure(message: "cannot load the demo scenario")
            }
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: vehicles))
        } catch {
            throw ScreenFailure(message: "cannot read vehicles \(vehicles)")
        }
        let decoder = JSONDecoder.cordon()
        var read: [Vehicle] = []
        var bad = 0
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            if trimmed.isEmpty { continue }
            do {
                read.append(try decoder.decode(Vehicle.self, from: Data(trimmed)))
            } catch {
                bad += 1
                if bad <= 20 { Self.warn("\(vehicles):\(number + 1): \(error)") }
            }
        }
        if bad > 20 { Self.warn("\(vehicles): \(bad - 20) more bad lines") }
        return read
    }

    static func plateText(hits: [PlateIndex<String>.Hit], vehicles: [String: Vehicle], threshold: Double) -> String {
        if hits.isEmpty { return "No vehicle of interest has this plate." }
        var lines: [String] = []
        for (k, hit) in hits.enumerated() {
            let flag = hit.isAlert ? "ALERT" : "below threshold \(threshold)"
            let vehicle = vehicles[hit.id]
            let what = vehicle.map {
                "\($0.make) \($0.model), \($0.colour)\($0.isStolen ? ", stolen" : "") (\($0.country.rawValue))"
            }
            lines.append(
                "\(k + 1). \(hit.plate.written) — \(what ?? "") [\(hit.id)] score \(rounded(hit.match.score)) — \(flag)"
            )
            lines.append("   \(hit.match.rule): \(hit.match.summary)")
        }
        return lines.joined(separator: "\n")
    }

    static func plateJSON(hits: [PlateIndex<String>.Hit], reading: PlateReading, vehicles: [String: Vehicle]) -> String
    {
        let array: [[String: Any]] = hits.map { hit in
            let vehicle = vehicles[hit.id]
            let match = hit.match
            return [
                "id": hit.id,
                "kind": "vehicle",
                "plate": hit.plate.written,
                "country": vehicle?.country.rawValue ?? "",
                "make": vehicle?.make ?? "",
                "model": vehicle?.model ?? "",
                "colour": vehicle?.colour ?? "",
                "stolen": vehicle?.isStolen ?? false,
                "score": rounded(match.score),
                "alert": hit.isAlert,
                "explanation": [
                    "summary": match.summary,
                    "rule": match.rule.rawValue,
                    "query_plate": reading.written,
                    "listed_plate": hit.plate.written,
                    "compared_query": match.comparedReading,
                    "compared_listed": match.comparedListed,
                    "format": hit.plate.format?.identifier as Any? ?? NSNull(),
                    "region": hit.plate.region as Any? ?? NSNull(),
                    "position": match.position as Any? ?? NSNull(),
                    "listed_character": match.listedCharacter as Any? ?? NSNull(),
                    "read_character": match.readCharacter as Any? ?? NSNull(),
                    "confusion": match.confusion as Any? ?? NSNull(),
                    "region_ignored": match.isRegionIgnored,
                    "look_alike_letters": match.isLookAlikeFolded,
                ] as [String: Any],
            ]
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
