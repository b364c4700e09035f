import Testing

@Test func placeholderCordonMatch() {}
