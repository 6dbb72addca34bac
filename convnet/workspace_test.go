package convnet

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
)

// TestGradient checks LossGrad against central finite differences on tiny
// nets, including one whose pooling drops a trailing row and column.
func TestGradient(t *testing.T) {
	for _, tc := range []struct {
		name   string
		net    Net
		batch  int
		lambda float64
	}{
		{"3x3 pool2", Net{Side: 6, Kernel: 3, Filters: 2, Pool: 2, Classes: 3}, 4, 0.01},
		{"2x2 pool2 ragged", Net{Side: 6, Kernel: 2, Filters: 3, Pool: 2, Classes: 4}, 3, 0},
		{"5x5 pool1", Net{Side: 7, Kernel: 5, Filters: 2, Pool: 1, Classes: 2}, 2, 0.1},
		{"1x1 pool3", Net{Side: 5, Kernel: 1, Filters: 1, Pool: 3, Classes: 2}, 5, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			w := make([]float64, tc.net.Len())
			tc.net.Init(w, rng)
			x := make([]float64, tc.batch*tc.net.Side*tc.net.Side)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			y := make([]byte, tc.batch)
			for i := range y {
				y[i] = byte(rng.IntN(tc.net.Classes))
			}
			ws := NewWorkspace(tc.net, tc.lambda, tc.batch+2)
			g := make([]float64, len(w))
			ev := ws.LossGrad(g, w, x, y)
			if ev.Loss <= 0 || math.IsNaN(ev.Loss) {
				t.Fatalf("loss %g", ev.Loss)
			}
			f := func(v []float64) float64 { return ws.LossGrad(nil, v, x, y).Loss }
			want := fd.Gradient(nil, f, w, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			if d := floats.Distance(g, want, math.Inf(1)); d > 1e-6 {
				t.Errorf("gradient differs from central differences by %.3g (∞-norm); |g|∞ = %.3g", d, floats.Norm(want, math.Inf(1)))
			}
			if floats.Norm(g, math.Inf(1)) == 0 {
				t.Error("gradient is zero")
			}
		})
	}
}

// TestForwardByHand computes one logit of a 1-filter net on a 3×3 image by
// hand.
func TestForwardByHand(t *testing.T) {
	net := Net{Side: 3, Kernel: 2, Filters: 1, Pool: 2, Classes: 2}
	// filter [[1,0],[0,-1]], bias 0.5; linear [[2],[−1]], biases 0, 1.
	w := []float64{1, 0, 0, -1, 0.5, 2, -1, 0, 1}
	x := []float64{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	// conv outputs: 1−5+.5=−3.5, 2−6+.5=−3.5, 4−8+.5=−3.5, 5−9+.5=−3.5 → ReLU 0 → pool 0.
	// logits (0, 1); label 1: CE = log(1+e) − 1.
	ws := NewWorkspace(net, 0, 1)
	ev := ws.LossGrad(nil, w, x, []byte{1})
	if want := math.Log(1+math.E) - 1; math.Abs(ev.Loss-want) > 1e-12 || ev.Correct != 1 {
		t.Errorf("loss %v correct %d, want %v and 1", ev.Loss, ev.Correct, want)
	}
	// Flip the filter's sign: every conv output is −1+5+0.5 = 4.5 (likewise
	// for the other windows), so the pooled value is 4.5; logits (9, −3.5).
	w[0], w[3] = -1, 1
	ev = ws.LossGrad(nil, w, x, []byte{0})
	l0, l1 := 2*4.5, -4.5+1
	if want := math.Log(math.Exp(l0)+math.Exp(l1)) - l0; math.Abs(ev.Loss-want) > 1e-12 || ev.Correct != 1 {
		t.Errorf("loss %v correct %d, want %v and 1", ev.Loss, ev.Correct, want)
	}
}

func TestNetValidate(t *testing.T) {
	good := Net{Side: 28, Kernel: 5, Filters: 16, Pool: 2, Classes: 10}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if good.Features() != 16*12*12 || good.Len() != 16*25+16+10*16*144+10 {
		t.Errorf("features %d len %d", good.Features(), good.Len())
	}
	for _, tc := range []struct {
		name string
		edit func(*Net)
	}{
		{"side", func(n *Net) { n.Side = 0 }},
		{"kernel", func(n *Net) { n.Kernel = 29 }},
		{"filters", func(n *Net) { n.Filters = 0 }},
		{"pool", func(n *Net) { n.Pool = 25 }},
		{"classes", func(n *Net) { n.Classes = 1 }},
	} {
		n := good
		tc.edit(&n)
		if err := n.Validate(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
