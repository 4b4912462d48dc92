// Winograd's tile transforms (winograd_impl.h) compiled with the AVX-512 unit's flags
// (binding.gyp): 512-bit vectors, 16 tiles at a time.
// Elsewhere (no AVX-512 build) stubs that are never called: winograd.cc picks the transforms of
// the GEMM the addon chose, which is never an unavailable one.
#if defined(__AVX512F__) && defined(__FMA__)
#define TG_ISA avx512
#define TG_WBYTES 64
#include "winograd_impl.h"
#else
#include "winograd.h"
extern "C" {
int tg_wino_lanes_avx512(void) { return 4; }
void tg_wino_input_avx512(const TgWinoInput*) {}
void tg_wino_output_avx512(const TgWinoOutput*) {}
void tg_wino_grad_avx512(const TgWinoGrad*) {}
}
#endif
