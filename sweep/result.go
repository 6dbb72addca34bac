package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/capfile"
	"github.com/adamgap/adamgap/optim"
)

// ResultFile is the name of the file that marks a run complete.
const ResultFile = "result.json"

// Result is result.json: the run's axis values and, per optimiser, the
// final and best-iterate metrics (experiment.RunSummary). A run one of
// whose optimisers diverged is complete (running it again would diverge
// again) with Status "failed"; the optimiser's Error says where.
type Result struct {
	ID          string                  `json:"id"`
	Point       []Setting               `json:"point"`
	Status      string                  `json:"status"` // "ok" or "failed"
	WallSeconds float64                 `json:"wall_seconds"`
	Optimizers  []experiment.RunSummary `json:"optimizers"`
}

// Failed reports whether an optimiser of the run failed.
func (r *Result) Failed() bool { return r.Status != "ok" }

// RunDir is the folder of a run inside a sweep folder.
func RunDir(dir, id string) string { return filepath.Join(dir, "runs", id) }

// ReadResult reads and checks (ParseResult) the result of run id in the
// sweep folder dir. A run without result.json gives an error wrapping
// os.ErrNotExist.
func ReadResult(dir, id string) (*Result, error) {
	path := filepath.Join(RunDir(dir, id), ResultFile)
	b, err := capfile.ReadFile(path, capfile.MaxSize)
	if err != nil {
		return nil, err
	}
	return ParseResult(b, id, path)
}

// ParseResult parses the content b of a result.json and checks it: one
// JSON object and nothing after it, no unknown field, the run id want
// (unless want is ""), status "ok" or "failed", a non-empty list of
// optimisers, each a known one and each once, finite numbers, errors in
// [0, 1], and an optimiser that failed (its error set) only under status
// "failed". Errors name the file (name) and the field.
func ParseResult(b []byte, want, name string) (*Result, error) {
	var r Result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a valid result: %w", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: data after the result's JSON object (a file written twice or cut?)", name)
	}
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%s: %s: %s", name, field, fmt.Sprintf(format, a...))
	}
	if want != "" && r.ID != want {
		return nil, bad("id", "holds run id %q, want %q", r.ID, want)
	}
	if r.Status != "ok" && r.Status != "failed" {
		return nil, bad("status", "%q, want \"ok\" or \"failed\"", r.Status)
	}
	if !finiteIn(r.WallSeconds, 0, math.Inf(1)) {
		return nil, bad("wall_seconds", "%v, want a finite number ≥ 0", r.WallSeconds)
	}
	if len(r.Optimizers) == 0 {
		return nil, bad("optimizers", "empty, want one result per optimiser")
	}
	seen := map[string]bool{}
	failed := false
	for i, o := range r.Optimizers {
		at := fmt.Sprintf("optimizers[%d]", i)
		if _, err := optim.Default(o.Optimizer); err != nil {
			return nil, bad(at+".optimizer", "%q is not an optimiser (known: %s)", o.Optimizer, strings.Join(optim.Names(), ", "))
		}
		if seen[o.Optimizer] {
			return nil, bad(at+".optimizer", "%q appears twice", o.Optimizer)
		}
		seen[o.Optimizer] = true
		if o.Error != "" {
			failed = true
			if r.Status == "ok" {
				return nil, bad(at+".error", "%q under status \"ok\" (a failed optimiser makes the run \"failed\")", o.Error)
			}
		}
		check := func(field string, v *float64, lo, hi float64) error {
			if v != nil && !finiteIn(*v, lo, hi) {
				if hi == 1 {
					return bad(at+"."+field, "%v, want an error in [0, 1]", *v)
				}
				return bad(at+"."+field, "%v, want a finite number", *v)
			}
			return nil
		}
		inf := math.Inf(1)
		errs := []error{
			check("train_error", o.TrainError, 0, 1), check("test_error", o.TestError, 0, 1),
			check("test_error_pos", o.TestErrorPos, 0, 1), check("test_error_neg", o.TestErrorNeg, 0, 1),
			check("final_loss", o.FinalLoss, -inf, inf), check("seconds", &o.Seconds, 0, inf),
		}
		if o.Best != nil {
			errs = append(errs,
				check("best.train_error", &o.Best.TrainError, 0, 1), check("best.test_error", &o.Best.TestError, 0, 1),
				check("best.test_error_pos", o.Best.TestErrorPos, 0, 1), check("best.test_error_neg", o.Best.TestErrorNeg, 0, 1),
				check("best.grad_norm", &o.Best.GradNorm, 0, inf))
			if o.Best.Step < 0 {
				errs = append(errs, bad(at+".best.step", "%d, want a step ≥ 0", o.Best.Step))
			}
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	if r.Status == "failed" && !failed {
		return nil, bad("status", "\"failed\" but no optimiser has an error")
	}
	return &r, nil
}

func finiteIn(v, lo, hi float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= lo && v <= hi
}

// Complete reports whether run id has a readable result.json.
func Complete(dir, id string) bool {
	_, err := ReadResult(dir, id)
	return err == nil
}

func writeResult(dir string, r *Result) error {
	return atomicfile.Write(filepath.Join(RunDir(dir, r.ID), ResultFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	})
}

// SpecFile is the name of the copy of the specification in a sweep folder.
const SpecFile = "sweep.yaml"

// WriteSpec copies the specification into dir/sweep.yaml (creating dir),
// which Merge and Plot read. It reports whether a different specification
// was there before (it is replaced: runs already made stay and count when
// they are part of the new plan).
func WriteSpec(dir string, s *Spec) (replaced bool, err error) {
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		return false, fmt.Errorf("could not create sweep folder: %w", err)
	}
	path := filepath.Join(dir, SpecFile)
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, s.Raw()) {
		return false, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	return err == nil, atomicfile.WriteBytes(path, s.Raw())
}

// LoadDir reads the specification of a sweep folder and plans it.
func LoadDir(dir string) (*Spec, []Run, error) {
	s, err := LoadSpec(filepath.Join(dir, SpecFile))
	if err != nil {
		return nil, nil, fmt.Errorf("%w (is %s a sweep folder? sweep run and sweep slurm write it)", err, dir)
	}
	runs, err := s.Plan()
	if err != nil {
		return nil, nil, err
	}
	return s, runs, nil
}
