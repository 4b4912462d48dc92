// Winograd's tile transforms (winograd_impl.h) compiled with the AVX2 unit's flags (binding.gyp):
// 256-bit vectors. Elsewhere stubs that are never called (see winograd_avx512.cc).
#if defined(__AVX2__) && defined(__FMA__)
#define TG_ISA avx2
#define TG_WBYTES 32
#include "winograd_impl.h"
#else
#include "winograd.h"
extern "C" {
int tg_wino_lanes_avx2(void) { return 4; }
void tg_wino_input_avx2(const TgWinoInput*) {}
void tg_wino_output_avx2(const TgWinoOutput*) {}
void tg_wino_grad_avx2(const TgWinoGrad*) {}
}
#endif
