// The kernels compiled for AVX2 with FMA: 256-bit vectors, 16 registers, so a 6 x 16 float32
// tile (12 accumulators) or a 6 x 8 float64 tile. Built with -mavx2 -mfma (binding.gyp) on x86-64
// only; elsewhere it reports itself unavailable.
#if defined(__AVX2__) && defined(__FMA__)
#define TG_ISA avx2
#define TG_VBYTES 32
#define TG_SMR 6
#define TG_DMR 6
#define TG_SKC 256
#define TG_DKC 256
#define TG_AVAILABLE 1
#include "kernels_impl.h"
#include "ew_impl.h"
#else
#include "kernels.h"
extern "C" {
int tg_available_avx2(void) { return 0; }
void tg_sgemm_avx2(const TgGemmArgs*) {}
void tg_dgemm_avx2(const TgGemmArgs*) {}
void tg_unary_f32_avx2(int, const float*, float*, int64_t) {}
}
#define TG_EW_STUB avx2
#include "ew_impl.h"
#endif
