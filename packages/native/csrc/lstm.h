// One LSTM step's pointwise part, float32 (lstm.cc).
#ifndef TAPEGRAD_NATIVE_LSTM_H
#define TAPEGRAD_NATIVE_LSTM_H

#include <node_api.h>

#include "kernels.h"

/** The instruction set's float32 maps (TgUnaryF32 codes) that the LSTM step uses. */
typedef void (*TgUnaryF32Fn)(int op, const float* x, float* y, int64_t n);

/** Adds lstmCell() and lstmCellBackward() to the addon's exports; `unary` is the chosen instruction set's. */
void tg_register_lstm(napi_env env, napi_value exports, TgUnaryF32Fn unary);

#endif
