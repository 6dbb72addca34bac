package optim

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// quadratic is f(w) = ½‖w − a‖², whose gradient is w − a; calls logs the
// steps it was evaluated at and the points.
type quadratic struct {
	a     []float64
	calls []int
	at    [][]float64
}

func (q *quadratic) Grad(g, w []float64, t int) Value {
	q.calls = append(q.calls, t)
	q.at = append(q.at, slices.Clone(w))
	var v Value
	for i := range w {
		g[i] = w[i] - q.a[i]
		v.Loss += g[i] * g[i] / 2
		v.GradL1 += math.Abs(g[i])
		v.GradL2Sq += g[i] * g[i]
	}
	return v
}

// rowQuadratic is quadratic that also gives its gradient as rows of width
// 1: row k is in g when a[k] ≠ 0, else it is λw with λ = 1 (and a[k] = 0,
// so the gradient w − a is w there too).
type rowQuadratic struct{ quadratic }

func (q *rowQuadratic) GradRows(g, w []float64, t int) (Value, RowGrad) {
	v := q.Grad(g, w, t)
	r := RowGrad{Lambda: 1, Width: 1}
	for k, ak := range q.a {
		if ak != 0 {
			r.Rows = append(r.Rows, int32(k))
		} else {
			g[k] = math.NaN() // not to be read
		}
	}
	return Value{Loss: v.Loss}, r
}

type row struct {
	t     int
	w     []float64
	v     Value
	lr    float64
	after []float64 // Update's w
}

type log struct {
	rows   []row
	update func(t int) bool
}

func (l *log) Record(t int, w []float64, v Value, lr float64) error {
	l.rows = append(l.rows, row{t: t, w: slices.Clone(w), v: v, lr: lr})
	return nil
}

func (l *log) WantUpdate(t int) bool { return l.update != nil && l.update(t) }

func (l *log) Update(t int, w, _ []float64) error {
	l.rows[len(l.rows)-1].after = slices.Clone(w)
	return nil
}

