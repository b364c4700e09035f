import Testing
@Test func sqlitePlaceholder() {}
