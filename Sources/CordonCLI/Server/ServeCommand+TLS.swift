import NIOSSL

extension ServeCommand {
    /// The server's TLS from PEM files: the certificate chain (leaf first) and its private key, checked
    /// to belong together before the server starts.
    static func tls(certificate: String, key: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate)
        guard !chain.isEmpty else { throw TLSFiles.empty(certificate) }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        // A key that is not the certificate's fails here, not at the first connection.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFiles.mismatch(key: key, detail: "\(error)")
        }
        return configuration
    }

    enum TLSFiles: Error, CustomStringConvertible {
        case empty(String)
        case mismatch(key: String, detail: String)

        var description: String {
            switch self {
            case .empty(let file): "\(file) holds no PEM certificate"
            case .mismatch(let key, let detail): "the key \(key) does not belong to the certificate (\(detail))"
            }
        }
    }
}
