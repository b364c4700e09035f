import Foundation
import Testing

@testable import CordonMatch

/// Scoring one entry directly, explaining a miss, and thresholds per named list.
struct MissExplanationTests {
    static let entries = [
        WatchlistEntry(
            id: "a",
            name: "Davron Kholiqnazarov",
            birthDates: [ScreeningDate(year: 1981)!],
            list: "tonight"
        ),
        WatchlistEntry(id: "b", name: "Davron Kholiqnazarov", list: "general"),
        WatchlistEntry(id: "c", name: "Gulnora Saidmuradova"),
    ]

    @Test func aListAlertsAtItsOwnThresholdAndTheHitSaysWhich() throws {
        var options = ScreeningIndex.Options()
        options.listThresholds = ["tonight": 0.6]
        let index = ScreeningIndex(entries: Self.entries, options: options)
        let hits = try index.screen(ScreeningQuery(name: "Kholiqnazarov"))
        let tonight = try #require(hits.first { $0.entryID == "a" })
        let general = try #require(hits.first { $0.entryID == "b" })
        #expect(tonight.score == general.score)
        #expect(tonight.threshold == 0.6 && tonight.isAlert)
        #expect(general.threshold == ScreeningIndex.defaultThreshold && !general.isAlert)
        #expect(options.threshold(forList: nil) == ScreeningIndex.defaultThreshold)
    }

    @Test func anEntryIsScoredEvenWhenItIsNoCandidate() throws {
        var options = ScreeningIndex.Options()
        options.candidateLimit = 1
        let index = ScreeningIndex(entries: Self.entries, options: options)
        let query = ScreeningQuery(name: "Gulnora Saidmuradova")
        let direct = try #require(try index.score(query, entryID: "c"))
        #expect(direct.score == 1 && direct.isAlert)
        let unrelated = try #require(try index.explainMiss(query, entryID: "a"))
        #expect(!unrelated.isCandidate && !unrelated.isAlert)
        #expect(unrelated.score == 0)
        #expect(unrelated.costs.map(\.factor) == [.noMatch])
        #expect(try index.explainMiss(query, entryID: "nobody") == nil)
        #expect(throws: ScreeningError.emptyName) { try index.explainMiss(ScreeningQuery(name: "--"), entryID: "a") }
    }

    @Test func eachFactorIsPricedLargestFirst() throws {
        let index = ScreeningIndex(entries: Self.entries)
        let query = ScreeningQuery(name: "Davron Kholiqnazarow", birthDate: ScreeningDate(year: 1960))
        let miss = try #require(try index.explainMiss(query, entryID: "a"))
        #expect(miss.isCandidate && !miss.isAlert)
        #expect(miss.gap == ((miss.threshold - miss.score) * 10_000).rounded() / 10_000)
        let factors = miss.costs.map(\.factor)
        #expect(factors.first == .birthDate, "\(miss.summary)")
        #expect(factors.contains(.spelling), "\(miss.summary)")
        #expect(miss.costs.map(\.points) == miss.costs.map(\.points).sorted(by: >))
        // Without the date, the name alone scores what the date cost on top of the score.
        let alone = try #require(try index.score(ScreeningQuery(name: "Davron Kholiqnazarow"), entryID: "a"))
        #expect(abs(alone.score - (miss.score + miss.costs[0].points)) < 0.0002)

        let left = try #require(try index.explainMiss(ScreeningQuery(name: "Kholiqnazarov"), entryID: "b"))
        #expect(left.costs.contains { $0.factor == .missingFromQuery && $0.points > 0 }, "\(left.summary)")
        #expect(left.summary.hasPrefix("silent: "))
    }
}
