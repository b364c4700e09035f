import FuzzSupport

runFuzzer(fuzzReading)
