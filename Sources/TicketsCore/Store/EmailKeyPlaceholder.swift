/// Placeholder until the Unicode tables land: ASCII-insensitive comparison only.
public enum EmailIdentity {
    public static func key(_ address: String) -> String { address.lowercased() }
}
