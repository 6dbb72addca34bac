package convnet

import (
	"context"
	"errors"
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
//
// It is optim.Minimize over Steps(n) steps, step t being mini-batch t mod
// ⌈n/Batch⌉ of epoch ⌊t·Batch/n⌋ (objective); unlike the CNN's loop
// nothing is evaluated on the whole set while training: an epoch's loss
// and accuracy are running means over its mini-batches (epochRecorder),
// as PyTorch's training loops report them.
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
	obj := &objective{ws: NewWorkspace(net, t.Lambda, t.Batch), data: train, rng: rng, batch: t.Batch, px: px,
		x: make([]float64, t.Batch*px), y: make([]byte, t.Batch), order: make([]int, n), t: -1}
	for i := range obj.order {
		obj.order[i] = i
	}
	rec := &epochRecorder{tr: t, n: n, perEpoch: t.Steps(n) / t.Epochs, step: step}
	if t.Cutoff > 0 {
		rec.w0, rec.delta = slices.Clone(w), make([]float64, len(w))
	}
	err := optim.Minimize(ctx, obj, opt, w, optim.Settings[float64]{Steps: t.Steps(n), Recorder: rec})
	var de *optim.DivergedError
	if errors.As(err, &de) {
		return rec.hist, fmt.Errorf("convnet: training %w in epoch %d (loss %g): lower the learning rate", optim.ErrDiverged, de.Step/rec.perEpoch+1, de.Value.Loss)
	}
	if err != nil && rec.batches == rec.perEpoch { // an epoch ended, the next did not start
		rec.endEpoch(w)
	}
	return rec.hist, err
}

// objective is the mini-batch loss of step t (optim.Objective): each epoch
// visits the images once, in an order drawn afresh from rng.
type objective struct {
	ws           *Workspace
	data         *Data
	rng          *rand.Rand
	batch, px, t int
	x            []float64
	y            []byte
	b            int // images in step t's batch
	order        []int
}

// Grad implements optim.Objective.
func (o *objective) Grad(g, w []float64, t int) optim.Value {
	if t != o.t {
		n := o.data.Len()
		start := t % ((n + o.batch - 1) / o.batch) * o.batch
		if start == 0 {
			o.rng.Shuffle(n, func(i, j int) { o.order[i], o.order[j] = o.order[j], o.order[i] })
		}
		o.b, o.t = min(o.batch, n-start), t
		for i, idx := range o.order[start : start+o.b] {
			copy(o.x[i*o.px:(i+1)*o.px], o.data.X[idx*o.px:(idx+1)*o.px])
			o.y[i] = o.data.Y[idx]
		}
	}
	ev := o.ws.LossGrad(g, w, o.x[:o.b*o.px], o.y[:o.b])
	return optim.Value{Loss: ev.Loss, Examples: o.b, Errors: o.b - ev.Correct}
}

// epochRecorder sums each epoch's running means (optim.Recorder) and, with
// a cut-off, measures the filters' noisiness when an epoch ends.
type epochRecorder struct {
	tr          Trainer
	n, perEpoch int
	step        func()
	ep          Epoch
	batches     int // of the epoch under way
	hist        []Epoch
	w0, delta   []float64
}

// Record implements optim.Recorder.
func (r *epochRecorder) Record(t int, w []float64, v optim.Value, _ float64) error {
	if t > 0 && r.step != nil {
		r.step()
	}
	if r.batches == r.perEpoch {
		r.endEpoch(w)
	}
	if v.Examples > 0 { // t < T
		r.ep.Loss += v.Loss * float64(v.Examples) / float64(r.n)
		r.ep.Accuracy += float64(v.Examples-v.Errors) / float64(r.n)
		r.batches++
	}
	return nil
}

// endEpoch closes the epoch whose last step made w.
func (r *epochRecorder) endEpoch(w []float64) {
	if r.tr.Cutoff > 0 {
		nz := r.tr.Net.FilterNoisiness(w, r.tr.Cutoff)
		for i, v := range w {
			r.delta[i] = v - r.w0[i]
		}
		up := r.tr.Net.FilterNoisiness(r.delta, r.tr.Cutoff)
		r.ep.Noisiness, r.ep.Update = &nz, &up
	}
	r.hist = append(r.hist, r.ep)
	r.ep, r.batches = Epoch{}, 0
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
