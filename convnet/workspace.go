package convnet

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
)

// Eval is what one pass over a mini-batch measured.
type Eval struct {
	Loss    float64 // mean cross-entropy + (λ/2)‖w‖²
	Correct int     // examples whose largest logit is their label's (first index wins ties)
}

// Workspace holds the buffers of one mini-batch of at most Batch images; it
// allocates nothing per call. A workspace is not safe for concurrent use:
// give each goroutine its own.
type Workspace struct {
	Net    Net
	Lambda float64 // coupled weight decay λ ≥ 0: the loss carries (λ/2)‖w‖², the gradient +λw

	batch  int
	cols   []float64 // im2col: row a·k+c (filter tap), column (b, y, x) (conv output position)
	z      []float64 // conv pre-activations, row f, column (b, y, x)
	arg    []int32   // for each pooled unit (b, j), the column of z that won its window
	h      []float64 // pooled activations, row b, column j (the linear layer's input)
	logits []float64 // row b, column c; softmax − one-hot after the backward pass
	dh     []float64
	x      []float64 // the batch's images, as passed to LossGrad
}

// convTile is the number of output positions whose convolution is computed
// together.
const convTile = 256

// NewWorkspace returns buffers for mini-batches of up to batch images. It
// panics if the net is invalid or batch < 1.
func NewWorkspace(net Net, lambda float64, batch int) *Workspace {
	if err := net.Validate(); err != nil {
		panic(err)
	}
	if batch < 1 {
		panic("convnet: NewWorkspace: batch must be positive")
	}
	o, kk, d := net.Conv(), net.Kernel*net.Kernel, net.Features()
	rows := batch * o * o
	return &Workspace{
		Net: net, Lambda: lambda, batch: batch,
		cols:   make([]float64, rows*kk),
		z:      make([]float64, rows*net.Filters),
		arg:    make([]int32, batch*d),
		h:      make([]float64, batch*d),
		logits: make([]float64, batch*net.Classes),
		dh:     make([]float64, batch*d),
	}
}

// LossGrad computes the loss of the mini-batch x (len(y) images of S² values
// each, row-major) with labels y at weights w and, if g is not nil, writes
// its gradient to g. It panics if the lengths do not match the net, if
// len(y) exceeds the workspace's batch or a label is not below Classes.
func (ws *Workspace) LossGrad(g, w, x []float64, y []byte) Eval {
	net := ws.Net
	n := len(y)
	if n > ws.batch || len(x) != n*net.Side*net.Side || (g != nil && len(g) != len(w)) {
		panic(fmt.Sprintf("convnet: LossGrad: %d labels and %d pixels for a batch of at most %d images of %d pixels, gradient %d for %d weights",
			n, len(x), ws.batch, net.Side*net.Side, len(g), len(w)))
	}
	ws.x = x
	ev := ws.forward(w, x, y)
	ev.Loss += ws.Lambda / 2 * dot(w, w)
	if g == nil {
		return ev
	}
	ws.backward(g, w, n)
	for i, wi := range w {
		g[i] += ws.Lambda * wi
	}
	return ev
}

