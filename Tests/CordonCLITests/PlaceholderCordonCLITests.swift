import Testing

@Test func placeholderCordonCLI() {}
