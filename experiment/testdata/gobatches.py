"""Rebuild, in plain Python, the mini-batch order of an adamgap run.

adamgap draws a run's batches from Go's math/rand/v2 generator
rand.New(rand.NewPCG(seed, 4)) (stream 4 of the run's seed; see
train.BatchStream). This file ports that generator and the three sampling
schemes (train.Sampling) so that a NumPy or PyTorch user can rebuild the
order without batches.npy:

    from gobatches import batches
    for t, batch in zip(range(steps), batches("epoch", n, B, seed)):
        ...  # batch: sorted list of example indices of step t

Usage as a script: gobatches.py KIND N B STEPS SEED [BATCHES.npy] prints the
first STEPS batches as JSON, or, given a batches.npy written by
`adamgap run --save-batches`, exits 1 unless it holds the same batches.
"""
import json
import sys

M64 = (1 << 64) - 1
M128 = (1 << 128) - 1
MUL = 0x2360ED051FC65DA44385DF649FCCF645  # PCG's 128-bit LCG multiplier
INC = 0x5851F42D4C957F2D14057B7EF767814F  # and increment
CHEAP = 0xDA942042E4DD58B5  # DXSM's 64-bit multiplier


class PCG:
    """Go's rand.NewPCG(seed1, seed2): 128-bit state seed1:seed2."""

    def __init__(self, seed1, seed2):
        self.state = ((seed1 & M64) << 64) | (seed2 & M64)

    def uint64(self):
        self.state = (self.state * MUL + INC) & M128  # advance, then output
        hi, lo = self.state >> 64, self.state & M64
        hi ^= hi >> 32
        hi = (hi * CHEAP) & M64
        hi ^= hi >> 48
        return (hi * (lo | 1)) & M64

    def uint64n(self, n):
        """rand.Rand's uint64n (64-bit platforms): uniform in [0, n)."""
        if n & (n - 1) == 0:
            return self.uint64() & (n - 1)
        p = self.uint64() * n
        hi, lo = p >> 64, p & M64
        if lo < n:
            thresh = (-n) % n  # 2^64 mod n
            while lo < thresh:
                p = self.uint64() * n
                hi, lo = p >> 64, p & M64
        return hi

    def shuffle(self, a):
        """rand.Rand's Shuffle: Fisher-Yates from the top."""
        for i in range(len(a) - 1, 0, -1):
            j = self.uint64n(i + 1)
            a[i], a[j] = a[j], a[i]


def batches(kind, n, size, seed):
    """Yield the batches of train.NewSampler(kind, n, size, seed) forever."""
    rng = PCG(seed, 4)
    perm = list(range(n))
    if kind == "epoch":
        while True:
            rng.shuffle(perm)  # each epoch shuffles the last permutation
            for start in range(0, n, size):
                yield sorted(perm[start:start + size])
    elif kind == "subset":
        while True:
            for i in range(size):
                j = i + rng.uint64n(n - i)
                perm[i], perm[j] = perm[j], perm[i]
            yield sorted(perm[:size])
    elif kind == "replacement":
        while True:
            yield sorted(rng.uint64n(n) for _ in range(size))
    else:
        raise ValueError(f"kind={kind!r} must be epoch, subset or replacement")


def main():
    kind, n, size, steps, seed = sys.argv[1], *map(int, sys.argv[2:6])
    gen = batches(kind, n, size, seed)
    got = [next(gen) for _ in range(steps)]
    if len(sys.argv) < 7:
        print(json.dumps(got))
        return
    import numpy as np

    file = np.load(sys.argv[6])
    assert file.dtype == np.int32 and file.shape == (steps, size), (file.dtype, file.shape)
    for t, row in enumerate(file):
        if list(row[row >= 0]) != got[t]:
            print(f"step {t}: file {list(row)}, generator {got[t]}", file=sys.stderr)
            sys.exit(1)
    print(json.dumps({"steps": steps, "agree": True}))


if __name__ == "__main__":
    main()
