package model

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestActivateKernels: every kernel set's activation equals act() bit for
// bit, on values of both signs, zeros and NaN, for q = 1…4 and larger q up
// to config.MaxQ, and lengths that are and are not multiples of 8.
func TestActivateKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range available {
		for _, q := range []int{1, 2, 3, 4, 5, 7, 8, 13, 31, 64} {
			for _, n := range []int{1, 8, 13, 40, 83} {
				z := make([]float64, n)
				for i := range z {
					z[i] = rng.NormFloat64() * 3
				}
				z[0] = 0
				if n > 2 {
					z[1] = math.Copysign(0, -1)
					z[2] = math.NaN()
				}
				s, ds := make([]float64, n), make([]float64, n)
				k.activate(z, s, ds, q)
				for i, v := range z {
					ws, wds := act(v, q)
					if !same(s[i], ws) || !same(ds[i], wds) {
						t.Errorf("%s q=%d n=%d: z=%v gives (%v, %v), act gives (%v, %v)", k.name, q, n, v, s[i], ds[i], ws, wds)
					}
				}
			}
		}
	}
}

func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// TestActPower: act's powers by squaring agree with math.Pow to a few ulps,
// q = 3 is the running product z·z·z bit for bit (the paper's numbers), and
// a huge q takes O(log q) products rather than q (it would take seconds).
func TestActPower(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		z := rng.Float64() * 2
		if s, _ := act(z, 3); s != z*z*z {
			t.Fatalf("act(%v, 3) = %v, want z·z·z = %v", z, s, z*z*z)
		}
		for _, q := range []int{2, 5, 17, 64} {
			s, ds := act(z, q)
			if want := math.Pow(z, float64(q)); math.Abs(s-want) > 1e-14*want {
				t.Fatalf("act(%v, %d) = %v, want %v", z, q, s, want)
			}
			if want := float64(q) * math.Pow(z, float64(q-1)); math.Abs(ds-want) > 1e-14*want {
				t.Fatalf("act'(%v, %d) = %v, want %v", z, q, ds, want)
			}
		}
	}
	done := make(chan struct{})
	go func() { act(1.0000001, 2_000_000_000); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("act with q = 2e9 still running after 5 s: powers are not by squaring")
	}
}
