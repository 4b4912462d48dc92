// The kernels compiled for AVX-512 (F, VL, BW, DQ) with FMA: 512-bit vectors, 32 registers, so a
// 12 x 32 float32 tile (24 accumulators) or a 12 x 16 float64 tile, and tiles of 8 rows for M
// that 8 divides better. Built with -mavx512f ...
// (binding.gyp) on x86-64 only; elsewhere it reports itself unavailable.
#if defined(__AVX512F__) && defined(__FMA__)
#define TG_ISA avx512
#define TG_VBYTES 64
#define TG_SMR 12
#define TG_DMR 12
#define TG_MR2 8
#define TG_SKC 128
#define TG_DKC 128
#define TG_AVAILABLE 1
#include "kernels_impl.h"
#include "ew_impl.h"
#else
#include "kernels.h"
extern "C" {
int tg_available_avx512(void) { return 0; }
void tg_sgemm_avx512(const TgGemmArgs*) {}
void tg_dgemm_avx512(const TgGemmArgs*) {}
void tg_unary_f32_avx512(int, const float*, float*, int64_t) {}
}
#define TG_EW_STUB avx512
#include "ew_impl.h"
#endif
