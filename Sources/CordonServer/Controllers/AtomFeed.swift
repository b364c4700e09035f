import CordonAlerts
import CordonCore
import CordonEvents
import CordonStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Renders CAP messages as an Atom feed (RFC 4287), newest first, each entry linking to its CAP XML.
enum AtomFeed {
    static func render(_ messages: [AlertMessage], updated: Date, zone: TimeZone) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>urn:cordon:alerts</id>
              <title>Cordon alerts</title>
              <updated>\(Instant.format(updated, in: zone))</updated>
              <author><name>Cordon</name></author>
              <link rel="self" href="/v1/alerts.atom"/>

            """
        for message in messages {
            let alert = message.alert.rawValue
            xml += """
                  <entry>
                    <id>urn:cordon:cap:\(escape(message.id))</id>
                    <title>\(escape(message.messageType)): \(escape(message.headline))</title>
                    <updated>\(Instant.format(message.sent, in: zone))</updated>
                    <author><name>\(escape(message.sender))</name></author>
                    <link rel="alternate" type="application/cap+xml" href="/v1/alerts/\(escape(alert)).cap"/>
                    <content type="application/cap+xml" src="/v1/alerts/\(escape(alert)).cap"/>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
