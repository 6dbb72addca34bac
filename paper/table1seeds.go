package paper

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/adamgap/adamgap/experiment"
	"github.com/adamgap/adamgap/progress"
)

// SpreadJSON is an experiment.Spread in JSON: mean, sample SD and every
// seed's value (null for NaN).
type SpreadJSON struct {
	Mean   Num   `json:"mean"`
	SD     Num   `json:"sd"`
	Values []Num `json:"values"`
}

func toSpreadJSON(s experiment.Spread) SpreadJSON {
	out := SpreadJSON{Mean: Num(s.Mean), SD: Num(s.SD)}
	for _, v := range s.Values {
		out.Values = append(out.Values, Num(v))
	}
	return out
}

// SeedOptimizer is one optimiser's Table 1 numbers over seeds.
type SeedOptimizer struct {
	Optimizer        string     `json:"optimizer"`
	PaperTestError   Num        `json:"paper_test_error"` // null where the paper has none
	TrainError       SpreadJSON `json:"train_error"`
	TestError        SpreadJSON `json:"test_error"`
	TestErrorPos     SpreadJSON `json:"test_error_pos"`
	TestErrorNeg     SpreadJSON `json:"test_error_neg"`
	BestStep         SpreadJSON `json:"best_step"`
	BestTrainError   SpreadJSON `json:"best_train_error"`
	BestTestError    SpreadJSON `json:"best_test_error"`
	BestTestErrorPos SpreadJSON `json:"best_test_error_pos"`
	BestTestErrorNeg SpreadJSON `json:"best_test_error_neg"`
}

// Table1SeedsReport is Table 1 over seeds (table1_seeds.json): per
// optimiser, mean ± sd and every seed's value of the last iterate's and the
// min-gradient iterate's errors, by class too, beside the paper's.
type Table1SeedsReport struct {
	Seeds      []uint64        `json:"seeds"`
	Optimizers []SeedOptimizer `json:"optimizers"`
	// Runs are the seeds' reports, in seed order (for their output folders).
	Runs []*Table1Report `json:"-"`
}

// Table1Seeds trains the configuration of o for seeds o.Config.Seed, …,
// o.Config.Seed+seeds−1 (one Table1 each) and summarises them. With o.Out
// the first seed's run folder is o.Out and the others' o.Out/seeds/seed<k>. It stops at
// the first seed whose training fails, returning that seed's error and the
// report of the seeds before it.
func Table1Seeds(ctx context.Context, o Table1Options, seeds int, rec progress.Recorder) (*Table1SeedsReport, error) {
	if seeds < 1 {
		return nil, fmt.Errorf("%w: seeds=%d must be at least 1", ErrInvalid, seeds)
	}
	rep := &Table1SeedsReport{}
	var outs []*experiment.Outcome
	var runErr error
	for k := range seeds {
		ok := o
		ok.Config.Seed = o.Config.Seed + uint64(k)
		if o.Out != "" && k > 0 {
			ok.Out = filepath.Join(o.Out, "seeds", fmt.Sprintf("seed%d", ok.Config.Seed))
		}
		r, err := Table1(ctx, ok, rec)
		if r == nil {
			if len(rep.Runs) == 0 {
				return nil, err
			}
			runErr = err
			break
		}
		rep.Runs, outs = append(rep.Runs, r), append(outs, r.Outcome)
		rep.Seeds = append(rep.Seeds, ok.Config.Seed)
		if err != nil {
			runErr = err
			break
		}
	}
	rep.summarise(outs)
	return rep, runErr
}

// summarise fills Optimizers from the seeds' outcomes.
func (rep *Table1SeedsReport) summarise(outs []*experiment.Outcome) {
	paperTest := map[string]float64{"adam": PaperTable1AdamTest, "gd": PaperTable1GDTest}
	for _, sp := range experiment.SpreadOverSeeds(outs) {
		p, ok := paperTest[sp.Optimizer]
		if !ok {
			p = math.NaN()
		}
		rep.Optimizers = append(rep.Optimizers, SeedOptimizer{
			Optimizer: sp.Optimizer, PaperTestError: Num(p),
			TrainError: toSpreadJSON(sp.TrainError), TestError: toSpreadJSON(sp.TestError),
			TestErrorPos: toSpreadJSON(sp.TestErrorPos), TestErrorNeg: toSpreadJSON(sp.TestErrorNeg),
			BestStep: toSpreadJSON(sp.BestStep), BestTrainError: toSpreadJSON(sp.BestTrainError),
			BestTestError:    toSpreadJSON(sp.BestTestError),
			BestTestErrorPos: toSpreadJSON(sp.BestTestErrorPos), BestTestErrorNeg: toSpreadJSON(sp.BestTestErrorNeg),
		})
	}
}

