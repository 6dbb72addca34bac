package explorer

import (
	"context"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
)

// BenchmarkRecorder trains Adam and GD at the paper's size for 2000 steps
// with no recorder (as adamgap run) and with the page's (rows kept for the
// stream, the weights pictured at 11 steps): the ratio of the two ns/op is
// what watching costs.
func BenchmarkRecorder(b *testing.B) {
	cfg := config.Paper()
	cfg.Steps, cfg.TestEvery = 2000, 1000
	setup, err := experiment.Prepare(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("none", func(b *testing.B) {
		for b.Loop() {
			if _, err := experiment.Execute(context.Background(), setup, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			j := newJob(setup.Config)
			j.setup = setup
			if _, err := experiment.ExecuteRecorded(context.Background(), setup, 1, j); err != nil {
				b.Fatal(err)
			}
			j.take()
		}
	})
}
