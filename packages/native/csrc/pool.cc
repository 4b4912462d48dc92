// The native backend's persistent thread pool and scratch memory.
//
// tg_parallel(ntasks, nthreads, fn, ctx) runs fn(ctx, t) for every task t: the calling thread
// and nthreads - 1 workers take tasks from a shared counter. Which thread runs a task never
// changes what the task computes (kernels split work so that it does not), so results are the
// same bits on any thread count. Workers are started on first use, kept, spin briefly after a
// job (the next one often follows within microseconds) and then sleep on a condition variable.
// One job runs at a time: callers from several JavaScript threads (worker_threads each load the
// addon) queue on a mutex.

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TG_PAUSE() _mm_pause()
#else
#define TG_PAUSE() ((void)0)
#endif

namespace {

struct Pool {
  std::mutex submit;  // one job at a time
  std::mutex m;
  std::condition_variable wake;
  // (job number << 8) | workers taking part, read together; an even job number with no workers
  // is the idle state between jobs
  std::atomic<uint64_t> gen{0};
  std::atomic<int64_t> next{0};       // the next task to take
  std::atomic<int64_t> completed{0};  // tasks finished
  std::atomic<int> inside{0};         // workers between joining a job and leaving it
  void (*fn)(void*, int64_t) = nullptr;
  void* ctx = nullptr;
  int64_t ntasks = 0;
  std::vector<std::thread> workers;

  void drain() {
    for (;;) {
      int64_t t = next.fetch_add(1);
      if (t >= ntasks) return;
      fn(ctx, t);
      completed.fetch_add(1);
    }
  }

  // A worker joins a job only if, once counted in `inside`, the job is still the current one:
  // the caller turns the job idle and then waits for `inside` to drop to zero before it writes
  // the next job's fields, so a late worker never reads half-written fields.
  void loop(int index, uint64_t seen) {
    for (;;) {
      uint64_t g = gen.load();
      for (int spin = 0; g == seen && spin < 4000; spin++) {
        TG_PAUSE();
        g = gen.load();
      }
      if (g == seen) {
        std::unique_lock<std::mutex> lock(m);
        wake.wait(lock, [&] { return gen.load() != seen; });
        g = gen.load();
      }
      seen = g;
      if ((uint64_t)index >= (g & 0xff)) continue;
      inside.fetch_add(1);
      if (gen.load() == g) drain();
      inside.fetch_sub(1);
    }
  }

  template <typename F> static void waitUntil(F done) {
    for (int spin = 0; !done(); spin++) {
      if (spin < 4000) TG_PAUSE();
      else std::this_thread::yield();  // on a busy machine the thread we wait for needs the core
    }
  }

  void run(int64_t n, int nthreads, void (*f)(void*, int64_t), void* c) {
    std::lock_guard<std::mutex> guard(submit);
    int want = nthreads - 1 < 255 ? nthreads - 1 : 255;
    if ((int64_t)want > n - 1) want = (int)(n - 1);
    while ((int)workers.size() < want) {
      int index = (int)workers.size();
      uint64_t now = gen.load();  // a new worker waits for the next job
      workers.emplace_back([this, index, now] { loop(index, now); });
      workers.back().detach();  // lives as long as the process
    }
    fn = f;
    ctx = c;
    ntasks = n;
    next.store(0);
    completed.store(0);
    const uint64_t job = (gen.load() >> 8) + 1;
    {
      std::lock_guard<std::mutex> lock(m);
      gen.store((job << 8) | (uint64_t)want);
    }
    wake.notify_all();
    drain();
    waitUntil([&] { return completed.load() == n; });
    gen.store((job + 1) << 8);  // idle: no worker joins from now on
    waitUntil([&] { return inside.load() == 0; });
  }
};

Pool* pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers may outlive static destructors
  return p;
}

std::mutex scratchLock;
// a few cached blocks: a convolution holds its column matrices while the GEMM packs its
// operands, and each would otherwise map fresh pages (and fault them in) on every call
constexpr int SLOTS = 4;
void* cached[SLOTS] = {};
size_t cachedBytes[SLOTS] = {};

}  // namespace

extern "C" {

void tg_parallel(int64_t ntasks, int nthreads, void (*fn)(void*, int64_t), void* ctx) {
  if (ntasks <= 0) return;
  if (nthreads <= 1 || ntasks == 1) {
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t);
    return;
  }
  pool()->run(ntasks, nthreads, fn, ctx);
}

// Blocks given back are kept (up to SLOTS, the largest ones) and handed out again: the smallest
// that fits. Concurrent callers that find none allocate their own.
void* tg_scratch_take(size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(scratchLock);
    int best = -1;
    for (int i = 0; i < SLOTS; i++)
      if (cached[i] && cachedBytes[i] >= bytes && (best < 0 || cachedBytes[i] < cachedBytes[best])) best = i;
    if (best >= 0) {
      void* p = cached[best];
      cached[best] = nullptr;
      return p;
    }
  }
  size_t rounded = (bytes + 64 + 63) / 64 * 64;
  char* raw = (char*)std::aligned_alloc(64, rounded);
  if (!raw) std::abort();
  // the block's size sits in its first 64 bytes
  *(size_t*)raw = rounded - 64;
  return raw + 64;
}

void tg_scratch_give(void* p) {
  char* raw = (char*)p - 64;
  const size_t bytes = *(size_t*)raw;
  std::lock_guard<std::mutex> lock(scratchLock);
  int slot = -1;
  for (int i = 0; i < SLOTS && slot < 0; i++)
    if (!cached[i]) slot = i;
  if (slot < 0) {
    // all full: replace the smallest if this one is larger
    slot = 0;
    for (int i = 1; i < SLOTS; i++)
      if (cachedBytes[i] < cachedBytes[slot]) slot = i;
    if (cachedBytes[slot] >= bytes) {
      std::free(raw);
      return;
    }
    std::free((char*)cached[slot] - 64);
  }
  cached[slot] = p;
  cachedBytes[slot] = bytes;
}
}