// Table is Table 1 over seeds as Markdown, then every seed's values.
func (r *Table1SeedsReport) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Table 1 over %s: mean ± sd over seeds (per-seed values below)\n\n| |", seedRange(r.Seeds))
	for _, o := range r.Optimizers {
		fmt.Fprintf(&b, " %s |", o.Optimizer)
	}
	b.WriteString(" paper |\n|---|")
	for range r.Optimizers {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	var paperTrain, paperTest []string
	for _, o := range r.Optimizers {
		paperTest = append(paperTest, g4(o.PaperTestError))
		if math.IsNaN(float64(o.PaperTestError)) {
			paperTrain = append(paperTrain, "—")
		} else {
			paperTrain = append(paperTrain, "0")
		}
	}
	rows := []struct {
		label, paper string
		pick         func(o *SeedOptimizer) SpreadJSON
		steps        bool // a step count: written whole (10000, not 1e+04)
	}{
		{"Training error (last iterate)", strings.Join(paperTrain, " / "), func(o *SeedOptimizer) SpreadJSON { return o.TrainError }, false},
		{"Test error (last iterate)", strings.Join(paperTest, " / "), func(o *SeedOptimizer) SpreadJSON { return o.TestError }, false},
		{"Test error on class +1 (last iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.TestErrorPos }, false},
		{"Test error on class −1 (last iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.TestErrorNeg }, false},
		{"Training error (min-gradient iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.BestTrainError }, false},
		{"Test error (min-gradient iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.BestTestError }, false},
		{"Test error on class +1 (min-gradient iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.BestTestErrorPos }, false},
		{"Test error on class −1 (min-gradient iterate)", "", func(o *SeedOptimizer) SpreadJSON { return o.BestTestErrorNeg }, false},
		{"Min-gradient step", "", func(o *SeedOptimizer) SpreadJSON { return o.BestStep }, true},
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s |", row.label)
		for i := range r.Optimizers {
			s := row.pick(&r.Optimizers[i])
			if row.steps {
				fmt.Fprintf(&b, " %s ± %s |", steps(s.Mean, "%.4g"), steps(s.SD, "%.3g"))
				continue
			}
			fmt.Fprintf(&b, " %s ± %s |", g4(s.Mean), g3(s.SD))
		}
		fmt.Fprintf(&b, " %s |\n", row.paper)
	}
	fmt.Fprintf(&b, "\nPer seed (%s):\n\n", seedRange(r.Seeds))
	for _, row := range []int{1, 5, 8} {
		for i := range r.Optimizers {
			var v []string
			for _, x := range rows[row].pick(&r.Optimizers[i]).Values {
				if rows[row].steps {
					v = append(v, steps(x, "%.4g"))
				} else {
					v = append(v, g4(x))
				}
			}
			fmt.Fprintf(&b, "- %s, %s: %s\n", r.Optimizers[i].Optimizer, strings.ToLower(rows[row].label[:1])+rows[row].label[1:], strings.Join(v, ", "))
		}
	}
	for _, o := range r.Optimizers {
		var v []string
		for k := range o.TestErrorPos.Values {
			v = append(v, g3(o.TestErrorPos.Values[k])+"/"+g3(o.TestErrorNeg.Values[k]))
		}
		fmt.Fprintf(&b, "- %s, test error on class +1/−1 (last iterate): %s\n", o.Optimizer, strings.Join(v, ", "))
	}
	fmt.Fprintf(&b, "\n%s\n", table1Note)
	return b.String()
}

// seedRange writes seeds as "10 seeds (0–9)" when consecutive, else as a
// list.
func seedRange(s []uint64) string {
	switch len(s) {
	case 0:
		return "no seeds"
	case 1:
		return fmt.Sprintf("seed %d", s[0])
	}
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1]+1 {
			return fmt.Sprintf("seeds %v", s)
		}
	}
	return fmt.Sprintf("%d seeds (%d–%d)", len(s), s[0], s[len(s)-1])
}
