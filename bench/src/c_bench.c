/* The C reference for tapegrad's element-wise figures (bench/src/c.ts compiles and runs it):
 * add, exp and sum over 1e6 float32s, single-threaded, median of repeated calls in ms.
 * Prints one JSON line: {"add-1e6": ms, "exp-1e6": ms, "sum-1e6": ms}.
 *
 * Where the result goes (as a framework returns a new tensor each call):
 * - no argument: into memory malloc'd each call and freed after it. glibc hands the same block
 *   back every time, so the output is still in cache from the call before (as in PyTorch,
 *   whose freed tensors go back to the allocator at once).
 * - "cold": into the next of RING already-faulted blocks (RING * 4 MB = 128 MB, more than the
 *   last-level cache), so every call writes memory that is not in cache: what a result in a
 *   garbage-collected array gets, whose block is reused only after a collection.
 * Without "cold" it also prints add-out-1e6 and exp-out-1e6: the output is one block allocated
 * before the loop and written by every call (what an `out=` tensor gets). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 1000000
#define REPS 101
#define RING 32

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static volatile float sink;

static double median(double *t) {
  qsort(t, REPS, sizeof(double), cmp);
  return t[REPS / 2];
}

static float *ring[RING];

/* The output block of call r: a fresh malloc (hot), or the ring's next block (cold). */
static float *out_block(int cold, int r) {
  return cold ? ring[r % RING] : malloc(N * sizeof(float));
}

int main(int argc, char **argv) {
  int cold = argc > 1 && strcmp(argv[1], "cold") == 0;
  if (cold)
    for (int k = 0; k < RING; k++) {
      ring[k] = malloc(N * sizeof(float));
      memset(ring[k], 0, N * sizeof(float)); /* fault the pages in now */
    }
  float *a = malloc(N * sizeof(float)), *b = malloc(N * sizeof(float));
  srand(1);
  for (int i = 0; i < N; i++) {
    a[i] = (float)rand() / RAND_MAX;
    b[i] = (float)rand() / RAND_MAX;
  }
  double t[REPS];
  for (int r = 0; r < REPS; r++) {
    double s = now_ms();
    float *o = out_block(cold, r);
    for (int i = 0; i < N; i++) o[i] = a[i] + b[i];
    sink = o[r];
    if (!cold) free(o);
    t[r] = now_ms() - s;
  }
  double add = median(t);
  for (int r = 0; r < REPS; r++) {
    double s = now_ms();
    float *o = out_block(cold, r);
    for (int i = 0; i < N; i++) o[i] = expf(a[i]);
    sink = o[r];
    if (!cold) free(o);
    t[r] = now_ms() - s;
  }
  double ex = median(t);
  double add_out = 0, exp_out = 0;
  if (!cold) {
    float *fixed = malloc(N * sizeof(float));
    memset(fixed, 0, N * sizeof(float));
    for (int r = 0; r < REPS; r++) {
      double s = now_ms();
      for (int i = 0; i < N; i++) fixed[i] = a[i] + b[i];
      sink = fixed[r];
      t[r] = now_ms() - s;
    }
    add_out = median(t);
    for (int r = 0; r < REPS; r++) {
      double s = now_ms();
      for (int i = 0; i < N; i++) fixed[i] = expf(a[i]);
      sink = fixed[r];
      t[r] = now_ms() - s;
    }
    exp_out = median(t);
    free(fixed);
  }
  for (int r = 0; r < REPS; r++) {
    double s = now_ms();
    double acc = 0;
    for (int i = 0; i < N; i++) acc += a[i];
    sink = (float)acc;
    a[r] += 1e-7f; /* keep the compiler from hoisting the loop */
    t[r] = now_ms() - s;
  }
  double sum = median(t);
  if (cold)
    printf("{\"add-1e6\": %.4f, \"exp-1e6\": %.4f, \"sum-1e6\": %.4f}\n", add, ex, sum);
  else
    printf("{\"add-1e6\": %.4f, \"exp-1e6\": %.4f, \"sum-1e6\": %.4f, \"add-out-1e6\": %.4f, \"exp-out-1e6\": %.4f}\n",
           add, ex, sum, add_out, exp_out);
  return 0;
}
