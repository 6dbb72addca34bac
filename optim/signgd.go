package optim

// SignGD is sign gradient descent (Section 5.1 of the paper):
// w ← w − η·sgn(g), with sgn(0) = 0.
type SignGD struct {
	LR float64 // learning rate η
}

var _ Optimizer = (*SignGD)(nil)

// Step implements Optimizer.
func (o *SignGD) Step(w, g []float64) {
	checkLen(w, g, 0)
	for i, gi := range g {
		switch {
		case gi > 0:
			w[i] -= o.LR
		case gi < 0:
			w[i] += o.LR
		}
	}
}
