import FuzzSupport

runFuzzer(fuzzCAP)
