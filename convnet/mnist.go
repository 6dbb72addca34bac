package convnet

import (
	"math"

	"github.com/adamgap/adamgap/mnist"
)

// Standardization is the affine map x ↦ (x − Mean)/SD applied to every
// pixel value in [0,1] before the network sees it.
type Standardization struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// MNIST returns the embedded MNIST digits (package mnist) as network input:
// the last testPerDigit images of each digit form the test set, the rest the
// training set, and both are standardised by the training pixels' mean and
// standard deviation (PyTorch's usual MNIST preprocessing, computed here
// rather than taken from the full 60,000 images).
func MNIST(testPerDigit int) (train, test *Data, std Standardization, err error) {
	all, err := mnist.Load()
	if err != nil {
		return nil, nil, std, err
	}
	tr, te, err := mnist.Split(all, testPerDigit)
	if err != nil {
		return nil, nil, std, err
	}
	var sum, sq float64
	for _, b := range tr.Images {
		v := float64(b) / 255
		sum += v
		sq += v * v
	}
	n := float64(len(tr.Images))
	std.Mean = sum / n
	std.SD = math.Sqrt(sq/n - std.Mean*std.Mean)
	conv := func(s *mnist.Set) *Data {
		d := &Data{X: make([]float64, len(s.Images)), Y: append([]byte(nil), s.Labels...)}
		for i, b := range s.Images {
			d.X[i] = (float64(b)/255 - std.Mean) / std.SD
		}
		return d
	}
	return conv(tr), conv(te), std, nil
}
