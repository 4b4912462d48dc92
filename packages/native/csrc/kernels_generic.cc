// The portable kernels: 128-bit vectors (SSE2 on any x86-64, NEON on arm64, scalar code where
// the compiler has neither), a 6 x 8 float32 / 6 x 4 float64 tile. Runs everywhere.
#define TG_ISA generic
#define TG_VBYTES 16
#define TG_SMR 6
#define TG_DMR 6
#define TG_SKC 256
#define TG_DKC 256
#define TG_AVAILABLE 1
#include "kernels_impl.h"
#include "ew_impl.h"