// forward fills every buffer through the logits and turns the logits into
// (softmax − one-hot)/n, the gradient of the mean cross-entropy.
func (ws *Workspace) forward(w, x []float64, y []byte) Eval {
	net := ws.Net
	conv, cb, lin, lb := net.parts(w)
	n, s, k, o, f := len(y), net.Side, net.Kernel, net.Conv(), net.Filters
	kk, q, p, d, c := k*k, net.Pooled(), net.Pool, net.Features(), net.Classes
	rows := n * o * o

	// im2col, transposed: row t = a·k+c (filter tap), column (b, y, x)
	// (output position), so that the product below runs over long rows.
	for a := range k {
		for cc := range k {
			row := ws.cols[(a*k+cc)*rows:][:rows]
			for b := range n {
				img := x[b*s*s : (b+1)*s*s]
				for oy := range o {
					copy(row[(b*o+oy)*o:][:o], img[(oy+a)*s+cc:][:o])
				}
			}
		}
	}
	// z = conv · cols + bias: row f, column (b, y, x), computed tile by
	// tile of columns so that the tap rows of a tile stay in cache.
	z := ws.z[:f*rows]
	for c0 := 0; c0 < rows; c0 += convTile {
		c1 := min(c0+convTile, rows)
		for fi := range f {
			zr := z[fi*rows+c0 : fi*rows+c1]
			for i := range zr {
				zr[i] = cb[fi]
			}
			for t, wt := range conv[fi*kk : (fi+1)*kk] {
				floats.AddScaled(zr, wt, ws.cols[t*rows+c0:t*rows+c1])
			}
		}
	}
	// ReLU then max pooling; arg keeps the winning column of z.
	for fi := range f {
		zf := z[fi*rows : (fi+1)*rows]
		for b := range n {
			for qy := range q {
				for qx := range q {
					first := (b*o+qy*p)*o + qx*p
					best, bestCol := 0.0, first
					for dy := range p {
						win := zf[first+dy*o : first+dy*o+p]
						for dx, v := range win {
							if v > best {
								best, bestCol = v, first+dy*o+dx
							}
						}
					}
					j := b*d + (fi*q+qy)*q + qx
					ws.h[j], ws.arg[j] = best, int32(bestCol)
				}
			}
		}
	}
	// logits = h · linᵀ + bias
	gemm(blas.NoTrans, blas.Trans, n, c, d, ws.h[:n*d], lin, ws.logits[:n*c])
	var ev Eval
	for b := range n {
		l := ws.logits[b*c : (b+1)*c]
		top := 0
		for j := range l {
			l[j] += lb[j]
			if l[j] > l[top] {
				top = j
			}
		}
		lab := int(y[b])
		if lab >= c {
			panic(fmt.Sprintf("convnet: label %d of example %d is not below classes=%d", lab, b, c))
		}
		if top == lab {
			ev.Correct++
		}
		mx := l[top]
		sum := 0.0
		for _, v := range l {
			sum += math.Exp(v - mx)
		}
		lse := mx + math.Log(sum)
		ev.Loss += (lse - l[lab]) / float64(n)
		for j, v := range l {
			l[j] = math.Exp(v-lse) / float64(n)
		}
		l[lab] -= 1 / float64(n)
	}
	return ev
}

// backward writes the gradient of the mean cross-entropy to g; forward must
// have run on the same batch.
func (ws *Workspace) backward(g, w []float64, n int) {
	net := ws.Net
	_, _, lin, _ := net.parts(w)
	gConv, gcb, gLin, glb := net.parts(g)
	o, kk, d, c := net.Conv(), net.Kernel*net.Kernel, net.Features(), net.Classes
	rows := n * o * o
	dl := ws.logits[:n*c]

	// linear layer
	gemm(blas.Trans, blas.NoTrans, c, d, n, dl, ws.h[:n*d], gLin)
	clear(glb)
	for b := range n {
		for j := range c {
			glb[j] += dl[b*c+j]
		}
	}
	gemm(blas.NoTrans, blas.NoTrans, n, d, c, dl, lin, ws.dh[:n*d])

	// Max pooling and ReLU pass each pooled unit's gradient to the one
	// position that won its window, if its pre-activation was positive;
	// the filter gradient adds that gradient times the window's patch.
	clear(gConv)
	clear(gcb)
	s, k, q2 := net.Side, net.Kernel, net.Pooled()*net.Pooled()
	for b := range n {
		img := ws.x[b*s*s : (b+1)*s*s]
		for j := range d {
			u := b*d + j
			gu := ws.dh[u]
			fi := j / q2
			col := int(ws.arg[u])
			if gu == 0 || ws.z[fi*rows+col] <= 0 {
				continue
			}
			gcb[fi] += gu
			pos := col - b*o*o
			oy, ox := pos/o, pos%o
			gf := gConv[fi*kk : (fi+1)*kk]
			for a := range k {
				src := img[(oy+a)*s+ox : (oy+a)*s+ox+k]
				dst := gf[a*k : (a+1)*k]
				for i, v := range src {
					dst[i] += gu * v
				}
			}
		}
	}
}

// gemm sets dst (m×n) to op(a)·op(b), the inner dimension being k; a and b
// are row-major with the shapes their op implies.
func gemm(ta, tb blas.Transpose, m, n, k int, a, b, dst []float64) {
	ga := blas64.General{Rows: m, Cols: k, Stride: k, Data: a}
	if ta == blas.Trans {
		ga = blas64.General{Rows: k, Cols: m, Stride: m, Data: a}
	}
	gb := blas64.General{Rows: k, Cols: n, Stride: n, Data: b}
	if tb == blas.Trans {
		gb = blas64.General{Rows: n, Cols: k, Stride: k, Data: b}
	}
	blas64.Gemm(ta, tb, 1, ga, gb, 0, blas64.General{Rows: m, Cols: n, Stride: n, Data: dst[:m*n]})
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
