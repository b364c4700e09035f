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
        let hits = outcome.hits.map { hit, vehicle in VehicleHit(hit, vehicle: vehicle, query: query.reading) }
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
        _ = try await auditor.append(
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
