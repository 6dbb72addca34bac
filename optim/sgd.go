package optim

// SGD is gradient descent with heavy-ball or Nesterov momentum, as
// PyTorch's torch.optim.SGD computes it with dampening 0 (the objective's
// coupled weight decay λ is already in g). With momentum μ and buffer b
// (zero before the first step, so that b = g after it):
//
//	b ← μ·b + g
//	d = g + μ·b  (Nesterov)  or  d = b  (heavy ball)
//	w ← w − η·d
//
// With μ = 0 (and no Nesterov) it is GD, step for step. It is stochastic
// when the training loop feeds it mini-batch gradients.
type SGD struct {
	LR       float64 // learning rate η
	Momentum float64 // μ ∈ [0,1); 0 is plain gradient descent
	Nesterov bool    // Nesterov's look-ahead form (needs μ > 0)

	b []float64
}

var (
	_ Optimizer = (*SGD)(nil)
	_ LRSetter  = (*SGD)(nil)
)

// Step implements Optimizer.
func (o *SGD) Step(w, g []float64) {
	checkLen(w, g, len(o.b))
	if o.b == nil {
		o.b = make([]float64, len(w))
	}
	mu := o.Momentum
	b := o.b[:len(w)]
	g = g[:len(w)]
	if o.Nesterov {
		for i, gi := range g {
			b[i] = mu*b[i] + gi
			w[i] -= o.LR * (gi + mu*b[i])
		}
		return
	}
	for i, gi := range g {
		b[i] = mu*b[i] + gi
		w[i] -= o.LR * b[i]
	}
}

// SetLR implements LRSetter.
func (o *SGD) SetLR(lr float64) { o.LR = lr }
