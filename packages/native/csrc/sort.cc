// Sorting each line along a dim of a strided [outer, len, inner] block, as core's reference
// (kernels/js/sort.ts): NaN larger than everything (last ascending, first descending), -0 equal
// to 0, ties in input order (stable), the first k kept. Each element gets an order-preserving
// unsigned key (complemented for descending) and the line is ordered by (key, position): a total
// order, so any correct algorithm gives the reference's result. Lines of 64 or more are radix
// sorted (stable byte passes over the key, the positions in order to start), shorter ones by the
// standard library on keys packed with their positions; a small k (at most 1/16 of the line)
// keeps the first k in a sorted buffer over one pass, as the reference does. Lines are
// independent and go to the thread pool whole.
#define NAPI_VERSION 8
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels.h"
#include "sort.h"
#include "napi_util.h"

namespace {

constexpr int64_t RADIX_MIN = 64;
constexpr int64_t SMALL_K = 16;
constexpr int64_t LINE_ELEMS = 1 << 14;  // elements per task (whole lines)
constexpr int64_t GROUP = 16;             // lines along an inner dim sorted together
constexpr int64_t MAX_LINE = 1 << 26;     // longer lines are refused (scratch of 28 bytes an element per thread)

// order-preserving unsigned keys: ±0 one key, every NaN above +inf
inline uint32_t keyOf(float v) {
  uint32_t u;
  std::memcpy(&u, &v, 4);
  if ((u & 0x7fffffffu) == 0) return 0x80000000u;
  if (v != v) return 0xffffffffu;
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
inline uint64_t keyOf(double v) {
  uint64_t u;
  std::memcpy(&u, &v, 8);
  if ((u & 0x7fffffffffffffffull) == 0) return 0x8000000000000000ull;
  if (v != v) return 0xffffffffffffffffull;
  return (u & 0x8000000000000000ull) ? ~u : (u | 0x8000000000000000ull);
}
inline uint32_t keyOf(int32_t v) { return (uint32_t)v ^ 0x80000000u; }

template <typename T> struct KeyType { typedef uint32_t type; };
template <> struct KeyType<double> { typedef uint64_t type; };

/** Stable LSD radix sort of keys k[0..n) carrying positions p, a byte a pass (passes over a byte
 * every key shares skipped); the result ends in (k, p) or (k2, p2): the pointers say which. */
template <typename K> void radix(K*& k, int32_t*& p, K*& k2, int32_t*& p2, int64_t n) {
  constexpr int B = sizeof(K);
  int64_t hist[B][256];
  std::memset(hist, 0, sizeof hist);
  for (int64_t i = 0; i < n; i++) {
    const K v = k[i];
    for (int b = 0; b < B; b++) hist[b][(v >> (8 * b)) & 255]++;
  }
  for (int b = 0; b < B; b++) {
    int64_t* h = hist[b];
    if (h[(k[0] >> (8 * b)) & 255] == n) continue;
    int64_t sum = 0;
    for (int d = 0; d < 256; d++) {
      const int64_t c = h[d];
      h[d] = sum;
      sum += c;
    }
    for (int64_t i = 0; i < n; i++) {
      const K v = k[i];
      const int64_t to = h[(v >> (8 * b)) & 255]++;
      k2[to] = v;
      p2[to] = p[i];
    }
    std::swap(k, k2);
    std::swap(p, p2);
  }
}

/** The first position from i on whose element may beat `worst` (desc: is not <= worst; else not
 * >= worst: NaN always may), or the start of the last part shorter than a vector: a vector at a
 * time where SSE2 is (any x86-64); elsewhere the caller's loop tests each element. */
template <typename T> inline int64_t skipLosers(const T*, int64_t i, int64_t, T, bool) { return i; }
#if defined(__SSE2__)
inline int64_t skipLosers(const float* x, int64_t i, int64_t n, float worst, bool desc) {
  const __m128 w = _mm_set1_ps(worst);
  for (; i + 8 <= n; i += 8) {
    const __m128 a = _mm_loadu_ps(x + i), b = _mm_loadu_ps(x + i + 4);
    const int m = desc ? _mm_movemask_ps(_mm_cmpnle_ps(a, w)) | _mm_movemask_ps(_mm_cmpnle_ps(b, w)) << 4
                       : _mm_movemask_ps(_mm_cmpnge_ps(a, w)) | _mm_movemask_ps(_mm_cmpnge_ps(b, w)) << 4;
    if (m) return i + __builtin_ctz((unsigned)m);
  }
  return i;
}
inline int64_t skipLosers(const double* x, int64_t i, int64_t n, double worst, bool desc) {
  const __m128d w = _mm_set1_pd(worst);
  for (; i + 4 <= n; i += 4) {
    const __m128d a = _mm_loadu_pd(x + i), b = _mm_loadu_pd(x + i + 2);
    const int m = desc ? _mm_movemask_pd(_mm_cmpnle_pd(a, w)) | _mm_movemask_pd(_mm_cmpnle_pd(b, w)) << 2
                       : _mm_movemask_pd(_mm_cmpnge_pd(a, w)) | _mm_movemask_pd(_mm_cmpnge_pd(b, w)) << 2;
    if (m) return i + __builtin_ctz((unsigned)m);
  }
  return i;
}
#endif

/** Stable LSD radix sort of packed items a[0..n) on their high 32 bits (b: scratch of n); the
 * result ends in a. */
inline void radixPacked(uint64_t*& a, uint64_t*& b, int64_t n) {
  uint32_t hist[4][256];
  std::memset(hist, 0, sizeof hist);
  for (int64_t i = 0; i < n; i++) {
    const uint32_t v = (uint32_t)(a[i] >> 32);
    hist[0][v & 255]++;
    hist[1][(v >> 8) & 255]++;
    hist[2][(v >> 16) & 255]++;
    hist[3][v >> 24]++;
  }
  for (int pass = 0; pass < 4; pass++) {
    uint32_t* h = hist[pass];
    const int shift = 32 + 8 * pass;
    if (h[(a[0] >> shift) & 255] == (uint32_t)n) continue;
    uint32_t sum = 0;
    for (int d = 0; d < 256; d++) {
      const uint32_t c = h[d];
      h[d] = sum;
      sum += c;
    }
    for (int64_t i = 0; i < n; i++) {
      const uint64_t v = a[i];
      b[h[(v >> shift) & 255]++] = v;
    }
    std::swap(a, b);
  }
}

struct Pair64 {
  uint64_t key;
  int64_t pos;
  bool operator<(const Pair64& o) const { return key < o.key || (key == o.key && pos < o.pos); }
};

/** An element's key and position as one item ordered by (key, position): packed into 64 bits for 32-bit keys. */
template <typename K> struct Packing {
  typedef uint64_t Item;
  static Item make(uint32_t key, int64_t pos) { return ((uint64_t)key << 32) | (uint64_t)pos; }
  static int64_t pos(Item it) { return (int64_t)(it & 0xffffffffu); }
};
template <> struct Packing<uint64_t> {
  typedef Pair64 Item;
  static Item make(uint64_t key, int64_t pos) { return Pair64{key, pos}; }
  static int64_t pos(const Item& it) { return it.pos; }
};

template <typename T, typename O> struct SortJob {
  typedef typename KeyType<T>::type K;
  const T* x;
  O* values;
  int32_t* indices;
  int64_t outer, len, inner, k, linesPerTask;
  int64_t so, sl, si;  // x's strides along outer, the line and inner (values and indices are contiguous)
  K flip;

  /** The line's first k positions in order into `order` (scratch: room for 2 len keys and positions). */
  void sortLine(const T* x, int64_t step, int32_t* order, void* scratch) const {
    typedef Packing<K> Pk;
    typedef typename Pk::Item Item;
    const int64_t n = len;
    if (k * SMALL_K <= n) {
      // a few of many: one pass keeping the k first items in a sorted buffer; an element that
      // does not beat the current k-th by plain comparison (a tie loses on its later position)
      // is skipped before its key is built, and NaN, which never compares, takes the exact path
      Item* top = (Item*)scratch;
      int64_t filled = 0;
      bool full = false;
      T worst = 0;
      for (int64_t i = 0; i < n; i++) {
        if (full && step == 1) {
          // most elements lose: skip them a vector at a time (NaN, which does not compare, stops the skip)
          i = skipLosers(x, i, n, worst, flip != 0);
          if (i >= n) break;
        }
        const T v = x[i * step];
        if (full && (flip ? v <= worst : v >= worst)) continue;
        const Item it = Pk::make((K)(keyOf(v) ^ flip), i);
        if (filled == k) {
          if (!(it < top[k - 1])) continue;
        } else filled++;
        int64_t p = filled - 1;
        for (; p > 0 && it < top[p - 1]; p--) top[p] = top[p - 1];
        top[p] = it;
        if (filled == k) {
          full = true;
          worst = x[Pk::pos(top[k - 1]) * step];
        }
      }
      for (int64_t i = 0; i < k; i++) order[i] = (int32_t)Pk::pos(top[i]);
      return;
    }
    if (n < RADIX_MIN) {
      Item* items = (Item*)scratch;
      for (int64_t i = 0; i < n; i++) items[i] = Pk::make((K)(keyOf(x[i * step]) ^ flip), i);
      std::sort(items, items + n);
      for (int64_t i = 0; i < k; i++) order[i] = (int32_t)Pk::pos(items[i]);
      return;
    }
    if (sizeof(K) == 4) {
      // items (key << 32 | position) sorted on the key's 4 bytes: one 8-byte move per element a pass
      uint64_t* a = (uint64_t*)scratch;
      uint64_t* b = a + n;
      for (int64_t i = 0; i < n; i++) a[i] = Packing<uint32_t>::make((uint32_t)(keyOf(x[i * step]) ^ flip), i);
      radixPacked(a, b, n);
      for (int64_t i = 0; i < k; i++) order[i] = (int32_t)(a[i] & 0xffffffffu);
      return;
    }
    K* ka = (K*)scratch;
    K* kb = ka + n;
    int32_t* pa = (int32_t*)(kb + n);
    int32_t* pb = pa + n;
    for (int64_t i = 0; i < n; i++) {
      ka[i] = (K)(keyOf(x[i * step]) ^ flip);
      pa[i] = (int32_t)i;
    }
    radix(ka, pa, kb, pb, n);
    std::memcpy(order, pa, (size_t)k * sizeof(int32_t));
  }

  static void task(void* ctx, int64_t t) {
    const SortJob& j = *(const SortJob*)ctx;
    const int64_t lines = j.outer * j.inner, l0 = t * j.linesPerTask, l1 = l0 + j.linesPerTask < lines ? l0 + j.linesPerTask : lines;
    // per element: two packed items (16 bytes) for 32-bit keys; two keys and two positions
    // (24), or one (key, position) pair (16), for 64-bit ones; then the k positions kept
    const size_t perElement = sizeof(K) == 4 ? 16 : 24;
    char* scratch = (char*)tg_scratch_take((size_t)j.len * (perElement + 4));
    int32_t* order = (int32_t*)(scratch + (size_t)j.len * perElement);
    // lines along a dim other than the last go GROUP neighbours at a time: strided inputs are
    // first copied into contiguous rows and the results written back across the group (their
    // elements share cache lines), instead of touching one line's far-apart elements at a time
    // neighbouring lines: the next inner position, or with inner 1 the next outer slice
    const bool gather = j.sl != 1 && j.len > 1, grouped = j.inner > 1;
    const int64_t next = grouped ? j.si : j.so;
    T* rows = gather ? (T*)tg_scratch_take((size_t)(GROUP * j.len) * sizeof(T)) : nullptr;
    O* vbuf = grouped ? (O*)tg_scratch_take((size_t)(GROUP * j.k) * sizeof(O)) : nullptr;
    int32_t* ibuf = grouped ? (int32_t*)tg_scratch_take((size_t)(GROUP * j.k) * sizeof(int32_t)) : nullptr;
    for (int64_t l = l0; l < l1;) {
      const int64_t a = l / j.inner, b = l % j.inner;
      int64_t g = 1;
      if (grouped || gather) {
        g = l1 - l < GROUP ? l1 - l : GROUP;
        if (grouped && g > j.inner - b) g = j.inner - b;
      }
      const T* first = j.x + a * j.so + b * j.si;
      if (gather)
        for (int64_t i = 0; i < j.len; i++)
          for (int64_t q = 0; q < g; q++) rows[q * j.len + i] = first[i * j.sl + q * next];
      for (int64_t q = 0; q < g; q++) {
        const T* x = gather ? rows + q * j.len : first + q * next;
        const int64_t step = gather ? 1 : j.sl;
        j.sortLine(x, step, order, scratch);
        O* v = grouped ? vbuf + q * j.k : j.values + (a + q) * j.k;
        int32_t* ix = grouped ? ibuf + q * j.k : j.indices + (a + q) * j.k;
        for (int64_t i = 0; i < j.k; i++) {
          const int32_t s = order[i];
          ix[i] = s;
          v[i] = (O)x[(int64_t)s * step];
        }
      }
      if (grouped) {
        O* v = j.values + a * j.k * j.inner + b;
        int32_t* ix = j.indices + a * j.k * j.inner + b;
        for (int64_t i = 0; i < j.k; i++)
          for (int64_t q = 0; q < g; q++) {
            v[i * j.inner + q] = vbuf[q * j.k + i];
            ix[i * j.inner + q] = ibuf[q * j.k + i];
          }
      }
      l += g;
    }
    if (rows) tg_scratch_give(rows);
    if (vbuf) tg_scratch_give(vbuf);
    if (ibuf) tg_scratch_give(ibuf);
    tg_scratch_give(scratch);
  }
};

// sort(x, values, indices, params): params = outer, len, inner, k, descending, threads, xOff,
// xs[3]; x (Float32Array, Float64Array or Int32Array) [outer, len, inner] from xOff with the
// non-negative strides xs, values
// (Float32Array or Float64Array; an Int32Array for int32 x) and indices (Int32Array) contiguous
// [outer, k, inner] from 0, 1 <= k <= len <= 2^26.
napi_value Sort(napi_env env, napi_callback_info info) {
  napi_value v[4];
  size_t argc = 4;
  TA x, o, ix, p;
  if (napi_get_cb_info(env, info, &argc, v, nullptr, nullptr) != napi_ok || argc != 4 || !getTA(env, v[0], &x) || !getTA(env, v[1], &o) ||
      !getTA(env, v[2], &ix) || !getTA(env, v[3], &p) || p.type != napi_float64_array || p.length < 10)
    return fail(env, "sort: expected (x, values, indices, params)");
  const napi_typedarray_type xt = x.type, ot = o.type;
  const bool floatOut = ot == napi_float32_array || ot == napi_float64_array;
  if (ix.type != napi_int32_array || !((xt == napi_float32_array || xt == napi_float64_array) ? floatOut : xt == napi_int32_array && (floatOut || ot == napi_int32_array)))
    return fail(env, "sort: x must be a Float32Array, Float64Array or Int32Array, values of a float type (or int32 for int32 x), indices an Int32Array");
  const double* q = (const double*)p.data;
  const int64_t outer = (int64_t)q[0], len = (int64_t)q[1], inner = (int64_t)q[2], k = (int64_t)q[3], xOff = (int64_t)q[6];
  if (outer < 0 || inner < 0 || len < 1 || len > MAX_LINE || k < 1 || k > len || xOff < 0) return fail(env, "sort: bad params");
  const int64_t so = (int64_t)q[7], sl = (int64_t)q[8], si = (int64_t)q[9];
  if (so < 0 || sl < 0 || si < 0) return fail(env, "sort: bad params");
  if ((outer * inner > 0 && xOff + (outer - 1) * so + (len - 1) * sl + (inner - 1) * si >= (int64_t)x.length) || outer * k * inner > (int64_t)o.length ||
      outer * k * inner > (int64_t)ix.length)
    return fail(env, "sort: arrays shorter than the sizes given");
  if (outer * inner == 0) return nullptr;
  const bool desc = q[4] != 0;
  const int64_t perTask = len >= LINE_ELEMS ? 1 : LINE_ELEMS / len;
  const int64_t tasks = (outer * inner + perTask - 1) / perTask;
  const int threads = outer * len * inner < (1 << 13) ? 1 : (int)q[5];
#define TG_SORT(T, O)                                                                                                    \
  {                                                                                                                      \
    typedef typename KeyType<T>::type K;                                                                                 \
    SortJob<T, O> j{(const T*)x.data + xOff, (O*)o.data, (int32_t*)ix.data, outer, len, inner, k, perTask, so, sl, si, desc ? (K)~(K)0 : (K)0}; \
    tg_parallel(tasks, threads, SortJob<T, O>::task, &j);                                                                \
  }
  if (xt == napi_float32_array) {
    if (ot == napi_float32_array) TG_SORT(float, float) else TG_SORT(float, double)
  } else if (xt == napi_float64_array) {
    if (ot == napi_float32_array) TG_SORT(double, float) else TG_SORT(double, double)
  } else {
    if (ot == napi_int32_array) TG_SORT(int32_t, int32_t)
    else if (ot == napi_float32_array) TG_SORT(int32_t, float)
    else TG_SORT(int32_t, double)
  }
#undef TG_SORT
  return nullptr;
}

}  // namespace

void tg_register_sort(napi_env env, napi_value exports) {
  napi_value v;
  napi_create_function(env, "sort", NAPI_AUTO_LENGTH, Sort, nullptr, &v);
  napi_set_named_property(env, exports, "sort", v);
}
