import Foundation
import Testing

/// The custody ledger as a process sees it: nothing recorded is lost when the server is killed.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CustodyProcessTests {
    @Test func whoHoldsWhatInTheArmorySurvivesKill9() async throws {
        let folder = try TemporaryFolder()
        let database = folder.path("demo.sqlite")
        let first = try ServerProcess(database: database, extra: ["--demo"])
        let custody = try await CheckpointListenTests.token(first, "demo-custody-officer")
        let path = "/v1/facilities/fac-gknb-ward/armory"
        let (issued, _) = try await first.call(
            "POST",
            path,
            token: custody,
            json: ["event": "issue", "serial": "arm-ward-handcuffs", "staff": "st-ward-qodirov-sorbon"]
        )
        #expect(issued == 201)
        first.kill(SIGKILL)

        let second = try ServerProcess(database: database)
        defer { second.kill(SIGTERM) }
        // The token was stored too; the new process knows the handcuffs are out, and with whom.
        let (twice, _) = try await second.call(
            "POST",
            path,
            token: custody,
            json: ["event": "issue", "serial": "arm-ward-handcuffs", "staff": "st-ward-hakimov-ilhom"]
        )
        #expect(twice == 409, "the handcuffs are already issued")
        let (returned, body) = try await second.call(
            "POST",
            path,
            token: custody,
            json: ["event": "return", "serial": "arm-ward-handcuffs", "staff": "st-ward-qodirov-sorbon"]
        )
        #expect(returned == 201, "\(String(describing: body))")
        // What the demo's guards drew stays issued; the handcuffs are back.
        let holding = try #require((body as? [String: Any])?["issued"] as? [String: String])
        #expect(holding["arm-ward-handcuffs"] == nil)
        #expect(holding["ТА 4417"] != nil)
    }
}
