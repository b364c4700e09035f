import FuzzSupport

runFuzzer(fuzzNames)