// TestMinimizeByHand: GD with η = ½ on ½‖w − a‖² from 0 halves the
// distance to a every step, w^(t) = (1 − 2^{−t})·a; the recorder sees
// W^(0), …, W^(T) with the value of step t and the scheduled rate before
// its update (NaN at T, where nothing is evaluated).
func TestMinimizeByHand(t *testing.T) {
	a := []float64{2, -4, 0}
	q := &quadratic{a: a}
	rec := &log{}
	w := make([]float64, 3)
	const T = 4
	if err := Minimize(context.Background(), q, &GD{LR: 0.5}, w, Settings[float64]{Steps: T, LR: 0.5, Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.calls, []int{0, 1, 2, 3}) {
		t.Errorf("evaluated at steps %v, want 0…3 (not at T)", q.calls)
	}
	if len(rec.rows) != T+1 {
		t.Fatalf("%d records, want %d", len(rec.rows), T+1)
	}
	for k, r := range rec.rows {
		f := 1 - math.Pow(2, -float64(k))
		want := []float64{f * a[0], f * a[1], 0}
		if r.t != k || !slices.Equal(r.w, want) {
			t.Errorf("record %d: step %d w %v, want step %d w %v", k, r.t, r.w, k, want)
		}
		d := math.Pow(2, -float64(k)) // ‖w − a‖ / ‖a‖
		if wantLoss := d * d * 20 / 2; k < T && (r.v.Loss != wantLoss || r.lr != 0.5) {
			t.Errorf("record %d: loss %v lr %v, want %v and 0.5", k, r.v.Loss, r.lr, wantLoss)
		}
	}
	if last := rec.rows[T]; last.v != (Value{}) || !math.IsNaN(last.lr) {
		t.Errorf("W^(T)'s record: %+v lr %v, want the zero Value and NaN", last.v, last.lr)
	}
}

// TestMinimizeSchedule: the scheduled rate is set before each update and
// recorded with it; a method without SetLR is refused before any step.
func TestMinimizeSchedule(t *testing.T) {
	q := &quadratic{a: []float64{1}}
	rec := &log{}
	sched := StepDecay{Gamma: 0.5, StepSize: 1}
	w := []float64{0}
	if err := Minimize(context.Background(), q, &GD{}, w, Settings[float64]{Steps: 3, LR: 0.8, Schedule: sched, Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	x := 0.0
	for k, r := range rec.rows[:3] {
		if lr := sched.LR(0.8, k, 3); r.lr != lr || r.w[0] != x {
			t.Errorf("step %d: lr %v w %v, want %v and %v", k, r.lr, r.w[0], lr, x)
		}
		x -= sched.LR(0.8, k, 3) * (x - 1)
	}
	err := Minimize(context.Background(), q, noRate{}, w, Settings[float64]{Steps: 3, LR: 0.8, Schedule: sched})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("schedule without SetLR: %v, want ErrInvalid", err)
	}
}

type noRate struct{}

func (noRate) Step(w, g []float64) {}

// TestMinimizeStops: a NaN value stops the run before its update with a
// DivergedError at that step, and a cancelled context before the next
// step.
func TestMinimizeStops(t *testing.T) {
	q := &quadratic{a: []float64{math.Inf(1)}}
	w := []float64{0}
	err := Minimize(context.Background(), q, &GD{LR: 0.1}, w, Settings[float64]{Steps: 5})
	var de *DivergedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDiverged) || de.Step != 0 || de.What != "loss is infinite" || w[0] != 0 {
		t.Errorf("infinite loss: %v (w %v), want a DivergedError at step 0 before any update", err, w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rec := &log{}
	stop := RecorderFunc(func(tt int) {
		if tt == 2 {
			cancel()
		}
	})
	err = Minimize(ctx, &quadratic{a: []float64{1}}, &GD{LR: 0.1}, []float64{0}, Settings[float64]{Steps: 5, Recorder: both{rec, stop}})
	if !errors.Is(err, context.Canceled) || err.Error() != "stopped at step 3: context canceled" || len(rec.rows) != 3 {
		t.Errorf("cancelled at step 2: %v after %d records, want stopped at step 3 after 3", err, len(rec.rows))
	}
}

// RecorderFunc calls f with each step (a test helper).
type RecorderFunc func(t int)

func (f RecorderFunc) Record(t int, _ []float64, _ Value, _ float64) error { f(t); return nil }

type both [2]Recorder[float64]

func (b both) Record(t int, w []float64, v Value, lr float64) error {
	for _, r := range b {
		if err := r.Record(t, w, v, lr); err != nil {
			return err
		}
	}
	return nil
}

// TestMinimizeRows: with a RowObjective, a RowStepper steps from the rows
// (the NaN written outside them is not read) and lands where Step lands;
// where an UpdateRecorder wants the update, the whole gradient is used
// and shown.
func TestMinimizeRows(t *testing.T) {
	a := []float64{2, 0, -1, 0}
	w0 := []float64{1, 3, -2, 0.5}
	run := func(obj Objective[float64], update func(int) bool) ([]float64, *log) {
		w := slices.Clone(w0)
		rec := &log{update: update}
		if err := Minimize(context.Background(), obj, DefaultAdam(0.1), w, Settings[float64]{Steps: 5, LR: 0.1, Recorder: rec}); err != nil {
			t.Fatal(err)
		}
		return w, rec
	}
	want, _ := run(&quadratic{a: a}, nil)
	got, _ := run(&rowQuadratic{quadratic{a: a}}, nil)
	if !slices.Equal(got, want) {
		t.Errorf("RowStepper from rows: %v, Step: %v", got, want)
	}
	got, rec := run(&rowQuadratic{quadratic{a: a}}, func(t int) bool { return t == 2 })
	if !slices.Equal(got, want) || rec.rows[2].after == nil || !slices.Equal(rec.rows[2].after, rec.rows[3].w) || rec.rows[1].after != nil {
		t.Errorf("Update at step 2: w %v (want %v), shown %v then W^(3) %v", got, want, rec.rows[2].after, rec.rows[3].w)
	}
}

// TestMinimizePerturber: SAM evaluates step t's objective a second time,
// at w + ρ·g/‖g‖, and steps with that gradient.
func TestMinimizePerturber(t *testing.T) {
	q := &quadratic{a: []float64{3, 4}}
	w := []float64{0, 0}
	if err := Minimize(context.Background(), q, &SAM{LR: 0.5, Radius: 1}, w, Settings[float64]{Steps: 1}); err != nil {
		t.Fatal(err)
	}
	// g = (−3, −4), ‖g‖ = 5: wp = (−0.6, −0.8), g(wp) = (−3.6, −4.8).
	if !slices.Equal(q.calls, []int{0, 0}) || math.Abs(q.at[1][0]+0.6) > 1e-15 || math.Abs(q.at[1][1]+0.8) > 1e-15 {
		t.Errorf("evaluated at steps %v, points %v; want step 0 twice, the second at (−0.6, −0.8)", q.calls, q.at)
	}
	if want := []float64{1.8, 2.4}; math.Abs(w[0]-want[0]) > 1e-14 || math.Abs(w[1]-want[1]) > 1e-14 {
		t.Errorf("w = %v, want %v", w, want)
	}
}
