package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/model"
	"github.com/adamgap/adamgap/report"
	"github.com/adamgap/adamgap/train"
)

// WriteInputs writes config.yaml and data.npz to dir (created if needed):
// what a run needs to be repeated, written before training starts.
func (s *Setup) WriteInputs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("could not create output folder: %w", err)
	}
	y, err := s.Config.Marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, "config.yaml"), y); err != nil {
		return err
	}
	// A test set read from data_from travels with the training set, so that
	// the folder replays the run; a drawn one is redrawn from the seed.
	var test *data.Set
	if s.Config.DataFrom != "" && !s.TestDrawn() {
		test = s.Test
	}
	return atomicfile.Write(filepath.Join(dir, "data.npz"), func(w io.Writer) error {
		return data.WriteNPZSets(w, s.Config.Layout(), s.Train, test)
	})
}

// WriteResults writes metrics.csv, summary.json, weights.npz, table1.md and
// figure2.png/.svg to dir. It writes every file it can and returns the
// errors of those it could not.
func (o *Outcome) WriteResults(dir string) error {
	var records []train.Record
	for _, r := range o.Results {
		records = append(records, r.Records...)
	}
	fig := report.Figure2{Results: o.Results}
	for _, spec := range o.Config.Optimizers {
		fig.Titles = append(fig.Titles, fmt.Sprintf("%s (η = %g)", spec.Name, spec.LR))
	}
	cnn := o.Config.CNN()
	weights := []model.Named{{Name: "W0", W: o.W0}}
	for _, r := range o.Results {
		weights = append(weights, model.Named{Name: "W_" + r.Optimizer, W: r.W})
		if r.Best.W != nil {
			// Theorem 4.1's output, whose errors summary.json reports.
			weights = append(weights, model.Named{Name: "W_best_" + r.Optimizer, W: r.Best.W})
		}
	}
	files := []struct {
		name string
		fill func(io.Writer) error
	}{
		{"metrics.csv", func(w io.Writer) error { return train.WriteCSV(w, records) }},
		{"summary.json", o.writeSummary},
		{"weights.npz", func(w io.Writer) error { return cnn.WriteNPZ(w, weights...) }},
		{"table1.md", func(w io.Writer) error { _, err := io.WriteString(w, report.Table1(o.Results)); return err }},
		{"figure2.png", fig.WritePNG},
		{"figure2.svg", fig.WriteSVG},
	}
	var errs []error
	for _, f := range files {
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.fill); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Summary is the JSON form of summary.json.
type Summary struct {
	// Kernels is the kernel path the runs used ("portable", "avx2",
	// "avx512"; model.Kernel): paths agree to rounding, not bit for bit.
	Kernels string       `json:"kernels"`
	Runs    []RunSummary `json:"runs"`
	// Data describes the data: noise kind, ‖μ‖, SNR, label noise and
	// flipped counts, and where the test set came from.
	Data *DataSummary `json:"data,omitempty"`
}

// RunSummary is one optimiser's entry of summary.json. Errors are null for a
// run that did not finish, whose Error says why.
type RunSummary struct {
	Optimizer  string       `json:"optimizer"`
	TrainError *float64     `json:"train_error"`
	TestError  *float64     `json:"test_error"`
	FinalLoss  *float64     `json:"final_loss"`
	Best       *BestSummary `json:"best"`
	Seconds    float64      `json:"seconds"`
	Error      string       `json:"error,omitempty"`
	// TestErrorPos and TestErrorNeg are the last iterate's test error on
	// class +1 and on class −1 (null for a run that did not finish, or a
	// class absent from the test set).
	TestErrorPos *float64 `json:"test_error_pos"`
	TestErrorNeg *float64 `json:"test_error_neg"`
	// TestErrorClean is the last iterate's test error against the clean
	// test labels, present with label noise (test_error is then against
	// the noisy labels).
	TestErrorClean *float64 `json:"test_error_clean,omitempty"`
}

// BestSummary describes Theorem 4.1's output, the min-gradient iterate.
type BestSummary struct {
	Step       int     `json:"step"`
	GradNorm   float64 `json:"grad_norm"`
	Norm       string  `json:"norm"`
	TrainError float64 `json:"train_error"`
	TestError  float64 `json:"test_error"`
	// by class, as RunSummary's (null where a class is absent)
	TestErrorPos *float64 `json:"test_error_pos"`
	TestErrorNeg *float64 `json:"test_error_neg"`
	// TestErrorClean: as RunSummary's.
	TestErrorClean *float64 `json:"test_error_clean,omitempty"`
}

// Summary returns summary.json's content.
func (o *Outcome) Summary() Summary {
	s := Summary{Kernels: model.Kernel()}
	if o.Setup != nil {
		s.Data = o.DataSummary()
	}
	for i, r := range o.Results {
		rs := RunSummary{Optimizer: r.Optimizer, Seconds: r.Seconds}
		if r.Err != nil {
			rs.Error = r.Err.Error()
		} else {
			rs.TrainError, rs.TestError, rs.FinalLoss = finite(r.TrainError), finite(r.TestError), finite(r.FinalLoss)
			rs.TestErrorPos, rs.TestErrorNeg = finite(r.TestErrorPos), finite(r.TestErrorNeg)
			rs.Best = &BestSummary{
				Step: r.Best.Step, GradNorm: r.Best.GradNorm, Norm: r.Best.Norm.String(),
				TrainError: r.Best.TrainError, TestError: r.Best.TestError,
				TestErrorPos: finite(r.Best.TestErrorPos), TestErrorNeg: finite(r.Best.TestErrorNeg),
			}
			if i < len(o.Clean) {
				rs.TestErrorClean, rs.Best.TestErrorClean = finite(o.Clean[i].Last), finite(o.Clean[i].Best)
			}
		}
		s.Runs = append(s.Runs, rs)
	}
	return s
}

func (o *Outcome) writeSummary(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(o.Summary())
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// BatchesFile is the name of the batch-order file WriteBatches writes.
const BatchesFile = "batches.npy"

// WriteBatches writes dir/batches.npy: the examples of every optimiser
// step of a mini-batch configuration (train.WriteBatchesNPY; int32 (steps,
// batch_size), −1 padding), so that a run can be replayed outside adamgap.
// Every optimiser of the configuration sees the same batches. A full-batch
// configuration is an error.
func (s *Setup) WriteBatches(dir string) error {
	return s.WriteBatchesContext(context.Background(), dir)
}

// WriteBatchesContext is WriteBatches that stops, writing nothing, when
// ctx is done: the file of a long run is large (BatchesBytes) and takes a
// while.
func (s *Setup) WriteBatchesContext(ctx context.Context, dir string) error {
	c := s.Config
	if c.BatchSize <= 0 || c.BatchSize >= c.N {
		return fmt.Errorf("save_batches: batch_size=%d is the full batch (n=%d); there is no batch order to save", c.BatchSize, c.N)
	}
	return atomicfile.Write(filepath.Join(dir, BatchesFile), func(w io.Writer) error {
		return train.WriteBatchesNPY(ctxWriter{ctx, w}, train.Sampling(c.BatchSampling), c.N, c.BatchSize, c.Steps, c.Seed)
	})
}

// BatchesBytes is the size of the batches.npy of configuration c: int32
// (steps, batch_size).
func BatchesBytes(c config.Config) float64 {
	return 4 * float64(c.Steps) * float64(max(c.BatchSize, 0))
}

// ctxWriter is a writer that fails once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Write writes the whole output folder: the inputs (Setup.WriteInputs),
// then the results (WriteResults).
func (o *Outcome) Write(dir string) error {
	if err := o.WriteInputs(dir); err != nil {
		return err
	}
	return o.WriteResults(dir)
}
