package convex_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/adamgap/adamgap/convex"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/optim"
)

// Theorem 4.2 on a small data set: gradient descent and Adam with a cosine
// schedule reach the same minimiser w*; Adam at a constant rate stays in a
// ball around it.
func Example() {
	pm := data.PatchModel{D: 100, S: 10, SigmaP: 0.3, Alpha: 0.2}
	train, _ := pm.Train(40, rand.New(rand.NewPCG(1, 1)))
	test, _ := pm.Test(200, rand.New(rand.NewPCG(1, 2)))
	lin := convex.Linear{D: pm.D, Lambda: 0.05}
	w0 := make([]float64, lin.Size())
	opt, err := convex.Minimize(lin, train, w0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := convex.Runner{Model: lin, Train: train, Test: test, Steps: 3000, LogEvery: 1000, WStar: opt.W}
	for _, s := range []optim.Spec{
		{Name: "gd", LR: 2},
		{Name: "adam", LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Schedule: optim.ScheduleSpec{Kind: "cosine"}},
		{Name: "adam", LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
	} {
		res, err := r.Run(context.Background(), s, w0)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s %s: at w* (‖w − w*‖/‖w*‖ < 1e-9): %v\n", s.Name, s.Schedule, res.Final.Dist < 1e-9)
	}
	// Output:
	// gd constant: at w* (‖w − w*‖/‖w*‖ < 1e-9): true
	// adam cosine(min_lr=0): at w* (‖w − w*‖/‖w*‖ < 1e-9): true
	// adam constant: at w* (‖w − w*‖/‖w*‖ < 1e-9): false
}
