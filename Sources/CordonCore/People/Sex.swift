/// A person's sex as recorded by the source.
public enum Sex: String, CodedEnum {
    case male
    case female
    case unknown
}
