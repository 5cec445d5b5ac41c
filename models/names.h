/* names.h - the alphabet of Kubernetes' generated names.
 *
 * k8s.io/apimachinery/pkg/util/rand/rand.go: the letters of random name
 * suffixes (String) and of SafeEncodeString (the pod-template-hash): no
 * vowels, no digits that read like letters, so no words appear.
 */
#ifndef RSIM_NAMES_H
#define RSIM_NAMES_H

#include <stdint.h>

/* "bcdfghjklmnpqrstvwxz2456789": NAMES_ALPHABET_LEN letters and a NUL. */
#define NAMES_ALPHABET_LEN 27
extern const char names_alphabet[NAMES_ALPHABET_LEN + 1];

/* SafeEncodeString of the decimal form of hash (the pod-template-hash of
 * controller.ComputeHash): each digit's byte mod 27 picks a letter of
 * names_alphabet. Writes at most 10 letters and a NUL into out. */
void names_hash_string(uint32_t hash, char *out);

#endif
