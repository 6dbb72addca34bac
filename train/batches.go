package train

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/adamgap/adamgap/internal/stream"
)

// BatchStream is the random stream of a run's seed that orders the
// mini-batches: rand.NewPCG(seed, BatchStream). Every stream of a seed is
// listed in internal/stream.
const BatchStream = stream.BatchOrder

// Batches deals the examples 0, …, n−1 in mini-batches of Size: each epoch
// is a fresh random permutation cut into ⌈n/Size⌉ consecutive batches, the
// last one smaller when Size does not divide n (PyTorch's DataLoader with
// shuffle=True, drop_last=False). The same seed gives the same batches.
type Batches struct {
	n, size int
	rng     *rand.Rand
	perm    []int32
	pos     int
	epoch   int
	out     []int32
}

// NewBatches returns the batch dealer for n examples in batches of size
// from the seed's BatchStream. It panics unless 1 ≤ size ≤ n (a programmer
// error; config.Validate checks batch_size).
func NewBatches(n, size int, seed uint64) *Batches {
	if size < 1 || size > n {
		panic(fmt.Sprintf("train: NewBatches: size=%d must be in [1, n=%d]", size, n))
	}
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	return &Batches{n: n, size: size, rng: stream.New(seed, BatchStream), perm: perm, out: make([]int32, 0, size)}
}

// Next returns the next batch, its indices sorted ascending (so the sums of
// the gradient run in a fixed order). The slice is reused by the next call.
func (b *Batches) Next() []int32 {
	if b.pos == 0 {
		b.rng.Shuffle(b.n, func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
		b.epoch++
	}
	end := min(b.pos+b.size, b.n)
	b.out = append(b.out[:0], b.perm[b.pos:end]...)
	slices.Sort(b.out)
	b.pos = end
	if b.pos == b.n {
		b.pos = 0
	}
	return b.out
}

// Epoch returns the number of epochs begun: 1 after the first call to Next.
func (b *Batches) Epoch() int { return b.epoch }
