/* version.h - the rollsim version, written into sweep.json. */
#ifndef RS_VERSION_H
#define RS_VERSION_H

#define ROLLSIM_VERSION "0.4.0"

#endif
