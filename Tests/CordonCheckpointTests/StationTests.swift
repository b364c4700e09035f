import CordonCheckpoint
import CordonCore
import CordonDocuments
import CordonEvents
import CordonMatch
import Crypto
import Foundation
import Synchronization
import Testing

@testable import CordonStation

/// The station's rules with a real copy synced from a signed repository and a clock the test moves:
/// who may sign in, screening from the copy, decisions remembered, alerts held until a person reads them.
@Suite("The checkpoint station")
struct StationTests {
    let start = Date(timeIntervalSince1970: 1_282_500_000)  // 22 August 2010, evening in Dushanbe
    let headquarters = Curve25519.Signing.PrivateKey()

    final class Clock: Sendable {
        let value: Mutex<Date>
        init(_ date: Date) { value = Mutex(date) }
        var now: Date { value.withLock { $0 } }
        func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    }

    func pass(
        _ id: String,
        name: String = "Миров Сино",
        role: String = "checkpoint_officer",
        from: Date? = nil,
        until: Date? = nil,
        key: Curve25519.Signing.PrivateKey? = nil
    ) throws -> String {
        let key = key ?? headquarters
        let credential = try OfficerCredential(
            id: id,
            keyID: CredentialKeyID(of: key.publicKey),
            name: name,
            serviceNumber: "VKD-40562",
            unit: "cp-air-dushanbe",
            role: role,
            validFrom: from ?? start - 86400,
            validUntil: until ?? start + 30 * 86400
        )
        return try CredentialToken.make(credential, signedWith: key)
    }

    /// A station over a copy of release 1 (with headquarters' key and one revoked pass), its clock, and
    /// a signed-in officer's session.
    func station(interval: Duration = .seconds(60)) async throws -> (Station, CheckpointStore, Clock, String) {
        let repository = try TestRepository(now: start)
        var list = sampleList(version: 1)
        list.credentialKeys = [Hex.encode(Array(headquarters.publicKey.rawRepresentation))]
        list.revocations = [.init(id: "cr-lost", reason: "lost on the road")]
        list.vehicles = [
            try Vehicle(
                id: VehicleID("veh-niva"),
                plate: PlateNumber("4519 АА 01"),
                country: CountryCode("TJ"),
                make: "VAZ",
                model: "Niva",
                colour: "grey"
            )
        ]
        try repository.publish(list, now: start)
        let store = try CheckpointStore(folder: temporaryFolder())
        try store.setRoot(repository.rootData)
        _ = try await CheckpointSync(store: store, fetcher: repository).run(now: start + 60)
        let clock = Clock(start + 120)
        let station = Station(
            configuration: StationConfiguration(
                servers: [URL(string: "http://127.0.0.1:1")!],
                token: "t",
                checkpoint: "cp-air-dushanbe",
                syncInterval: interval
            ),
            copy: store,
            now: { clock.now }
        )
        await station.reloadList()
        let session = try await station.signIn(pass: try pass("cr-mirov")).key
        return (station, store, clock, session)
    }

    func message(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let problem as StationProblem {
            return "\(problem.field ?? "-"): \(problem.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test func signInTakesAValidPassAndRefusesTheRestSayingWhy() async throws {
        let (station, store, _, _) = try await station()
        let forger = Curve25519.Signing.PrivateKey()
        let cases: [(String, String)] = [
            ("", "paste or scan"),
            ("not a pass", "not a pass"),
            (try pass("cr-forged", key: forger), "FORGED"),
            (try pass("cr-lost"), "REVOKED: lost on the road"),
            (try pass("cr-old", from: start - 90 * 86400, until: start - 86400), "EXPIRED"),
            (try pass("cr-guard", role: "guard"), "a guard pass does not sign in"),
        ]
        for (token, expected) in cases {
            let refusal = await message { _ = try await station.signIn(pass: token) }
            #expect(
                refusal?.hasPrefix("pass: ") == true && refusal?.contains(expected) == true,
                "\(refusal ?? "signed in")"
            )
        }
        let signedIn = try await station.signIn(pass: try pass("cr-ok", name: "Эргашев Дилшод"))
        #expect(signedIn.officer == "Эргашев Дилшод, service number VKD-40562")
        // Each refusal and sign-in is in the station's own chained log.
        let log = try store.auditRecords()
        #expect(log.filter { $0.action == "station.sign_in.refused" }.count == 4)
        #expect(zip(log, log.dropFirst()).allSatisfy { $1.previousHash == $0.hash && $1.sequence == $0.sequence + 1 })
    }

