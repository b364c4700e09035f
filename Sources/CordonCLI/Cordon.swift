import ArgumentParser

@main
struct Cordon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cordon", abstract: "Cordon.")
}
