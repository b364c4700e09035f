import FuzzSupport

runFuzzer(fuzzFrames)
