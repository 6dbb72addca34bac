package paper_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/adamgap/adamgap/paper"
)

// Table 1 at a small size: Adam and GD from the same W₀ on the same data.
func ExampleTable1() {
	o := paper.DefaultTable1()
	c := &o.Config
	c.D, c.N, c.S, c.SigmaP, c.TestSize, c.Steps, c.LogEvery, c.TestEvery = 200, 40, 20, 0.3, 500, 600, 100, 0
	c.Optimizers[0].LR, c.Optimizers[1].LR = 1e-4, 0.05
	rep, err := paper.Table1(context.Background(), o, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rep.Summary.Runs {
		fmt.Printf("%s: train error %.2f, test error %.2f\n", r.Optimizer, *r.TrainError, *r.TestError)
	}
	fmt.Printf("paper, T = 10⁴ at d = 1000: Adam %.3f, GD %.0f\n", rep.PaperAdamTest, rep.PaperGDTest)
	// Output:
	// adam: train error 0.00, test error 0.64
	// gd: train error 0.07, test error 0.11
	// paper, T = 10⁴ at d = 1000: Adam 0.884, GD 0
}

// Theorem 4.2 on the paper's data: GD reaches the linear model's minimiser
// w*, Adam at a constant learning rate stalls near it.
func ExampleConvex() {
	o := paper.DefaultConvex()
	o.Steps, o.CNNSteps, o.TestSize = 300, 0, 100
	rep, err := paper.Convex(context.Background(), o, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rep.Runs[:2] {
		fmt.Printf("%s, %s: ‖w − w*‖/‖w*‖ below 1e-3: %v\n", r.Optimizer, r.Schedule, r.DistStar < 1e-3)
	}
	// Output:
	// gd, constant: ‖w − w*‖/‖w*‖ below 1e-3: true
	// adam, constant: ‖w − w*‖/‖w*‖ below 1e-3: false
}

// Lemma 5.1 at the paper's own sizes, and one run of the flip of Adam's
// feature learning.
func ExampleLemmas() {
	o := paper.LemmasOptions{Trials: 200, Etas: []float64{4e-4}, StepsEta: 0.1, LogPoints: 20, TestSize: 100}
	rep, err := paper.Lemmas(context.Background(), o, nil)
	if err != nil {
		log.Fatal(err)
	}
	last := rep.Supports[len(rep.Supports)-1]
	fmt.Printf("n=%d s=%d d=%d: P(disjoint supports) = %.3g, each coordinate shared by %.1f examples\n",
		last.N, last.S, last.D, last.Exact, last.MeanSharing)
	f := rep.Flips[0]
	fmt.Printf("η=%g, %d steps: class %+d peaks at step %d\n", f.Eta, f.Steps, f.Flips[0].Class, f.Flips[0].PeakStep)
	// Output:
	// n=200 s=100 d=1000: P(disjoint supports) = 0, each coordinate shared by 20.0 examples
	// η=0.0004, 250 steps: class +1 peaks at step 120
}

// The conditions of Section A.1 at the paper's experiment.
func ExampleCheck() {
	rep, err := paper.Check(context.Background(), paper.DefaultCheck(), nil)
	if err != nil {
		log.Fatal(err)
	}
	held := 0
	for _, c := range rep.Conditions {
		if c.Holds != nil && *c.Holds {
			held++
		}
	}
	fmt.Printf("%d of %d conditions listed hold with slack K = %g\n", held, len(rep.Conditions), rep.Slack)
	// Output:
	// 15 of 30 conditions listed hold with slack K = 10
}

// Tang et al.'s four cells at a tiny budget (the paper trains 10⁴ epochs).
func ExampleStochastic() {
	o := paper.DefaultStochastic()
	o.Seeds, o.Steps, o.TestSize = 1, 20, 100
	rep, err := paper.Stochastic(context.Background(), o, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range rep.Cells {
		fmt.Printf("%s batch %d, %d steps: test error %.2f (paper, 10⁴ epochs: %.4g)\n", c.Optimizer, c.BatchSize, c.Steps, c.TestMean, c.Paper)
	}
	// Output:
	// adam batch 100, 20 steps: test error 0.07 (paper, 10⁴ epochs: 0.9545)
	// adam batch 2, 20 steps: test error 0.07 (paper, 10⁴ epochs: 0)
	// adamw batch 100, 20 steps: test error 0.10 (paper, 10⁴ epochs: 0.5485)
	// adamw batch 2, 20 steps: test error 0.08 (paper, 10⁴ epochs: 0)
}

// The phase diagram's small version (examples/phase-quick.yaml).
func ExamplePhase() {
	dir, err := os.MkdirTemp("", "phase")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rep, err := paper.Phase(context.Background(), paper.PhaseOptions{Dir: dir, Quick: true}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d runs × %d optimizers\n", rep.Runs, rep.Optimizers)
	for _, m := range rep.Maps {
		fmt.Println(m.Map.Title)
	}
	// Output:
	// 12 runs × 2 optimizers
	// adam: test_error (mean ± sd over 3 seeds)
	// gd: test_error (mean ± sd over 3 seeds)
	// test_error: adam − gd (mean ± sd over 3 seeds)
}

// Figure 1 on MNIST with one 3×3 filter and one epoch.
func ExampleFigure1() {
	o := paper.DefaultFigure1()
	o.Seeds, o.Epochs, o.Filters, o.Kernel, o.Optimizers = 1, 1, 1, 3, []string{"adam", "sgd"}
	rep, err := paper.Figure1(context.Background(), o, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rep.Runs {
		fmt.Printf("%s: test accuracy above 0.5: %v\n", r.Optimizer.Name, r.TestAccuracy > 0.5)
	}
	// Output:
	// adam: test accuracy above 0.5: true
	// sgd: test accuracy above 0.5: true
}
