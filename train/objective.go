package train

import (
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/optim"
)

// fullObjective is the training loss L(W) of a full-batch run: every step
// the gradient of the whole set, whose activations its Net keeps for the
// probes.
type fullObjective[T model.Float] struct{ net *model.Net[T] }

// Grad implements optim.Objective.
func (o fullObjective[T]) Grad(g, w []T, _ int) optim.Value {
	return valueOf(o.net.LossGrad(g, w))
}

// batchObjective is the mini-batch loss L_B(W) of a mini-batch run: step t
// evaluates the next batch of the sampler (the same one again for a second
// call at t, as optim.Perturber needs), its whole gradient
// (model.Net.BatchLossGrad). It is the objective of the float32 runs whose
// optimiser takes whole gradients (GD32): float32's (PyTorch's order, the
// decay and norms in one fused kernel) costs less than rows completed by
// optim.RowGrad.Fill.
type batchObjective[T model.Float] struct {
	net     *model.Net[T] // the mini-batch's activations, apart from the full batch's
	cnn     model.CNN
	batches Sampler
	batch   []int32
	t       int // the step batch belongs to
}

func (o *batchObjective[T]) next(t int) []int32 {
	if t != o.t {
		o.batch, o.t = o.batches.Next(), t
	}
	return o.batch
}

// Grad implements optim.Objective.
func (o *batchObjective[T]) Grad(g, w []T, t int) optim.Value {
	return valueOf(o.net.BatchLossGrad(g, w, o.next(t)))
}

// rowObjective is batchObjective as an optim.RowObjective, the float64
// runs' objective and float32 Adam's (optim.Adam32.StepRows; its rows are
// model.Net.BatchLossGradRows', the same bits as BatchLossGrad's): the
// gradient is the rows the batch touches
// (model.Net.BatchLossRows), described by an optim.RowGather so that an
// optim.RowStepper computes them as it steps (Adam on AVX-512) or writes
// them first (model.Net.BatchGradRows), and which optim.Minimize completes
// for the other optimisers.
type rowObjective[T model.Float] struct {
	*batchObjective[T]
	gather *optim.RowGather // reused every step; nil for float32 nets
	// float32: the training set and every row listed (0, …, d−1), for a
	// batch that touches most rows, whose whole gradient (the decay fused
	// with its norms) costs less than its rows; nil for float64.
	set *data.Set
	all []int32
}

// newRowObjective returns bo, whose net is over set, as a rowObjective,
// with a RowGather for a float64 net.
func newRowObjective[T model.Float](bo *batchObjective[T], set *data.Set) rowObjective[T] {
	o := rowObjective[T]{batchObjective: bo}
	if net, ok := any(bo.net).(*model.Net[float64]); ok {
		o.gather = &optim.RowGather{Write: net.BatchGradRows}
	} else {
		o.set = set
		o.all = make([]int32, set.D)
		for k := range o.all {
			o.all[k] = int32(k)
		}
	}
	return o
}

// GradRows implements optim.RowObjective. Its Value is the batch's data
// term, without (λ/2)‖W‖² and the gradient's norms (not computed) — except
// for a float32 batch whose patches have d entries or more in all (most
// rows touched): then its value and whole gradient, every row listed
// (model.Net.BatchLossGrad; the rows' bits either way).
func (o rowObjective[T]) GradRows(g, w []T, t int) (optim.Value, optim.RowGrad) {
	batch := o.next(t)
	rg := optim.RowGrad{Lambda: o.cnn.Lambda, Width: o.cnn.Width()}
	var bg model.BatchGrad
	switch {
	case o.gather != nil:
		bg = o.net.BatchLossRows(w, batch)
		if desc, ok := any(o.net).(*model.Net[float64]).BatchGather(); ok {
			o.gather.Ptr, o.gather.Ent, o.gather.Val, o.gather.DZ = desc.Ptr, desc.Ent, desc.Val, desc.DZ
			rg.Gather = o.gather
		} else {
			o.net.BatchGradRows(g, w)
		}
	case o.entries(batch) >= o.set.D:
		rg.Rows = o.all
		return valueOf(o.net.BatchLossGrad(g, w, batch)), rg
	default:
		bg = o.net.BatchLossGradRows(g, w, batch)
	}
	rg.Rows = bg.Rows
	return optim.Value{Loss: bg.DataLoss, Errors: bg.Errors}, rg
}

// entries is the number of entries of the batch's patches.
func (o rowObjective[T]) entries(batch []int32) int {
	n := 0
	for _, i := range batch {
		n += int(o.set.PatchPtr[2*int(i)+2] - o.set.PatchPtr[2*int(i)])
	}
	return n
}

// valueOf is an evaluation as optim.Minimize sees it.
func valueOf(e model.Eval) optim.Value {
	return optim.Value{Loss: e.Loss, GradL1: e.GradL1, GradL2Sq: e.GradL2Sq, Errors: e.Errors}
}
