package convnet

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/adamgap/adamgap/optim"
)

// Data is a list of labelled images as the network reads them.
type Data struct {
	X []float64 // image i is X[i·S² : (i+1)·S²], row-major
	Y []byte    // class of image i
}

// Len returns the number of images.
func (d *Data) Len() int { return len(d.Y) }

// Trainer runs mini-batch training: each epoch visits the training images
// once, in an order drawn afresh from the run's generator, in mini-batches
// of Batch (the last one smaller if Batch does not divide the count).
type Trainer struct {
	Net    Net
	Lambda float64 // coupled weight decay λ ≥ 0
	Batch  int     // mini-batch size ≥ 1
	Epochs int     // passes over the training set ≥ 1
	// Cutoff, if positive, makes Run record the noisiness of the filters
	// and of their change since the start (FilterNoisiness with this
	// cut-off) at the end of every epoch.
	Cutoff float64
}

// Steps returns the number of optimiser steps for n training images.
func (t Trainer) Steps(n int) int { return t.Epochs * ((n + t.Batch - 1) / t.Batch) }

// Epoch is what one pass over the training set measured, as running means
// over its mini-batches (weights changing as it goes).
type Epoch struct {
	Loss      float64    `json:"loss"`
	Accuracy  float64    `json:"accuracy"`
	Noisiness *Noisiness `json:"noisiness,omitempty"`        // of the filters at the epoch's end (Trainer.Cutoff > 0)
	Update    *Noisiness `json:"update_noisiness,omitempty"` // of what training has added to them since the start
}

// Run trains w in place with opt on train. The mini-batch order comes from
// rng alone, so two runs with generators in the same state see the same
// batches. step, if not nil, is called after every optimiser step (from
// this goroutine). Run stops with an error when ctx is done or the loss is
// no longer finite.
func (t Trainer) Run(ctx context.Context, opt optim.Optimizer, w []float64, train *Data, rng *rand.Rand, step func()) ([]Epoch, error) {
	net := t.Net
	px := net.Side * net.Side
	n := train.Len()
	if n == 0 || len(train.X) != n*px {
		return nil, fmt.Errorf("%w: training data hold %d labels and %d pixels, want a positive number of %d-pixel images", ErrInvalid, n, len(train.X), px)
	}
	if t.Batch < 1 || t.Epochs < 1 || !(t.Lambda >= 0) {
		return nil, fmt.Errorf("%w: batch=%d and epochs=%d must be positive, lambda=%g non-negative", ErrInvalid, t.Batch, t.Epochs, t.Lambda)
	}
	ws := NewWorkspace(net, t.Lambda, t.Batch)
	g := make([]float64, len(w))
	x := make([]float64, t.Batch*px)
	y := make([]byte, t.Batch)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	var hist []Epoch
	var w0, delta []float64
	if t.Cutoff > 0 {
		w0, delta = slices.Clone(w), make([]float64, len(w))
	}
	for e := range t.Epochs {
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		var ep Epoch
		for start := 0; start < n; start += t.Batch {
			if err := ctx.Err(); err != nil {
				return hist, err
			}
			b := min(t.Batch, n-start)
			for i, idx := range order[start : start+b] {
				copy(x[i*px:(i+1)*px], train.X[idx*px:(idx+1)*px])
				y[i] = train.Y[idx]
			}
			ev := ws.LossGrad(g, w, x[:b*px], y[:b])
			if math.IsNaN(ev.Loss) || math.IsInf(ev.Loss, 0) {
				return hist, fmt.Errorf("convnet: training %w in epoch %d (loss %g): lower the learning rate", optim.ErrDiverged, e+1, ev.Loss)
			}
			opt.Step(w, g)
			ep.Loss += ev.Loss * float64(b) / float64(n)
			ep.Accuracy += float64(ev.Correct) / float64(n)
			if step != nil {
				step()
			}
		}
		if t.Cutoff > 0 {
			nz := net.FilterNoisiness(w, t.Cutoff)
			for i, v := range w {
				delta[i] = v - w0[i]
			}
			up := net.FilterNoisiness(delta, t.Cutoff)
			ep.Noisiness, ep.Update = &nz, &up
		}
		hist = append(hist, ep)
	}
	return hist, nil
}

// Evaluate returns the loss (cross-entropy + (λ/2)‖w‖²) and accuracy of w
// on d, in chunks of 256 images.
func Evaluate(net Net, lambda float64, w []float64, d *Data) (loss, accuracy float64) {
	const chunk = 256
	px := net.Side * net.Side
	n := d.Len()
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	ws := NewWorkspace(net, 0, chunk)
	correct := 0
	for start := 0; start < n; start += chunk {
		b := min(chunk, n-start)
		ev := ws.LossGrad(nil, w, d.X[start*px:(start+b)*px], d.Y[start:start+b])
		loss += ev.Loss * float64(b) / float64(n)
		correct += ev.Correct
	}
	return loss + lambda/2*dot(w, w), float64(correct) / float64(n)
}
