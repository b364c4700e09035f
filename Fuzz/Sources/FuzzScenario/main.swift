import FuzzSupport

runFuzzer(fuzzScenario)
