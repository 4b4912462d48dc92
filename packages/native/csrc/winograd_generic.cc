// Winograd's tile transforms (winograd_impl.h) for the portable build: 128-bit vectors (SSE2 on
// any x86-64, NEON on arm64).
#define TG_ISA generic
#define TG_WBYTES 16
#include "winograd_impl.h"
