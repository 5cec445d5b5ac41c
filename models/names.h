/* names.h - the alphabet of Kubernetes' generated names.
 *
 * k8s.io/apimachinery/pkg/util/rand/rand.go: the letters of random name
 * suffixes (String) and of SafeEncodeString (the pod-template-hash): no
 * vowels, no digits that read like letters, so no words appear.
 */
#ifndef RSIM_NAMES_H
#define RSIM_NAMES_H

/* "bcdfghjklmnpqrstvwxz2456789": NAMES_ALPHABET_LEN letters and a NUL. */
#define NAMES_ALPHABET_LEN 27
extern const char names_alphabet[NAMES_ALPHABET_LEN + 1];

#endif