    @Test func aNotHimDecisionIsRememberedShownAgainAndQueuedForHeadquarters() async throws {
        let (station, store, clock, session) = try await station()
        let empty = await message { _ = try await station.screen(name: "  ", session: session) }
        #expect(empty == "name: type the name to screen, in any script")
        let unsigned = await message { _ = try await station.screen(name: "Ziyoyev", session: nil) }
        #expect(unsigned?.contains("sign in") == true)

        let first = try await station.screen(name: "Мирзо Зиёев", session: session)
        let hit = try #require(first.hits.first { $0.alert })
        #expect(hit.entry == "p-ziyoev-mirzo" && first.tone == "alert" && first.queued == 1)
        #expect(first.instruction?.hasPrefix("Do not let them through") == true)
        #expect(hit.decisions.isEmpty)
        let noReason = await message {
            _ = try await station.record(
                outcome: "not_him",
                screening: first.id,
                entry: hit.entry,
                reason: " ",
                session: session
            )
        }
        #expect(noReason?.hasPrefix("reason: ") == true)
        let decision = try await station.record(
            outcome: "not_him",
            screening: first.id,
            entry: hit.entry,
            reason: "born 1991, a namesake",
            session: session
        )
        #expect(decision.officer == "Миров Сино, service number VKD-40562")

        clock.advance(3600)
        let again = try await station.screen(name: "мирзо   зиёев", session: session)
        let shown = try #require(again.hits.first { $0.entry == "p-ziyoev-mirzo" })
        #expect(shown.alert, "a cleared hit still alerts: the decision is shown, never hides it")
        #expect(shown.decisions.map(\.outcome) == ["not_him"] && shown.decisions[0].reason == "born 1991, a namesake")
        #expect(again.verdict.contains("cleared before as not him"))

        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let reports = try store.pendingReports().map { try decoder.decode(CheckpointReport.self, from: $0.body) }
        #expect(reports.count == 3)
        let outcome = try #require(reports.first { $0.outcome != nil })
        #expect(outcome.outcome == "not_him" && outcome.person == "p-ziyoev-mirzo")
        #expect(outcome.officer == "Миров Сино, service number VKD-40562" && outcome.note == "born 1991, a namesake")
    }

    /// A TD3 zone with its check digits computed by Cordon's own rule.
    func zone(surname: String, given: String, number: String, born: String, expires: String) -> String {
        func digit(_ text: String) -> String { String(MRZCheckDigit.compute(text)) }
        let line1 = String(("P<TJK\(surname)<<\(given)" + String(repeating: "<", count: 44)).prefix(44))
        let document = number.padding(toLength: 9, withPad: "<", startingAt: 0)
        let personal = String(repeating: "<", count: 14)
        let body = document + digit(document) + "TJK" + born + digit(born) + "M" + expires + digit(expires)
        let line2 = body + personal + digit(personal)
        let composite = Array(line2)
        let checked = String(composite[0..<10]) + String(composite[13..<20]) + String(composite[21..<43])
        return line1 + "\n" + line2 + digit(checked)
    }

    @Test func aZoneSaysPlainlyWhenItsDocumentExpiredOrItsChecksFail() async throws {
        let (station, _, _, session) = try await station()
        let expired = zone(surname: "ZIYOEV", given: "MIRZO", number: "4012345", born: "730101", expires: "090315")
        let result = try await station.screen(zone: expired, session: session)
        #expect(result.document?.expired == true && result.document?.valid == true)
        #expect(result.warnings.contains { $0.contains("EXPIRED on 2009-03-15") })
        #expect(result.hits.contains { $0.entry == "p-ziyoev-mirzo" && $0.alert })
        #expect(result.subject == "document P TJK 4012345")

        let current = zone(surname: "KARIMOV", given: "DAVRON", number: "4099999", born: "800101", expires: "150101")
        let valid = try await station.screen(zone: current, session: session)
        #expect(valid.document?.expired == false && valid.warnings.isEmpty)

        var broken = Array(expired)
        broken[broken.count - 1] = broken.last == "0" ? "1" : "0"
        let failing = try await station.screen(zone: String(broken), session: session)
        #expect(failing.document?.valid == false)
        #expect(failing.document?.failures.contains { $0.hasPrefix("composite") } == true)
        #expect(failing.warnings.contains { $0.contains("FAILS its checks") })

        let unreadable = await message { _ = try await station.screen(zone: "P<TJK\n123", session: session) }
        #expect(unreadable?.hasPrefix("zone: the zone cannot be read: line") == true, "\(unreadable ?? "")")
    }

