package convnet_test

import (
	"fmt"

	"github.com/adamgap/adamgap/convnet"
)

// A smooth 4×4 filter (a ramp) keeps its energy at low spatial frequencies;
// a checkerboard has all of it at the Nyquist frequency. By hand: the ramp
// row (−1.5, −0.5, 0.5, 1.5) has |X|² = 8, 4, 8 at ν = ¼, ½, −¼ cycles per
// pixel; only ν = ½ lies above the cut-off ¼, so the share is 4/20.
func ExampleHighFreqShare() {
	ramp := []float64{
		0, 1, 2, 3,
		0, 1, 2, 3,
		0, 1, 2, 3,
		0, 1, 2, 3,
	}
	checker := []float64{
		0, 1, 0, 1,
		1, 0, 1, 0,
		0, 1, 0, 1,
		1, 0, 1, 0,
	}
	fmt.Printf("ramp %.3f, checkerboard %.3f, white noise %.3f\n",
		convnet.HighFreqShare(ramp, 4, 0.25), convnet.HighFreqShare(checker, 4, 0.25), convnet.WhiteNoiseShare(4, 0.25))
	fmt.Printf("total variation: ramp %.3f, checkerboard %.3f\n",
		convnet.TotalVariation(ramp, 4), convnet.TotalVariation(checker, 4))
	// Output:
	// ramp 0.200, checkerboard 1.000, white noise 0.733
	// total variation: ramp 0.167, checkerboard 1.000
}
