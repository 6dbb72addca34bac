package convnet

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// ErrInvalid is wrapped by every error about a shape or hyper-parameter out
// of its range: "convnet: batch=0 must be at least 1" (as every package's
// ErrInvalid, its message is the package's name).
var ErrInvalid = errors.New("convnet")

// Net is the shape of the network. The weights live in one flat vector, in
// this order:
//
//	conv filters  F·k·k   filter f, row a, column b at f·k² + a·k + b
//	conv biases   F
//	linear        C·D     class c, feature j at c·D + j, D = F·Q², Q = ⌊(S−k+1)/P⌋;
//	                      feature j = f·Q² + row·Q + column of the pooled map
//	linear biases C
type Net struct {
	Side    int `json:"side"`    // image side S (the image is S×S), e.g. 28
	Kernel  int `json:"kernel"`  // filter side k, 1 ≤ k ≤ S
	Filters int `json:"filters"` // number of filters F ≥ 1
	Pool    int `json:"pool"`    // max-pooling window and stride P ≥ 1, at most S−k+1
	Classes int `json:"classes"` // number of classes C ≥ 2
}

// Validate returns an error naming the first field out of range.
func (n Net) Validate() error {
	bad := func(field string, v int, allowed string) error {
		return fmt.Errorf("%w: %s=%d must be %s", ErrInvalid, field, v, allowed)
	}
	switch {
	case n.Side < 1 || n.Side > 4096:
		return bad("side", n.Side, "in [1, 4096]")
	case n.Kernel < 1 || n.Kernel > n.Side:
		return bad("kernel", n.Kernel, fmt.Sprintf("in [1, side=%d]", n.Side))
	case n.Filters < 1 || n.Filters > 4096:
		return bad("filters", n.Filters, "in [1, 4096]")
	case n.Pool < 1 || n.Pool > n.Side-n.Kernel+1:
		return bad("pool", n.Pool, fmt.Sprintf("in [1, side-kernel+1=%d]", n.Side-n.Kernel+1))
	case n.Classes < 2 || n.Classes > 4096:
		return bad("classes", n.Classes, "in [2, 4096]")
	}
	return nil
}

// Conv returns the side of the convolution's output, S−k+1.
func (n Net) Conv() int { return n.Side - n.Kernel + 1 }

// Pooled returns the side Q of the pooled map, ⌊(S−k+1)/P⌋; trailing rows
// and columns that do not fill a window are dropped.
func (n Net) Pooled() int { return n.Conv() / n.Pool }

// Features returns D = F·Q², the input size of the linear layer.
func (n Net) Features() int { return n.Filters * n.Pooled() * n.Pooled() }

// Len returns the number of weights.
func (n Net) Len() int {
	return n.Filters*n.Kernel*n.Kernel + n.Filters + n.Classes*n.Features() + n.Classes
}

// Filter returns filter f of w, k² values row-major (not a copy).
func (n Net) Filter(w []float64, f int) []float64 {
	kk := n.Kernel * n.Kernel
	return w[f*kk : (f+1)*kk]
}

// parts splits w into its four blocks.
func (n Net) parts(w []float64) (conv, convBias, lin, linBias []float64) {
	if len(w) != n.Len() {
		panic(fmt.Sprintf("convnet: weights hold %d values, the net has %d", len(w), n.Len()))
	}
	a := n.Filters * n.Kernel * n.Kernel
	b := a + n.Filters
	c := b + n.Classes*n.Features()
	return w[:a], w[a:b], w[b:c], w[c:]
}

// Init fills w with PyTorch's default initialisation of Conv2d and Linear:
// every weight and bias of a layer uniform on ±1/√fan_in, fan_in = k² for
// the convolution and D for the linear layer. It panics if len(w) != Len().
func (n Net) Init(w []float64, rng *rand.Rand) {
	conv, cb, lin, lb := n.parts(w)
	fill := func(v []float64, fanIn int) {
		b := 1 / math.Sqrt(float64(fanIn))
		for i := range v {
			v[i] = b * (2*rng.Float64() - 1)
		}
	}
	kk := n.Kernel * n.Kernel
	fill(conv, kk)
	fill(cb, kk)
	fill(lin, n.Features())
	fill(lb, n.Features())
}
