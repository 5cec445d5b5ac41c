/* names.c - the one definition of the generated-name alphabet (names.h). */
#include "names.h"

const char names_alphabet[NAMES_ALPHABET_LEN + 1] =
	"bcdfghjklmnpqrstvwxz2456789";