    @Test func platesAndPassesAreScreenedFromTheCopy() async throws {
        let (station, _, _, session) = try await station()
        let plate = try await station.screen(plate: "4519 AA 01", session: session)
        #expect(plate.hits.first?.entry == "veh-niva" && plate.hits.first?.alert == true && plate.queued == 1)
        let none = try await station.screen(plate: "0000 ZZ 99", session: session)
        #expect(none.hits.allSatisfy { !$0.alert } && none.tone == "clear" && none.instruction == nil)
        let revoked = try await station.screen(pass: try pass("cr-lost"), session: session)
        #expect(revoked.pass?.status == "revoked" && revoked.tone == "alert" && revoked.verdict.contains("REVOKED"))
        let valid = try await station.screen(pass: try pass("cr-other", name: "Давлатшоев Хуршед"), session: session)
        #expect(valid.pass?.valid == true && valid.verdict == "Pass VALID: Давлатшоев Хуршед")
    }

    func frame(
        _ id: String,
        sequence: Int,
        kind: Alert.Kind = .beOnLookout,
        references: [String] = []
    ) throws
        -> AlertFrame
    {
        let alert = try Alert(
            id: AlertID(id),
            incident: IncidentID("inc-escape"),
            kind: kind,
            sentAt: start,
            headline: "Watch for Ziyoev",
            persons: kind == .cancel ? [] : [PersonID("p-ziyoev-mirzo")]
        )
        let cap = CAPReference(
            identifier: "cap-" + id,
            messageType: kind == .update ? "Update" : "Alert",
            references: references,
            xml: "<alert/>"
        )
        return AlertFrame(sequence: sequence, resend: false, content: AlertContent(alert: alert, cap: cap))
    }

    @Test func anAlertStaysOnTopUntilANamedOfficerAcknowledgesIt() async throws {
        let (station, _, _, session) = try await station()
        await station.take(.connected(lastSequence: 0))
        await station.take(.alert(try frame("al-first", sequence: 1), isNew: true))
        var snapshot = await station.snapshot(session: nil)
        #expect(snapshot.alerts.map(\.stage) == [.new] && snapshot.link.state == "online")
        #expect(snapshot.alerts[0].persons.first?.names == ["Mirzo Ziyoyev"], "names come from the copy")
        try await station.shown("al-first", session: nil)
        let anonymous = await message { _ = try await station.acknowledge("al-first", session: nil) }
        #expect(anonymous?.contains("sign in") == true)
        // An update refers to the first: it replaces it once both are read.
        await station.take(
            .alert(try frame("al-second", sequence: 2, kind: .update, references: ["cap-al-first"]), isNew: true)
        )
        let acknowledged = try await station.acknowledge("al-first", session: session)
        #expect(acknowledged.acknowledgedBy == "Миров Сино, service number VKD-40562")
        snapshot = await station.snapshot(session: session)
        #expect(snapshot.alerts.map(\.id) == ["al-second"], "open alerts first; the replaced one is gone once read")
        _ = try await station.acknowledge("al-second", session: session)
        await station.take(.acknowledged(alert: "al-second", ackIdentifier: "cordon-ack-1"))
        snapshot = await station.snapshot(session: session)
        #expect(snapshot.alerts.first?.ackIdentifier == "cordon-ack-1")
        // An acknowledgement given before the officer signed out still goes with their pass.
        await station.signOut(session)
        #expect(await station.acknowledgementPasses["al-first"] != nil, "kept until headquarters confirms it")
        #expect(await station.acknowledgementPasses["al-second"] == nil, "dropped once confirmed")
        let again = try await station.signIn(pass: try pass("cr-mirov")).key
        // A revocation on the stream signs the officer out at once.
        #expect(await station.snapshot(session: again).officer != nil)
        await station.take(.revocationsChanged(["cr-mirov"]))
        #expect(await station.snapshot(session: again).officer == nil)
    }

    @Test func theListTurnsAmberPastOneIntervalAndRedPastItsExpiry() async throws {
        let (station, _, clock, _) = try await station(interval: .seconds(60))
        #expect(await station.listFreshness().state == "fresh")
        clock.advance(600)
        #expect(await station.listFreshness().state == "stale")
        clock.advance(400 * 86400)
        #expect(await station.listFreshness().state == "expired")
        await station.take(.connectionLost("refused", retryIn: .seconds(1)))
        let snapshot = await station.snapshot(session: nil)
        #expect(snapshot.link.state == "offline" && snapshot.list.state == "expired")
    }
}
