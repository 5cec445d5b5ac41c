/* entry.c - the libFuzzer entry points of one target (make fuzz compiles
 * this file once per target with -DFUZZ_TARGET=fuzz_NAME). */
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return FUZZ_TARGET(data, n);
}
