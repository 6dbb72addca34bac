package optim

import "math"

// GD is full-batch gradient descent: w ← w − η·g.
type GD struct {
	LR float64 // learning rate η
}

var _ Optimizer = (*GD)(nil)

// Step implements Optimizer.
func (o *GD) Step(w, g []float64) {
	checkLen(w, g, 0)
	kern.gd(w, g, o.LR)
}

var _ RowStepper[float64] = (*GD)(nil)

// StepRows implements RowStepper: w ← w − η·g in one pass, g being λ·w on
// the rows not in r.Rows (a rounded product, as RowGrad.Fill writes it)
// and the buffer's rows elsewhere; a rounded product and a rounded
// difference per weight, as Step.
func (o *GD) StepRows(w, g []float64, r RowGrad) bool {
	checkLen(w, g, 0)
	r.check(w, g)
	r = r.Written(g, w)
	wd := r.Width
	finite := true
	next := 0
	for k := range len(w) / wd {
		row := w[k*wd : (k+1)*wd]
		if next < len(r.Rows) && int(r.Rows[next]) == k {
			next++
			for c, gi := range g[k*wd : (k+1)*wd] {
				if math.Float64bits(gi)&expMask == expMask {
					finite = false
				}
				row[c] -= o.LR * gi
			}
			continue
		}
		for c, wi := range row {
			gi := r.Lambda * wi
			if math.Float64bits(gi)&expMask == expMask {
				finite = false
			}
			row[c] = wi - o.LR*gi
		}
	}
	return finite
}
