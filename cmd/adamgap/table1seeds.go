package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/adamgap/adamgap/experiment"
)

// spreadJSON is an experiment.Spread in JSON (null for NaN).
type spreadJSON struct {
	Mean   num   `json:"mean"`
	SD     num   `json:"sd"`
	Values []num `json:"values"`
}

func toSpreadJSON(s experiment.Spread) spreadJSON {
	out := spreadJSON{Mean: num(s.Mean), SD: num(s.SD)}
	for _, v := range s.Values {
		out.Values = append(out.Values, num(v))
	}
	return out
}

// seedOptimizer is one optimiser's Table 1 numbers over seeds.
type seedOptimizer struct {
	Optimizer        string     `json:"optimizer"`
	PaperTestError   num        `json:"paper_test_error"` // null where the paper has none
	TrainError       spreadJSON `json:"train_error"`
	TestError        spreadJSON `json:"test_error"`
	TestErrorPos     spreadJSON `json:"test_error_pos"`
	TestErrorNeg     spreadJSON `json:"test_error_neg"`
	BestStep         spreadJSON `json:"best_step"`
	BestTrainError   spreadJSON `json:"best_train_error"`
	BestTestError    spreadJSON `json:"best_test_error"`
	BestTestErrorPos spreadJSON `json:"best_test_error_pos"`
	BestTestErrorNeg spreadJSON `json:"best_test_error_neg"`
}

// table1SeedsReport is Table 1 over seeds (reproduce table1 --seeds K),
// written to table1_seeds.json.
type table1SeedsReport struct {
	Seeds      []uint64        `json:"seeds"`
	Optimizers []seedOptimizer `json:"optimizers"`
	Dirs       []string        `json:"dirs"` // each seed's output folder
}

// paperTable1 is the paper's Table 1 test error by optimiser (its training
// error is 0 for both).
var paperTable1 = map[string]float64{"adam": 0.884, "gd": 0}

func newTable1Seeds(outs []*experiment.Outcome, dirs []string) *table1SeedsReport {
	rep := &table1SeedsReport{Dirs: dirs}
	for _, o := range outs {
		rep.Seeds = append(rep.Seeds, o.Config.Seed)
	}
	for _, sp := range experiment.SpreadOverSeeds(outs) {
		p, ok := paperTable1[sp.Optimizer]
		if !ok {
			p = math.NaN()
		}
		rep.Optimizers = append(rep.Optimizers, seedOptimizer{
			Optimizer: sp.Optimizer, PaperTestError: num(p),
			TrainError: toSpreadJSON(sp.TrainError), TestError: toSpreadJSON(sp.TestError),
			TestErrorPos: toSpreadJSON(sp.TestErrorPos), TestErrorNeg: toSpreadJSON(sp.TestErrorNeg),
			BestStep: toSpreadJSON(sp.BestStep), BestTrainError: toSpreadJSON(sp.BestTrainError),
			BestTestError:    toSpreadJSON(sp.BestTestError),
			BestTestErrorPos: toSpreadJSON(sp.BestTestErrorPos), BestTestErrorNeg: toSpreadJSON(sp.BestTestErrorNeg),
		})
	}
	return rep
}

func (r *table1SeedsReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *table1SeedsReport) table() string {
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
		pick         func(o *seedOptimizer) spreadJSON
	}{
		{"Training error (last iterate)", strings.Join(paperTrain, " / "), func(o *seedOptimizer) spreadJSON { return o.TrainError }},
		{"Test error (last iterate)", strings.Join(paperTest, " / "), func(o *seedOptimizer) spreadJSON { return o.TestError }},
		{"Test error on class +1 (last iterate)", "", func(o *seedOptimizer) spreadJSON { return o.TestErrorPos }},
		{"Test error on class −1 (last iterate)", "", func(o *seedOptimizer) spreadJSON { return o.TestErrorNeg }},
		{"Training error (min-gradient iterate)", "", func(o *seedOptimizer) spreadJSON { return o.BestTrainError }},
		{"Test error (min-gradient iterate)", "", func(o *seedOptimizer) spreadJSON { return o.BestTestError }},
		{"Test error on class +1 (min-gradient iterate)", "", func(o *seedOptimizer) spreadJSON { return o.BestTestErrorPos }},
		{"Test error on class −1 (min-gradient iterate)", "", func(o *seedOptimizer) spreadJSON { return o.BestTestErrorNeg }},
		{"Min-gradient step", "", func(o *seedOptimizer) spreadJSON { return o.BestStep }},
	}
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s |", row.label)
		for i := range r.Optimizers {
			s := row.pick(&r.Optimizers[i])
			fmt.Fprintf(&b, " %s ± %s |", g4(s.Mean), g3(s.SD))
		}
		fmt.Fprintf(&b, " %s |\n", row.paper)
	}
	fmt.Fprintf(&b, "\nPer seed (%s):\n\n", seedRange(r.Seeds))
	for _, row := range []int{1, 5, 8} {
		for i := range r.Optimizers {
			var v []string
			for _, x := range rows[row].pick(&r.Optimizers[i]).Values {
				v = append(v, g4(x))
			}
			fmt.Fprintf(&b, "- %s, %s: %s\n", r.Optimizers[i].Optimizer, strings.ToLower(rows[row].label[:1])+rows[row].label[1:], strings.Join(v, ", "))
		}
	}
	for i, o := range r.Optimizers {
		var v []string
		for k := range o.TestErrorPos.Values {
			v = append(v, g3(o.TestErrorPos.Values[k])+"/"+g3(o.TestErrorNeg.Values[k]))
		}
		fmt.Fprintf(&b, "- %s, test error on class +1/−1 (last iterate): %s\n", r.Optimizers[i].Optimizer, strings.Join(v, ", "))
	}
	return b.String()
}

// seedRange writes seeds as "seeds 0–9" when consecutive, else as a list.
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
