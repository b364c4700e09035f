import FuzzSupport

runFuzzer(fuzzEntities)
