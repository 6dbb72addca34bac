package optim

// GD is full-batch gradient descent: w ← w − η·g.
type GD struct {
	LR float64 // learning rate η
}

var _ Optimizer = (*GD)(nil)

// Step implements Optimizer.
func (o *GD) Step(w, g []float64) {
	checkLen(w, g, 0)
	gdKernel(w, g, o.LR)
}
