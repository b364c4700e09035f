import Testing

@Test func placeholderCordonCore() {}
