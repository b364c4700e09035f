import Testing

@testable import CordonMatch

/// A score's calibration: linear between its knots, flat beyond them, never falling as the score rises.
@Suite struct ScoreCalibrationTests {
    @Test func interpolatesBetweenKnotsAndHoldsBeyondThem() {
        let calibration = ScoreCalibration(knots: [
            .init(score: 0.8, probability: 0.1), .init(score: 0.9, probability: 0.5),
            .init(score: 1.0, probability: 0.9),
        ])
        #expect(calibration.probability(of: 0.2) == 0.1)
        #expect(abs(calibration.probability(of: 0.85) - 0.3) < 1e-9)
        #expect(calibration.probability(of: 0.9) == 0.5)
        #expect(abs(calibration.probability(of: 0.95) - 0.7) < 1e-9)
        #expect(calibration.probability(of: 1.0) == 0.9)
    }

    @Test func aHigherScoreNeverMeansALessLikelyPerson() {
        // Knots out of order and a dip are put right when the calibration is made.
        let calibration = ScoreCalibration(knots: [
            .init(score: 0.95, probability: 0.6), .init(score: 0.9, probability: 0.7),
            .init(score: 1.0, probability: 0.9),
        ])
        #expect(calibration.knots.map(\.score) == [0.9, 0.95, 1.0])
        #expect(calibration.knots.map(\.probability) == [0.7, 0.7, 0.9])
        var last = 0.0
        for step in 0...100 {
            let probability = ScoreCalibration.standard.probability(of: Double(step) / 100)
            #expect(probability >= last && (0...1).contains(probability))
            last = probability
        }
    }

    @Test func everyHitSaysHowLikelyItIsThePerson() throws {
        let index = ScreeningIndex(entries: [
            WatchlistEntry(id: "p-1", name: "Давлатов Хикматулло", aliases: ["Hikmatullo Davlatov"]),
            WatchlistEntry(id: "p-2", name: "Karimov Davron"),
        ])
        let exact = try #require(try index.screen(ScreeningQuery(name: "Hikmatullo Davlatov")).first)
        #expect(exact.probability == ScoreCalibration.standard.probability(of: exact.score))
        #expect(exact.probability > 0.9)
        // A weak hit (another man's given name) is said to be unlikely.
        let weak = try index.screen(ScreeningQuery(name: "Davron Rahimov")).first { $0.entryID == "p-2" }
        if let weak { #expect(weak.probability < 0.5, "\(weak.score)") }
    }
}
