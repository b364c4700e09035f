import FuzzSupport

runFuzzer(fuzzCredential)
