/// What a score says about identity: of the hits given a score, the share that were the person.
///
/// A score is a similarity: it ranks candidates and is what thresholds are set on, but 0.92 does not
/// mean "92 % likely". The calibration maps a score to that share, fitted by isotonic regression on
/// labelled queries generated from a synthetic list (spellings of listed people, their brothers,
/// namesakes born twenty years apart, unrelated names; `cordon-match-bench calibrate --fit`) and
/// checked on queries drawn with another seed. It holds for that mix of queries: a list or a flow of
/// travellers with more namesakes makes the same score less likely to be the person.
public struct ScoreCalibration: Sendable, Hashable {
    /// A score and the share of hits at that score that were the person.
    public struct Knot: Sendable, Hashable {
        public let score: Double
        public let probability: Double

        public init(score: Double, probability: Double) {
            self.score = score
            self.probability = probability
        }
    }

    /// Scores ascending, probabilities never falling.
    public let knots: [Knot]

    /// A calibration through `knots`, sorted by score; a probability lower than one before it is
    /// raised to it, so that a higher score never means a less likely person.
    public init(knots: [Knot]) {
        var ordered = knots.sorted { $0.score < $1.score }
        for index in ordered.indices.dropFirst() where ordered[index].probability < ordered[index - 1].probability {
            ordered[index] = Knot(score: ordered[index].score, probability: ordered[index - 1].probability)
        }
        self.knots = ordered
    }

    /// The share of hits scored `score` that were the person: linear between knots, the first knot's
    /// below them, the last one's above.
    public func probability(of score: Double) -> Double {
        guard let first = knots.first, let last = knots.last else { return score }
        if score <= first.score { return first.probability }
        if score >= last.score { return last.probability }
        let upper = knots.firstIndex { $0.score >= score } ?? knots.count - 1
        let (a, b) = (knots[upper - 1], knots[upper])
        guard b.score > a.score else { return b.probability }
        return a.probability + (b.probability - a.probability) * (score - a.score) / (b.score - a.score)
    }
}

extension ScoreCalibration {
    /// The calibration every hit reports (see the type's description), fitted on 23,027 hits of 20,000
    /// queries against 20,000 synthetic entries (`cordon-match-bench calibrate --fit --seed 1974`).
    /// Below 0.85 a hit was almost never the person in that mix; at 0.95 and above, 95 % were (the rest
    /// mostly namesakes on the list itself).
    public static let standard = ScoreCalibration(knots: [
        Knot(score: 0.5, probability: 0.005), Knot(score: 0.85, probability: 0.005),
        Knot(score: 0.88, probability: 0.035), Knot(score: 0.9, probability: 0.244),
        Knot(score: 0.92, probability: 0.244), Knot(score: 0.94, probability: 0.699),
        Knot(score: 0.95, probability: 0.949), Knot(score: 1.0, probability: 0.949),
    ])
}
