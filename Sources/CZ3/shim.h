#ifndef CCAVERIFY_CZ3_SHIM_H
#define CCAVERIFY_CZ3_SHIM_H
#include <z3.h>
#endif
