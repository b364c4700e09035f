// The declaration in include/LibFuzzer.h is all this module provides; the driver itself comes with
// `-sanitize=fuzzer`.
#include "LibFuzzer.h"
