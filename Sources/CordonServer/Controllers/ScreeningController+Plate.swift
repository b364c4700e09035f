import CordonCore
import CordonDocuments
import CordonScreening
import CordonStore
import Foundation
import Hummingbird

extension ScreeningController {
    /// A screening request: names (one query or a batch), or one plate.
    ///
    /// A body with `plate` (or `plate_country`) is a plate query; anything else is read as names.
    struct ScreenRequest: Decodable {
        enum Kind {
            case names(Body)
            case plate(PlateQuery)
        }

        let kind: Kind

        init(from decoder: any Decoder) throws {
            let keys = try? decoder.container(keyedBy: AnyCodingKey.self)
            let isPlate = [PlateQuery.CodingKeys.plate, .plateCountry].contains {
                keys?.contains(AnyCodingKey(stringValue: $0.rawValue)) ?? false
            }
            kind = isPlate ? .plate(try PlateQuery(from: decoder)) : .names(try Body(from: decoder))
        }
    }

    /// A plate query: `plate`, optionally `plate_country`, and `limit`.
    struct PlateQuery: Decodable {
        let reading: PlateReading
        let country: CountryCode?
        let limit: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case plate
            case plateCountry = "plate_country"
            case limit
        }

        private static var nameKeys: [String] {
            ["name", "birth_date", "nationality", "sex", "document_number", "queries"]
        }

        init(from decoder: any Decoder) throws {
            var object = try ObjectDecoder(decoder, keys: CodingKeys.self, alsoAllowed: Set(Self.nameKeys))
            let text = object.required(.plate, as: String.self)
            let country = object.optional(.plateCountry, as: CountryCode.self)
            let limit = object.optional(.limit, as: Int.self) ?? 10
            if !(1...100).contains(limit) { object.add("limit", .outOfRange, "limit must be from 1 to 100") }
            if let all = try? decoder.container(keyedBy: AnyCodingKey.self) {
                for key in Self.nameKeys where all.contains(AnyCodingKey(stringValue: key)) {
                    object.add(key, .inconsistent, "screen either a plate or names, not both")
                }
            }
            var reading: PlateReading?
            if let text {
                do {
                    reading = try PlateReading(text, country: country)
                } catch let failure as ValidationFailure {
                    object.collector.record(failure, under: object.path("plate"))
                }
            }
            try object.finish()
            self.reading = reading!
            self.country = country
            self.limit = limit
        }
    }

    /// A listed vehicle whose plate matches.
    struct VehicleHit: Encodable {
        let id: String
        let kind: String
        let plate: String
        let country: String
        let make: String
        let model: String
        let colour: String
        let isStolen: Bool
        let score: Double
        let alert: Bool
        let explanation: PlateExplanation

        enum CodingKeys: String, CodingKey {
            case id, kind, plate, country, make, model, colour
            case isStolen = "stolen"
            case score, alert, explanation
        }
    }

    /// Why a plate matched.
    struct PlateExplanation: Encodable {
        let summary: String
        let rule: String
        let queryPlate: String
        let listedPlate: String
        let comparedQuery: String
        let comparedListed: String
        let format: String?
        let region: String?
        let position: Int?
        let listedCharacter: String?
        let readCharacter: String?
        let confusion: Double?
        let isRegionIgnored: Bool
        let isLookAlikeFolded: Bool

        enum CodingKeys: String, CodingKey {
            case summary, rule
            case queryPlate = "query_plate"
            case listedPlate = "listed_plate"
            case comparedQuery = "compared_query"
            case comparedListed = "compared_listed"
            case format, region, position
            case listedCharacter = "listed_character"
            case readCharacter = "read_character"
            case confusion
            case isRegionIgnored = "region_ignored"
            case isLookAlikeFolded = "look_alike_letters"
        }

        init(query: PlateReading, listed: PlateReading, match: PlateMatch) {
            summary = match.summary
            rule = match.rule.rawValue
            queryPlate = query.written
            listedPlate = listed.written
            comparedQuery = match.comparedReading
            comparedListed = match.comparedListed
            format = listed.format?.identifier
            region = listed.region
            position = match.position
            listedCharacter = match.listedCharacter
            readCharacter = match.readCharacter
            confusion = match.confusion.map(rounded)
            isRegionIgnored = match.isRegionIgnored
            isLookAlikeFolded = match.isLookAlikeFolded
        }

        func encode(to encoder: any Encoder) throws {
            // Absent facts are written as null, so every hit has the same keys.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(summary, forKey: .summary)
            try container.encode(rule, forKey: .rule)
            try container.encode(queryPlate, forKey: .queryPlate)
            try container.encode(listedPlate, forKey: .listedPlate)
            try container.encode(comparedQuery, forKey: .comparedQuery)
            try container.encode(comparedListed, forKey: .comparedListed)
            try container.encode(format, forKey: .format)
            try container.encode(region, forKey: .region)
            try container.encode(position, forKey: .position)
            try container.encode(listedCharacter, forKey: .listedCharacter)
            try container.encode(readCharacter, forKey: .readCharacter)
            try container.encode(confusion, forKey: .confusion)
            try container.encode(isRegionIgnored, forKey: .isRegionIgnored)
            try container.encode(isLookAlikeFolded, forKey: .isLookAlikeFolded)
        }
    }

    struct PlateAnswer: Encodable {
        let threshold: Double
        let listVersion: Int64
        let hits: [VehicleHit]

        enum CodingKeys: String, CodingKey {
            case threshold
            case listVersion = "list_version"
            case hits
        }
    }

    /// Screens one plate against the vehicles of interest and writes the request to the audit log.
    func screenPlate(
        _ query: PlateQuery,
        context: CordonRequestContext,
        identity: Identity
    ) async throws -> Response {
        let outcome = screening.screen(plate: query.reading, limit: query.limit)
        let hits = outcome.hits.map { hit, vehicle in
            VehicleHit(
                id: vehicle.id.rawValue,
                kind: "vehicle",
                plate: vehicle.plate.text,
                country: vehicle.country.rawValue,
                make: vehicle.make,
                model: vehicle.model,
                colour: vehicle.colour,
                isStolen: vehicle.isStolen,
                score: rounded(hit.match.score),
                alert: hit.isAlert,
                explanation: PlateExplanation(query: query.reading, listed: hit.plate, match: hit.match)
            )
        }
        let details = JSONValue.object([
            "index_list_version": .number(Double(outcome.listVersion)),
            "queries": .array([
                .object([
                    "plate": .string(query.reading.written),
                    "plate_country": query.country.map { .string($0.rawValue) } ?? .null,
                    "hits": Self.auditHits(hits.map { ($0.id, $0.score, $0.alert) }),
                ])
            ]),
        ])
        _ = try await store.appendAudit(
            .init(
                actor: identity.username,
                role: identity.role,
                action: "screen.plate",
                address: context.remoteAddress,
                details: details
            )
        )
        return try HTTPSupport.json(
            PlateAnswer(threshold: outcome.threshold, listVersion: outcome.listVersion, hits: hits)
        )
    }
}
