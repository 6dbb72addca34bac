package train

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/adamgap/adamgap/internal/keytable"
)

// Sampling is how a mini-batch run draws the examples of each step. Every
// kind draws from rand.NewPCG(seed, BatchStream) and returns each batch's
// indices sorted ascending (so the gradient's sums run in a fixed order).
type Sampling string

const (
	// Epochs deals every epoch a fresh random permutation, cut into
	// ⌈n/B⌉ consecutive batches (Batches; PyTorch's DataLoader with
	// shuffle=True). The default ("" means Epochs).
	Epochs Sampling = "epoch"
	// Subsets draws every step an independent uniform B-subset of the n
	// examples (without replacement inside the batch, with replacement
	// across steps): a partial Fisher–Yates shuffle of a persistent
	// permutation p (the identity at first): for i = 0, …, B−1, swap p[i]
	// and p[i + IntN(n−i)]; the batch is p[0:B].
	Subsets Sampling = "subset"
	// Replacement draws every step B indices independently and uniformly,
	// IntN(n) each (repeats allowed; PyTorch's RandomSampler with
	// replacement=True).
	Replacement Sampling = "replacement"
)

// Samplings lists the kinds in the order they are documented.
func Samplings() []Sampling { return []Sampling{Epochs, Subsets, Replacement} }

// ParseSampling returns the kind named s ("" is Epochs) or an error naming
// the allowed values.
func ParseSampling(s string) (Sampling, error) {
	return keytable.ParseKind("batch_sampling", s, Samplings())
}

// A Sampler deals the batches of a run, one per call of Next; the slice is
// reused by the next call.
type Sampler interface {
	Next() []int32
}

// NewSampler returns the sampler of kind for n examples in batches of size
// from the seed's BatchStream. It panics unless 1 ≤ size ≤ n and kind is
// valid (programmer errors; config.Validate checks both).
func NewSampler(kind Sampling, n, size int, seed uint64) Sampler {
	switch kind {
	case "", Epochs:
		return NewBatches(n, size, seed)
	case Subsets, Replacement:
		if size < 1 || size > n {
			panic(fmt.Sprintf("train: NewSampler: size=%d must be in [1, n=%d]", size, n))
		}
		d := &draws{n: n, size: size, replace: kind == Replacement, rng: rand.New(rand.NewPCG(seed, BatchStream)), out: make([]int32, size)}
		if !d.replace {
			d.perm = make([]int32, n)
			for i := range d.perm {
				d.perm[i] = int32(i)
			}
		}
		return d
	}
	panic(fmt.Sprintf("train: NewSampler: unknown sampling %q", kind))
}

// draws is a Sampler of independent batches (Subsets or Replacement).
type draws struct {
	n, size int
	replace bool
	rng     *rand.Rand
	perm    []int32
	out     []int32
}

func (d *draws) Next() []int32 {
	if d.replace {
		for b := range d.out {
			d.out[b] = int32(d.rng.IntN(d.n))
		}
	} else {
		for i := range d.size {
			j := i + d.rng.IntN(d.n-i)
			d.perm[i], d.perm[j] = d.perm[j], d.perm[i]
		}
		copy(d.out, d.perm[:d.size])
	}
	slices.Sort(d.out)
	return d.out
}
