import CordonAlerts
import CordonCore
import CordonServer
import CordonStore
import Foundation

extension DashboardData {
    // MARK: Map

    /// The map: the towns, the facility, checkpoints coloured by the latest checkpoint alert's
    /// delivery, sightings; each point named by where it lies from the nearest town.
    func mapView(for role: Role, clock: DashboardClock, snapshot: Snapshot) async -> MapView {
        let facilities = snapshot.facilities.map { facility in
            point(facility.location, id: "facility-\(facility.id.rawValue)", kind: "facility", state: "") {
                "\(facility.name) (\($0))"
            }
            .named(facility.name)
        }
        var states: [String: String] = [:]
        var headline: String?
        var alertID = ""
        if DashboardVisibility.deliveries.contains(role),
            let latest = snapshot.alerts.filter({ !$0.checkpoints.isEmpty })
                .max(by: { ($0.sentAt, $0.id) < ($1.sentAt, $1.id) })
        {
            headline = latest.headline
            alertID = latest.id.rawValue
            for delivery in await alerts.deliveries(of: latest.id) {
                states[delivery.recipient] = Self.deliveryRow(delivery, name: "", clock: clock).state
            }
        }
        let checkpoints = snapshot.checkpoints.sorted { $0.name < $1.name }.map { checkpoint in
            let state = states["checkpoints/\(checkpoint.id.rawValue)"] ?? "none"
            // The state stays last, after the last colon: the live feed rewrites it there.
            return point(
                checkpoint.location,
                id: "checkpoints/\(checkpoint.id.rawValue)",
                kind: "checkpoint",
                state: state
            ) { "\(checkpoint.name) (\($0)): \(state == "none" ? "no alert" : state)" }
            .named(checkpoint.name)
        }
        var sightings: [MapPoint] = []
        if DashboardVisibility.sightings.contains(role) {
            for sighting in snapshot.sightings.sorted(by: { $0.observedAt < $1.observedAt }) {
                sightings.append(sightingPoint(sighting, names: snapshot.names, clock: clock))
            }
        }
        return MapView(
            width: DashboardMap.number(map.width),
            height: DashboardMap.number(map.height),
            outline: map.outline,
            places: places(),
            facilities: facilities,
            checkpoints: checkpoints,
            sightings: sightings,
            alertHeadline: headline,
            alertID: alertID
        )
    }

    /// The towns that fall on the drawing, biggest first.
    func places() -> [MapPlace] {
        gazetteer.places.compactMap { place in
            guard let coordinates = try? Coordinates(latitude: place.latitude, longitude: place.longitude) else {
                return nil
            }
            let projected = map.project(coordinates)
            guard map.contains(projected) else { return nil }
            return MapPlace(
                name: place.name,
                x: DashboardMap.number(projected.x),
                y: DashboardMap.number(projected.y),
                rank: place.rank,
                symbol: place.rank <= 1 ? "city" : "town",
                foreign: (place.country ?? "TJK") != "TJK"
            )
        }
    }

    /// A sighting's triangle: its title says when, who, where, and the coordinates.
    func sightingPoint(_ sighting: Sighting, names: Names, clock: DashboardClock) -> MapPoint {
        let words = sightingText(sighting, names: names)
        return point(
            sighting.location,
            id: "sighting-\(sighting.id.rawValue)",
            kind: "sighting",
            state: sighting.confidence.rawValue
        ) { _ in "\(clock.time(sighting.observedAt)): \(words.text) — \(words.place.title)" }
    }

    /// A point projected on the map, named by the nearest town; `label` makes its title from
    /// `12 km east of Vahdat, 38.6050, 69.0850`.
    func point(
        _ location: Coordinates,
        id: String,
        kind: String,
        state: String,
        label: (String) -> String
    ) -> MapPoint {
        let projected = map.project(location)
        let position = gazetteer.position(latitude: location.latitude, longitude: location.longitude)
        let coordinates = Gazetteer.coordinates(latitude: location.latitude, longitude: location.longitude)
        let words = position?.text ?? coordinates
        return MapPoint(
            id: id,
            x: DashboardMap.number(projected.x),
            y: DashboardMap.number(projected.y),
            kind: kind,
            state: state,
            label: label(words == coordinates ? coordinates : "\(words), \(coordinates)"),
            town: position?.place.name ?? "",
            position: words,
            coordinates: coordinates
        )
    }
}

extension MapPoint {
    /// The same point with its own name.
    func named(_ name: String) -> MapPoint {
        var point = self
        point.name = name
        return point
    }
}
