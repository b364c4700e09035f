public enum CordonVersion { public static let current = "0.1.0" }
