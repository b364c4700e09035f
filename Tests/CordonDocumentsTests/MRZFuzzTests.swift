import CordonCore
import Testing

@testable import CordonDocuments

/// Random and mutated zones: the parser never crashes, and always returns a document or throws a
/// ``ValidationFailure`` naming a line.
struct MRZFuzzTests {
    /// SplitMix64: small, seeded, the same sequence on every platform.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
    static let noise = Array("ABCOISB01580<<<<<< -ёЖ\u{0}\t.«")
    static let specimens =
        [MRZParserTests.td3, MRZParserTests.td1, MRZParserTests.td2, MRZParserTests.mrvA, MRZParserTests.mrvB]

    static func outcome(_ lines: [String]) -> Bool {
        do {
            let document = try MRZParserTests.parser.parse(lines)
            // Every layout reports its check digits and its fields whatever their content.
            return document.checks.count >= 3 && document.fields.count >= 9
                && document.lines.count == document.format.lineCount
        } catch let failure as ValidationFailure {
            return !failure.issues.isEmpty
                && failure.issues.allSatisfy { $0.path.isEmpty || $0.path.hasPrefix("[") }
        } catch {
            return false
        }
    }

    @Test func randomZonesOfEveryShape() {
        var rng = SeededGenerator(state: 9303)
        var documents = 0
        for _ in 0..<3000 {
            let format = MRZFormat.allCases.randomElement(using: &rng)!
            let lineCount =
                Int.random(in: 0...10, using: &rng) == 0 ? Int.random(in: 1...4, using: &rng) : format.lineCount
            var lines: [String] = []
            for _ in 0..<lineCount {
                var length = format.lineLength
                if Int.random(in: 0...10, using: &rng) == 0 { length += Int.random(in: -3...3, using: &rng) }
                let source = Int.random(in: 0...20, using: &rng) == 0 ? Self.noise : Self.alphabet
                var line = String((0..<max(0, length)).map { _ in source.randomElement(using: &rng)! })
                if (format == .mrvA || format == .mrvB) && lines.isEmpty { line = "V" + line.dropFirst() }
                lines.append(line)
            }
            let ok = Self.outcome(lines)
            #expect(ok, "\(lines)")
            if !ok { return }
            if (try? MRZParserTests.parser.parse(lines)) != nil { documents += 1 }
        }
        #expect(documents > 1000)
    }

    @Test func mutatedSpecimens() {
        var rng = SeededGenerator(state: 2010)
        var rejected = 0
        for round in 0..<5000 {
            var lines = Self.specimens[round % Self.specimens.count]
            let mutations = Int.random(in: 1...4, using: &rng)
            for _ in 0..<mutations {
                let line = Int.random(in: 0..<lines.count, using: &rng)
                var characters = Array(lines[line])
                guard !characters.isEmpty else { continue }
                let position = Int.random(in: 0..<characters.count, using: &rng)
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: characters.remove(at: position)
                case 1: characters.insert(Self.alphabet.randomElement(using: &rng)!, at: position)
                case 2: characters[position] = Self.noise.randomElement(using: &rng)!
                default: characters[position] = Self.alphabet.randomElement(using: &rng)!
                }
                lines[line] = String(characters)
            }
            let ok = Self.outcome(lines)
            #expect(ok, "\(lines)")
            if !ok { return }
            if (try? MRZParserTests.parser.parse(lines))?.isValid != true { rejected += 1 }
        }
        // Most changes are caught by the shape, a check digit or a field rule; a letter changed in a
        // name, which no check digit covers, is not.
        #expect(rejected > 3500, "\(rejected) of 5000 rejected")
    }
}
