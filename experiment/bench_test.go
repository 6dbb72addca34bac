package experiment_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/optim"
)

// BenchmarkTwoRuns trains two independent Adam runs of 1000 steps at the
// paper's size, one after the other (jobs=1) or concurrently (jobs=2). The
// ratio of the two ns/op is the throughput factor of running on two cores
// (issue 3, target 4).
func BenchmarkTwoRuns(b *testing.B) {
	cfg := config.Paper()
	cfg.Steps, cfg.TestSize, cfg.TestEvery = 1000, 1000, 0
	a1, _ := optim.Default("adam")
	a2, _ := optim.Default("adam-paper")
	cfg.Optimizers = []optim.Spec{a1, a2}
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				if _, err := experiment.Execute(context.Background(), setup, jobs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
