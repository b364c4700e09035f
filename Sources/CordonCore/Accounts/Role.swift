/// What an account may do. Every route of the server declares the roles it allows.
public enum Role: String, CodedEnum, CustomStringConvertible {
    /// Manages accounts and everything else.
    case admin
    /// Runs the pursuit: incidents, alerts, statuses, the list.
    case commander
    /// Custody staff and duty officers: posts, roll calls, armory, incidents at their facility.
    case custodyOfficer = "custody_officer"
    /// Police at a checkpoint: screening and sightings, nothing more.
    case checkpointOfficer = "checkpoint_officer"
    /// Reads the case and the list, writes analysis.
    case analyst
    /// Reads the audit log and nothing else.
    case auditor

    public var description: String { rawValue }
}
