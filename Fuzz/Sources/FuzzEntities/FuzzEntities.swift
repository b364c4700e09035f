import CordonCore
import Foundation
import FuzzSupport

/// The model's validating JSON decoders: the input is a request body, decoded as every entity the
/// API and the store read, with the decoder the server uses (`JSONDecoder.cordon` at a given "now",
/// instants limited to the years 0000-9999 in UTC as the server limits them).
///
/// Invariants: a body is refused only with a `ValidationFailure` or a `DecodingError` (what the server
/// answers 422 with; anything else would be a 500); an entity taken, encoded as the store keeps it and
/// decoded again is taken, and from then on encoding and decoding change nothing.
let now = Instant.parse("2025-06-01T00:00:00Z")!
let encoder = JSONEncoder.cordon()

let decoder: JSONDecoder = {
    let decoder = JSONDecoder.cordon(context: ValidationContext(now: now))
    guard case .custom(let parse) = decoder.dateDecodingStrategy else { return decoder }
    let utc = TimeZone(secondsFromGMT: 0)!
    decoder.dateDecodingStrategy = .custom { decoder in
        let date = try parse(decoder)
        guard Instant.parse(Instant.format(date, in: utc)) != nil else {
            throw ValidationFailure(path: "", reason: .outOfRange, message: "outside the years 0000-9999")
        }
        return date
    }
    return decoder
}()

func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ data: Data) {
    let value: T
    do {
        value = try decoder.decode(T.self, from: data)
    } catch is ValidationFailure {
        return
    } catch is DecodingError {
        return
    } catch {
        invariant(false, "\(T.self) refused with \(error)")
        return
    }
    do {
        let stored = try encoder.encode(value)
        let read = try decoder.decode(T.self, from: stored)
        let restored = try encoder.encode(read)
        invariant(restored == stored, "\(T.self) is stored otherwise the second time")
        let reread = try decoder.decode(T.self, from: restored)
        invariant(reread == read, "\(T.self) reads otherwise the second time")
    } catch {
        invariant(false, "\(T.self) as stored is refused: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzEntities(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(bytes(start, count))
    roundTrip(Person.self, data)
    roundTrip(Organization.self, data)
    roundTrip(Relation.self, data)
    roundTrip(Vehicle.self, data)
    roundTrip(Facility.self, data)
    roundTrip(Checkpoint.self, data)
    roundTrip(StaffMember.self, data)
    roundTrip(CustodyRecord.self, data)
    roundTrip(Incident.self, data)
    roundTrip(Alert.self, data)
    roundTrip(Sighting.self, data)
    roundTrip(TimelineEvent.self, data)
    roundTrip(Delivery.self, data)
    roundTrip(AlertMessage.self, data)
    roundTrip(PostCredential.self, data)
    roundTrip(CheckIn.self, data)
    roundTrip(IssuedCredential.self, data)
    roundTrip(AlertTargeting.self, data)
    return 0
}
