import FuzzSupport

runFuzzer(fuzzPlate)
