/* version.h - the rollsim version, written into sweep.json. */
#ifndef RSIM_VERSION_H
#define RSIM_VERSION_H

#define ROLLSIM_VERSION "0.4.0"

#endif
