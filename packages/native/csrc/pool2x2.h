// Max pooling with a 2x2 window and stride 2, no padding or dilation (pool2x2.cc): the common
// case (the Keras MNIST convnet's MaxPool2d(2)), vectorised across outputs.
#ifndef TAPEGRAD_NATIVE_POOL2X2_H
#define TAPEGRAD_NATIVE_POOL2X2_H

#include <stdint.h>

/** out [planes, H/2, W/2] and argmax (flat h * W + w in the plane) of x [planes, H, W] (float32,
 * contiguous; odd last rows and columns dropped, as floor mode), with the reference's rule: a
 * tap wins when greater, or NaN over a number; ties keep the first tap in window order. */
void tg_maxpool2x2_f32(const float* x, float* out, int32_t* argmax, int64_t planes, int64_t H, int64_t W, int threads);

#endif
