import CordonAlerts
import CordonCore
import CordonCustody
import CordonEvents
import CordonServer

/// The dashboard's pages, and who may open each.
///
/// Each role sees what it needs and no more: a checkpoint officer screens and reports sightings but
/// reads no case notes; custody staff watch their posts; headquarters sees the whole pursuit.
enum DashboardPage: String, CaseIterable, Sendable {
    case operations
    case fugitives
    case alerts
    case screen
    case read
    case report
    case custody
    case audit

    var path: String {
        switch self {
        case .operations: return "/ui/"
        default: return "/ui/" + rawValue
        }
    }

    var title: String {
        switch self {
        case .operations: return "Operations"
        case .fugitives: return "Fugitives"
        case .alerts: return "Alerts"
        case .screen: return "Screening"
        case .read: return "Read a report"
        case .report: return "Report a sighting"
        case .custody: return "Custody"
        case .audit: return "Audit log"
        }
    }

    var roles: Set<Role> {
        switch self {
        case .operations: return [.admin, .commander, .analyst, .custodyOfficer]
        case .fugitives: return Roles.caseReaders
        case .alerts: return Roles.command
        case .screen: return Roles.screeners
        case .read: return Roles.analysts
        case .report: return Roles.sightingReporters
        case .custody: return Roles.custody
        case .audit: return Roles.auditors
        }
    }

    /// The pages a role may open, in menu order.
    static func pages(for role: Role) -> [DashboardPage] {
        allCases.filter { $0.roles.contains(role) }
    }

    /// Where a role lands after signing in.
    static func home(for role: Role) -> DashboardPage? {
        pages(for: role).first
    }
}

/// What the live feed and the timeline may show to a role.
enum DashboardVisibility {
    /// Incidents, the night's events and status changes: the case readers.
    static let incidents: Set<Role> = Roles.caseReaders
    /// Alerts sent.
    static let alerts: Set<Role> = Roles.alertReaders
    /// Who received and acknowledged what.
    static let deliveries: Set<Role> = Roles.command
    /// Sightings and tips.
    static let sightings: Set<Role> = Roles.analysts
    /// Reports attached to a person's timeline as sources: those who read reports.
    static let reports: Set<Role> = Roles.analysts
    /// Post check-ins.
    static let custody: Set<Role> = Roles.custody
    /// Leads: past screenings that would alert now (as `GET /v1/leads`).
    static let leads: Set<Role> = Roles.analysts
}
