/* fuzz_target.h - what every fuzz target defines (libFuzzer's entry point;
 * fuzz_main.c calls it in builds without libFuzzer). */
#ifndef RL_FUZZ_TARGET_H
#define RL_FUZZ_TARGET_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* The target's name, for the driver's summary line. */
extern const char FUZZ_TARGET_NAME[];
#endif
