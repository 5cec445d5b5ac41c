/* names.c - the generated-name alphabet and the pod-template-hash
 * string (names.h). */
#include "names.h"

#include <stdio.h>

const char names_alphabet[NAMES_ALPHABET_LEN + 1] =
	"bcdfghjklmnpqrstvwxz2456789";

void names_hash_string(uint32_t hash, char *out)
{
	char dec[16];
	int i, n = snprintf(dec, sizeof(dec), "%u", hash);

	for (i = 0; i < n; i++)
		out[i] = names_alphabet[(unsigned char)dec[i] %
					NAMES_ALPHABET_LEN];
	out[n] = '\0';
}
