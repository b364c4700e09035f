import FuzzSupport

runFuzzer(fuzzMRZ)
