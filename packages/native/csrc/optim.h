// Fused optimizer updates (optim.cc): the rules of core's AdamHyper and SgdHyper.
#ifndef TAPEGRAD_NATIVE_OPTIM_H
#define TAPEGRAD_NATIVE_OPTIM_H

#include "kernels.h"

struct TgAdamHyper {
  double beta1, beta2, stepSize, bc2Sqrt, eps, l2, decay;
  bool maximize;
};
struct TgSgdHyper {
  double lr, momentum, dampening, weightDecay;
  bool nesterov, maximize, firstStep;
};

/** One Adam/AdamW step over n elements in place (vmax null without amsgrad). */
void tg_adam(bool f64, void* p, void* g, void* m, void* v, void* vmax, int64_t n, const TgAdamHyper* h, int threads);
/** One SGD step over n elements in place (buf null without momentum). */
void tg_sgd(bool f64, void* p, void* g, void* buf, int64_t n, const TgSgdHyper* h, int threads);

#endif
