package explorer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"math"
	"os"
	"slices"
	"sync"
	"unsafe"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/train"
)

// maxSnapshots bounds the steps at which each run keeps the per-neuron
// picture of its weights.
const maxSnapshots = 11

// job is one run started from the page. It lives on after the request
// that started it: its events are in a log the page replays after a
// reload. While it trains it holds the prepared setup; once done it keeps
// only what the page shows (the event log with the curves and the result,
// the weight pictures) and its output files in a temporary folder, and the
// memory budget counts what it keeps.
type job struct {
	id        string
	config    config.Config
	snapSteps []int
	cancel    context.CancelFunc
	log       *eventLog
	done      chan struct{} // closed when the run has ended and settled

	mu       sync.Mutex
	setup    *experiment.Setup           // while training
	pending  []Row                       // logged, not yet in the log
	scatters map[string]map[int][]Neuron // optimiser → step → neurons
	result   *Result                     // once done
	files    string                      // folder of the output files, once done
	filesErr error
	kept     int64 // bytes the budget counts for it once done
	notify   chan struct{}
}

func newJob(c config.Config) *job {
	var b [8]byte
	rand.Read(b[:])
	return &job{
		id: hex.EncodeToString(b[:]), config: c,
		snapSteps: snapshotSteps(c.Steps, c.LogEvery, maxSnapshots),
		scatters:  map[string]map[int][]Neuron{},
		notify:    make(chan struct{}, 1),
		log:       newEventLog(),
		done:      make(chan struct{}),
		cancel:    func() {},
	}
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
	j.mu.Lock()
	setup := j.setup
	j.mu.Unlock()
	if setup == nil {
		return
	}
	ns := Scatter(setup.Config.CNN(), w, setup.Train)
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

// finish keeps the run's result and output folder and forgets its data
// sets; it returns the bytes the job keeps.
func (j *job) finish(res *Result, files string, filesErr error) int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.result, j.files, j.filesErr = res, files, filesErr
	j.setup, j.pending = nil, nil
	kept := int64(4096)
	for _, byStep := range j.scatters {
		for _, ns := range byStep {
			kept += int64(len(ns))*int64(unsafe.Sizeof(Neuron{})) + 64
		}
	}
	j.kept = kept + j.log.size()
	return j.kept
}

// finished returns the result, or nil while the run goes on.
func (j *job) finished() *Result {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.result
}

// jobs keeps the runs in progress and the most recent finished ones, so
// that the page can reconnect to them and ask for their weights, files and
// a saved copy after they end.
type jobs struct {
	mu    sync.Mutex
	keep  int
	list  []*job // oldest first
	queue *queue
}

func (js *jobs) add(j *job) {
	js.mu.Lock()
	js.list = append(js.list, j)
	js.mu.Unlock()
	js.trim(js.keep)
}

// trim forgets the oldest finished runs beyond keep; runs in progress
// stay. It reports whether it forgot any.
func (js *jobs) trim(keep int) bool {
	js.mu.Lock()
	var gone []*job
	for len(js.list) > keep {
		i := slices.IndexFunc(js.list, func(o *job) bool { return o.finished() != nil })
		if i < 0 {
			break
		}
		gone = append(gone, js.list[i])
		js.list = slices.Delete(js.list, i, i+1)
	}
	js.mu.Unlock()
	for _, old := range gone {
		old.forget(js.queue)
	}
	return len(gone) > 0
}

// reclaim forgets the oldest finished run, giving its memory back to the
// budget, when a run waits for memory.
func (js *jobs) reclaim() {
	js.mu.Lock()
	finished := 0
	for _, j := range js.list {
		if j.finished() != nil {
			finished++
		}
	}
	js.mu.Unlock()
	if finished > 0 {
		js.trim(len(js.list) - 1)
	}
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

func (js *jobs) count() int {
	js.mu.Lock()
	defer js.mu.Unlock()
	return len(js.list)
}

// closeAll stops every run, waits for it to settle and forgets it.
func (js *jobs) closeAll() {
	js.mu.Lock()
	list := js.list
	js.list = nil
	js.mu.Unlock()
	for _, j := range list {
		j.cancel()
	}
	for _, j := range list {
		<-j.done
		j.forget(nil)
	}
}

// forget removes the output files and gives back the kept memory.
func (j *job) forget(q *queue) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.files != "" {
		os.RemoveAll(j.files)
		j.files = ""
	}
	if q != nil && j.kept > 0 {
		q.unkeep(j.kept)
	}
	j.kept = 0
}
