import FuzzSupport

runFuzzer(fuzzListImport)
