package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/internal/atomicfile"
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

// ReadResult reads the result of run id in the sweep folder dir. A run
// without result.json gives an error wrapping os.ErrNotExist.
func ReadResult(dir, id string) (*Result, error) {
	path := filepath.Join(RunDir(dir, id), ResultFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.ID != id {
		return nil, fmt.Errorf("%s: holds run id %q, want %q", path, r.ID, id)
	}
	return &r, nil
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
