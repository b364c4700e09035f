import FuzzSupport

runFuzzer(fuzzTUF)
