import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonMatch
import CordonScreening
import Foundation

extension Station {
    /// The most screenings kept for recording outcomes.
    static var screeningMemory: Int { 200 }

    /// Screens a name, in any script, from the copy.
    func screen(name text: String, session: String?) throws(StationProblem) -> StationScreening {
        let officer = try signedIn(session)
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalid(field: "name", "type the name to screen, in any script") }
        guard name.count <= 300 else { throw .invalid(field: "name", "a name is at most 300 characters") }
        let subject = "name " + name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return try screenPerson(
            ScreeningQuery(name: name),
            kind: .name,
            query: name,
            subject: subject,
            officer: officer
        )
    }

    /// Screens a passport's machine-readable zone: read, checked (check digits, fields, expiry), screened.
    func screen(zone text: String, session: String?) throws(StationProblem) -> StationScreening {
        let officer = try signedIn(session)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else {
            throw .invalid(field: "zone", "type, paste or scan the zone's 2 or 3 lines (the lines with <)")
        }
        let document: MRZDocument
        do {
            document = try DocumentScreening.read(lines, now: now(), timeZone: configuration.zone)
        } catch {
            let issues = (error as? ValidationFailure)?.issues ?? []
            let detail = issues.map { issue in
                let line = issue.path.filter(\.isNumber)
                return (line.isEmpty ? "" : "line \((Int(line) ?? 0) + 1): ") + issue.message
            }
            throw .invalid(
                field: "zone",
                "the zone cannot be read: " + (detail.isEmpty ? "\(error)" : detail.joined(separator: "; "))
            )
        }
        let subject = "document \(document.documentCode) \(document.issuingState) \(document.documentNumber)"
        var screening = try screenPerson(
            DocumentScreening.query(for: document),
            kind: .zone,
            query: lines.joined(separator: "\n"),
            subject: subject,
            officer: officer,
            document: document
        )
        screening.document = StationScreening.Document(document)
        return remember(screening)
    }

    /// Screens a plate against the vehicles of the copy.
    func screen(plate text: String, session: String?) throws(StationProblem) -> StationScreening {
        let officer = try signedIn(session)
        let written = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !written.isEmpty else { throw .invalid(field: "plate", "type the plate as written, in any script") }
        guard let status, index != nil else { throw .noList }
        let reading: PlateReading
        do {
            reading = try PlateReading(written)
        } catch {
            throw .invalid(
                field: "plate",
                "the plate cannot be read: \((error as? ValidationFailure)?.description ?? "\(error)")"
            )
        }
        let found = plates.search(reading, limit: 5)
        let subject = "plate " + reading.canonical
        let held = (try? copy.decisions(subject: subject)) ?? []
        var hits: [StationScreening.Hit] = []
        var queued = 0
        for hit in found {
            let vehicle = vehicles[hit.id]
            hits.append(
                StationScreening.Hit(
                    entry: hit.id,
                    kind: "vehicle",
                    name: hit.plate.written,
                    names: vehicle.map { ["\($0.colour) \($0.make) \($0.model) (\($0.country.rawValue))"] } ?? [],
                    score: (hit.match.score * 1000).rounded() / 1000,
                    alert: hit.isAlert,
                    why: ["\(hit.match.rule): \(hit.match.summary)"]
                        + (vehicle?.isStolen == true ? ["reported stolen"] : []),
                    born: [],
                    nationalities: [],
                    decisions: StationScreening.decisions(held, entry: hit.id)
                )
            )
            if hit.isAlert {
                queue(
                    CheckpointReport(
                        kind: .hit,
                        observedAt: now(),
                        vehicle: hit.id,
                        score: hit.match.score,
                        query: written,
                        listVersion: status.listVersion,
                        officer: officer.label
                    )
                )
                queued += 1
            }
        }
        let alerts = hits.filter(\.alert).count
        var screening = StationScreening(
            id: Self.makeID(),
            kind: .plate,
            query: written,
            subject: subject,
            at: now(),
            listVersion: status.listVersion,
            verdict: alerts > 0 ? "ALERT: a vehicle of interest" : "No vehicle of interest has this plate",
            tone: alerts > 0 ? "alert" : "clear",
            hits: hits,
            queued: queued
        )
        screening.warnings = listWarnings()
        audit(
            "station.screen",
            actor: officer.label,
            details: ["kind": .string("plate"), "query": .string(written), "hits": .number(Double(alerts))]
        )
        return remember(screening)
    }

    /// Checks an officer's pass presented at the barrier, offline.
    func screen(pass text: String, session: String?) throws(StationProblem) -> StationScreening {
        let officer = try signedIn(session)
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw .invalid(field: "pass", "paste or scan the pass to check") }
        let result = verify(token)
        let credential = result.credential
        var screening = StationScreening(
            id: Self.makeID(),
            kind: .pass,
            query: String(token.prefix(24)) + (token.count > 24 ? "…" : ""),
            subject: "pass " + (credential?.id ?? "unreadable"),
            at: now(),
            listVersion: status?.listVersion,
            verdict: result.isValid ? "Pass VALID: \(credential?.name ?? "")" : "Pass refused: " + Self.refusal(result),
            tone: result.isValid ? "clear" : "alert"
        )
        screening.pass = StationScreening.Pass(
            status: result.status.rawValue,
            valid: result.isValid,
            officer: credential?.name,
            serviceNumber: credential?.serviceNumber,
            unit: credential?.unit,
            role: credential?.role,
            validUntil: credential?.validUntil
        )
        if !result.isValid, credential != nil {
            screening.warnings.append("what the pass claims is not vouched for by headquarters")
        }
        screening.warnings += listWarnings()
        audit(
            "station.screen",
            actor: officer.label,
            target: credential.map { "credentials/\($0.id)" },
            details: ["kind": .string("pass"), "status": .string(result.status.rawValue)]
        )
        return remember(screening)
    }

    /// Records what the officers decided about a hit; it is remembered for the subject and goes to
    /// headquarters with the next upload.
    func record(
        outcome: String,
        screening id: String,
        entry: String,
        reason: String?,
        session: String?
    ) throws(StationProblem) -> StationScreening.Decision {
        let officer = try signedIn(session)
        guard let screening = screenings[id] else {
            throw .notFound("no screening '\(id)' at this station: screen again, then record the outcome")
        }
        guard let hit = screening.hits.first(where: { $0.entry == entry }) else {
            throw .invalid(field: "entry", "the screening found no '\(entry)'")
        }
        guard ["detained", "released_after_check", "not_him"].contains(outcome) else {
            throw .invalid(field: "outcome", "the outcome is detained, released_after_check or not_him")
        }
        let why = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        let reasonText = (why?.isEmpty ?? true) ? nil : why
        if outcome == "not_him", reasonText == nil {
            throw .invalid(field: "reason", "say why he is not the man on the list (another birth date, photo, …)")
        }
        if let reasonText, reasonText.count > 1000 { throw .invalid(field: "reason", "at most 1,000 characters") }
        let at = now()
        let decision = CheckpointStore.Decision(
            subject: screening.subject,
            entry: entry,
            outcome: outcome,
            reason: reasonText,
            officer: officer.label,
            decidedAt: at
        )
        let report = CheckpointReport(
            id: decision.id,
            kind: .hit,
            observedAt: at,
            person: hit.kind == "vehicle" ? nil : entry,
            vehicle: hit.kind == "vehicle" ? entry : nil,
            score: hit.score,
            query: String(screening.query.split(whereSeparator: \.isNewline).last.map(String.init)?.prefix(300) ?? ""),
            listVersion: screening.listVersion,
            note: reasonText,
            outcome: outcome,
            officer: officer.label,
            document: screening.kind == .zone ? String(screening.subject.dropFirst("document ".count).prefix(64)) : nil
        )
        do {
            try copy.record(decision, report: report)
        } catch {
            throw .invalid(field: "outcome", "the decision could not be saved: \(error)")
        }
        audit(
            "station.outcome",
            actor: officer.label,
            target: "\(hit.kind == "vehicle" ? "vehicles" : "persons")/\(entry)",
            details: ["outcome": .string(outcome), "subject": .string(screening.subject)]
        )
        syncNow.yield()
        return StationScreening.Decision(
            outcome: outcome,
            label: StationScreening.label(outcome),
            reason: reasonText,
            officer: officer.label,
            at: at
        )
    }

    // MARK: Helpers

    private func screenPerson(
        _ query: ScreeningQuery,
        kind: StationScreening.Kind,
        query text: String,
        subject: String,
        officer: Session,
        document: MRZDocument? = nil
    ) throws(StationProblem) -> StationScreening {
        guard let index, let status else { throw .noList }
        let found: [ScreeningHit]
        do {
            found = try index.screen(query, limit: 5)
        } catch {
            throw .invalid(field: kind == .zone ? "zone" : "name", "\(error)")
        }
        let held = (try? copy.decisions(subject: subject)) ?? []
        var hits: [StationScreening.Hit] = []
        var queued = 0
        for hit in found {
            let entry = index.entry(id: hit.entryID)
            hits.append(
                StationScreening.Hit(
                    entry: hit.entryID,
                    kind: entry?.kind.rawValue ?? "person",
                    name: entry?.name ?? hit.entryID,
                    names: entry.map { $0.aliases + $0.weakAliases } ?? [],
                    score: (hit.score * 1000).rounded() / 1000,
                    alert: hit.isAlert,
                    why: hit.explanation.summary.split(separator: "\n").map(String.init),
                    born: entry?.birthDates.map(\.description) ?? [],
                    nationalities: entry?.nationalities ?? [],
                    decisions: StationScreening.decisions(held, entry: hit.entryID)
                )
            )
            if hit.isAlert, entry?.kind == .person {
                queue(
                    CheckpointReport(
                        kind: .hit,
                        observedAt: now(),
                        person: hit.entryID,
                        score: hit.score,
                        query: String(query.name.prefix(300)),
                        listVersion: status.listVersion,
                        officer: officer.label,
                        document: document.map {
                            String("\($0.documentCode) \($0.issuingState) \($0.documentNumber)".prefix(64))
                        }
                    )
                )
                queued += 1
            }
        }
        let alerts = hits.filter(\.alert)
        let cleared = alerts.filter { $0.decisions.first?.outcome == "not_him" }
        var verdict =
            alerts.isEmpty
            ? "No match on the list"
            : "ALERT: \(alerts.count) possible match\(alerts.count == 1 ? "" : "es") on the list"
        if !alerts.isEmpty, cleared.count == alerts.count { verdict += " (cleared before as not him: see below)" }
        var tone = alerts.isEmpty ? "clear" : "alert"
        var warnings: [String] = []
        if let document {
            if document.isExpired == true, let expiry = document.expiryDate {
                warnings.append("This document EXPIRED on \(expiry): it is not a valid travel document.")
                if alerts.isEmpty { tone = "warning" }
            }
            if !document.isValid {
                warnings.append("The zone FAILS its checks: it may be misread or forged. Check the document by hand.")
                if alerts.isEmpty { tone = "warning" }
            }
        }
        var screening = StationScreening(
            id: Self.makeID(),
            kind: kind,
            query: text,
            subject: subject,
            at: now(),
            listVersion: status.listVersion,
            verdict: verdict,
            tone: tone,
            hits: hits,
            queued: queued
        )
        screening.warnings = warnings + listWarnings()
        if !alerts.isEmpty { screening.instruction = StationScreening.holdInstruction }
        audit(
            "station.screen",
            actor: officer.label,
            details: [
                "kind": .string(kind.rawValue), "subject": .string(subject), "alerts": .number(Double(alerts.count)),
            ]
        )
        return remember(screening)
    }

    private func queue(_ report: CheckpointReport) {
        try? copy.enqueue(report)
        syncNow.yield()
    }

    /// Said with every result while the copy is old.
    func listWarnings() -> [String] {
        switch listFreshness().state {
        case "expired": ["The list copy is past its expiry: sync as soon as the line allows; new names may be missing."]
        case "stale": ["The list copy is older than one sync interval: new names may be missing."]
        default: []
        }
    }

    @discardableResult
    private func remember(_ screening: StationScreening) -> StationScreening {
        if screenings[screening.id] == nil { screeningOrder.append(screening.id) }
        screenings[screening.id] = screening
        while screeningOrder.count > Self.screeningMemory { screenings[screeningOrder.removeFirst()] = nil }
        return screening
    }

    static func makeID() -> String { UUID().uuidString.lowercased() }
}
