package explorer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"math"
	"os"
	"slices"
	"sync"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/train"
)

// maxSnapshots bounds the steps at which each run keeps the per-neuron
// picture of its weights.
const maxSnapshots = 11

// job is one run started from the page: the prepared setup, the rows
// logged so far, the weight pictures of a few steps and, once done, the
// outcome.
type job struct {
	id        string
	setup     *experiment.Setup
	snapSteps []int
	cancel    context.CancelFunc

	mu       sync.Mutex
	pending  []Row                       // logged, not yet streamed
	scatters map[string]map[int][]Neuron // optimiser → step → neurons
	outcome  *experiment.Outcome
	runErr   error
	files    string // folder of the output files, written on first download
	notify   chan struct{}
}

func newJob(s *experiment.Setup) *job {
	var b [8]byte
	rand.Read(b[:])
	j := &job{
		id: hex.EncodeToString(b[:]), setup: s,
		snapSteps: snapshotSteps(s.Config.Steps, s.Config.LogEvery, maxSnapshots),
		scatters:  map[string]map[int][]Neuron{},
		notify:    make(chan struct{}, 1),
	}
	return j
}

// snapshotSteps returns at most k logged steps (0, every-th step and T),
// evenly spread and always with 0 and T.
func snapshotSteps(T, every, k int) []int {
	var logged []int
	for t := 0; t < T; t += every {
		logged = append(logged, t)
	}
	logged = append(logged, T)
	if len(logged) <= k {
		return logged
	}
	out := make([]int, 0, k)
	for i := range k {
		s := logged[int(math.Round(float64(i)*float64(len(logged)-1)/float64(k-1)))]
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// Row is one logged row as the page plots it; NaN (not evaluated) is null.
type Row struct {
	Optimizer   string   `json:"optimizer"`
	Step        int      `json:"step"`
	Loss        float64  `json:"loss"`
	TrainError  float64  `json:"train_error"`
	TestError   *float64 `json:"test_error"`
	FeaturePos  float64  `json:"feature_pos"`
	FeatureNeg  float64  `json:"feature_neg"`
	NoiseMinPos float64  `json:"noise_min_pos"`
	NoiseMinNeg float64  `json:"noise_min_neg"`
}

func rowOf(r train.Record) Row {
	return Row{
		Optimizer: r.Optimizer, Step: r.Step, Loss: r.Loss, TrainError: r.TrainError,
		TestError:  finite(r.TestError),
		FeaturePos: r.FeaturePos, FeatureNeg: r.FeatureNeg,
		NoiseMinPos: r.NoiseMinPos, NoiseMinNeg: r.NoiseMinNeg,
	}
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// Record keeps the row for the stream (train.Recorder).
func (j *job) Record(r train.Record) error {
	j.mu.Lock()
	j.pending = append(j.pending, rowOf(r))
	j.mu.Unlock()
	select {
	case j.notify <- struct{}{}:
	default:
	}
	return nil
}

// Want reports whether step is one whose weights are pictured
// (train.WeightRecorder).
func (j *job) Want(step int) bool {
	_, ok := slices.BinarySearch(j.snapSteps, step)
	return ok
}

// Weights keeps the picture of the weights of one step.
func (j *job) Weights(optimizer string, step int, w []float64) {
	ns := Scatter(j.setup.Config.CNN(), w, j.setup.Train)
	j.mu.Lock()
	if j.scatters[optimizer] == nil {
		j.scatters[optimizer] = map[int][]Neuron{}
	}
	j.scatters[optimizer][step] = ns
	j.mu.Unlock()
}

var _ train.WeightRecorder = (*job)(nil)

// take returns the rows logged since the last call.
func (j *job) take() []Row {
	j.mu.Lock()
	defer j.mu.Unlock()
	rows := j.pending
	j.pending = nil
	return rows
}

func (j *job) finish(o *experiment.Outcome, err error) {
	j.mu.Lock()
	j.outcome, j.runErr = o, err
	j.mu.Unlock()
}

func (j *job) result() (*experiment.Outcome, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.outcome, j.runErr
}

// jobs keeps the runs in progress and the most recent finished ones, so
// that the page can ask for their weights, files and a saved copy after
// they end.
type jobs struct {
	mu   sync.Mutex
	keep int
	list []*job // oldest first
}

func (js *jobs) add(j *job) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.list = append(js.list, j)
	// Forget the oldest finished runs beyond keep; runs in progress stay.
	for len(js.list) > js.keep {
		i := slices.IndexFunc(js.list, func(o *job) bool { out, _ := o.result(); return out != nil })
		if i < 0 {
			break
		}
		old := js.list[i]
		js.list = slices.Delete(js.list, i, i+1)
		old.removeFiles()
	}
}

// remove forgets a run that never started.
func (js *jobs) remove(j *job) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.list = slices.DeleteFunc(js.list, func(o *job) bool { return o == j })
}

func (js *jobs) get(id string) *job {
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.list {
		if j.id == id {
			return j
		}
	}
	return nil
}

func (js *jobs) closeAll() {
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.list {
		j.cancel()
		j.removeFiles()
	}
	js.list = nil
}

func (j *job) removeFiles() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.files != "" {
		os.RemoveAll(j.files)
		j.files = ""
	}
}
