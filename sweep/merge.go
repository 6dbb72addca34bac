package sweep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/atomicfile"
)

// MergedFile is the name of the table Merge writes into the sweep folder.
const MergedFile = "results.csv"

// Table is the merged results: one row per (run, optimiser) in plan order.
// Columns: run, every configuration key (optimizers excepted), optimizer,
// the optimiser's parameters, status, the final and best-iterate metrics,
// seconds (the optimiser's training time), wall_seconds (the run's),
// error, then the test error on class +1 and on class −1 of the last
// iterate and of the best iterate (empty for runs written before they were
// recorded).
type Table struct {
	Header []string
	Rows   [][]string
}

// Column returns the index of a column, or -1.
func (t *Table) Column(name string) int { return slices.Index(t.Header, name) }

// WriteCSV writes the table as CSV with a header row; floats are written in
// the shortest form that reads back exactly, missing values are empty.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// MergeReport says which runs of the plan are in the table and which are not.
type MergeReport struct {
	Runs     int   // in the plan
	Complete int   // with a result.json
	Missing  []Run // without a result.json (never run, interrupted or crashed)
	Failed   []Run // complete with a diverged optimiser
	Why      map[string]string
	Extra    []string // run folders that are not part of the plan
}

// OK reports whether every run is complete and none failed.
func (r *MergeReport) OK() bool { return len(r.Missing) == 0 && len(r.Failed) == 0 }

// maxListed is the most missing (and failed) runs Err lists one by one.
const maxListed = 20

// Err describes the missing and failed runs (the first maxListed of each
// one by one), or is nil. With shards > 0 it names the shard of each
// listed missing run and the commands that repair them all.
func (r *MergeReport) Err(dir string, shards int) error {
	if r.OK() {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d runs missing, %d failed", len(r.Missing), r.Runs, len(r.Failed))
	need := map[int]bool{}
	for i, m := range r.Missing {
		if shards > 0 {
			need[m.Index%shards] = true
		}
		if i == maxListed {
			fmt.Fprintf(&b, "\n  … and %d more missing", len(r.Missing)-maxListed)
		}
		if i >= maxListed {
			continue
		}
		fmt.Fprintf(&b, "\n  missing %s %s", m.ID, m.Label())
		if shards > 0 {
			fmt.Fprintf(&b, " (shard %d/%d)", m.Index%shards, shards)
		}
		if why := r.Why[m.ID]; why != "" {
			fmt.Fprintf(&b, ": %s", why)
		}
	}
	for i, f := range r.Failed {
		if i == maxListed {
			fmt.Fprintf(&b, "\n  … and %d more failed (results.csv's error column has every one)", len(r.Failed)-maxListed)
			break
		}
		fmt.Fprintf(&b, "\n  failed  %s %s: %s", f.ID, f.Label(), r.Why[f.ID])
	}
	if len(r.Missing) > 0 {
		spec := filepath.Join(dir, SpecFile)
		if shards > 0 {
			ids := make([]int, 0, len(need))
			for i := range need {
				ids = append(ids, i)
			}
			sort.Ints(ids)
			for _, i := range ids {
				fmt.Fprintf(&b, "\nrepair: adamgap sweep run %s --out %s --shard %d/%d", spec, dir, i, shards)
			}
		} else {
			fmt.Fprintf(&b, "\nrepair: adamgap sweep run %s --out %s", spec, dir)
		}
	}
	return errors.New(b.String())
}

// Merge reads the result of every run of the sweep folder's plan and builds
// the table. Missing and failed runs are in the report (failed runs also
// have rows, with the error); an unreadable result.json counts as missing.
// Run folders made under an earlier form of a run's id are renamed to it
// first (as Executor.Run does).
func Merge(dir string) (*Table, *MergeReport, error) {
	_, runs, err := LoadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	if _, err := adopt(dir, runs); err != nil {
		return nil, nil, err
	}
	rep := &MergeReport{Runs: len(runs), Why: map[string]string{}}
	type row struct {
		cfg []kv // configuration keys in file order
		res *Result
		run Run
	}
	var rows []row
	for _, r := range runs {
		res, err := ReadResult(dir, r.ID)
		if err != nil {
			rep.Missing = append(rep.Missing, r)
			if !errors.Is(err, os.ErrNotExist) {
				rep.Why[r.ID] = err.Error()
			}
			continue
		}
		rep.Complete++
		if res.Failed() {
			rep.Failed = append(rep.Failed, r)
			var why []string
			for _, o := range res.Optimizers {
				if o.Error != "" {
					why = append(why, o.Optimizer+": "+o.Error)
				}
			}
			rep.Why[r.ID] = strings.Join(why, "; ")
		}
		cfg, err := configColumns(r)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row{cfg: cfg, res: res, run: r})
	}
	rep.Extra = extraRuns(dir, runs)

	// Header: the union of configuration keys and optimiser parameters, in
	// the order first seen.
	var cfgKeys, optKeys []string
	optParams := map[string]map[string]string{} // run id + optimizer → params
	for _, rw := range rows {
		for _, c := range rw.cfg {
			if c.opt == "" {
				if !slices.Contains(cfgKeys, c.key) {
					cfgKeys = append(cfgKeys, c.key)
				}
				continue
			}
			k := rw.run.ID + "/" + c.opt
			if optParams[k] == nil {
				optParams[k] = map[string]string{}
			}
			optParams[k][c.key] = c.value
			if !slices.Contains(optKeys, c.key) {
				optKeys = append(optKeys, c.key)
			}
		}
	}
	optCols := make([]string, len(optKeys))
	for i, k := range optKeys {
		optCols[i] = k
		if slices.Contains(cfgKeys, k) || slices.Contains(metricColumns, k) || k == "run" || k == "optimizer" {
			optCols[i] = "optimizer_" + k
		}
	}
	t := &Table{Header: append(append(append(append([]string{"run"}, cfgKeys...), "optimizer"), optCols...), metricColumns...)}
	for _, rw := range rows {
		cfg := map[string]string{}
		for _, c := range rw.cfg {
			if c.opt == "" {
				cfg[c.key] = c.value
			}
		}
		for _, o := range rw.res.Optimizers {
			line := []string{rw.run.ID}
			for _, k := range cfgKeys {
				v, ok := cfg[k]
				if key, known := config.LookupKey(k); !ok && known {
					// Left out of this run's config.yaml (a zero or
					// default the key omits) but written by another run:
					// the value it stands for, so that axis cells match.
					v = key.Canonical(rw.run.Config)
				}
				line = append(line, v)
			}
			line = append(line, o.Optimizer)
			params := optParams[rw.run.ID+"/"+o.Optimizer]
			for _, k := range optKeys {
				line = append(line, params[k])
			}
			status := "ok"
			if o.Error != "" {
				status = "failed"
			}
			line = append(line, status, fnum(o.TrainError), fnum(o.TestError), fnum(o.FinalLoss))
			if o.Best != nil {
				line = append(line, strconv.Itoa(o.Best.Step), o.Best.Norm, ffmt(o.Best.GradNorm), ffmt(o.Best.TrainError), ffmt(o.Best.TestError))
			} else {
				line = append(line, "", "", "", "", "")
			}
			line = append(line, ffmt(o.Seconds), ffmt(rw.res.WallSeconds), o.Error)
			line = append(line, fnum(o.TestErrorPos), fnum(o.TestErrorNeg))
			if o.Best != nil {
				line = append(line, fnum(o.Best.TestErrorPos), fnum(o.Best.TestErrorNeg))
			} else {
				line = append(line, "", "")
			}
			t.Rows = append(t.Rows, line)
		}
	}
	return t, rep, nil
}

// metricColumns follow the configuration columns in the merged table.
var metricColumns = []string{
	"status", "train_error", "test_error", "final_loss",
	"best_step", "best_norm", "best_grad_norm", "best_train_error", "best_test_error",
	"seconds", "wall_seconds", "error",
	"test_error_pos", "test_error_neg", "best_test_error_pos", "best_test_error_neg",
}

// WriteMerged merges the sweep folder and writes dir/results.csv
// atomically, whatever the report says.
func WriteMerged(dir string) (*Table, *MergeReport, error) {
	t, rep, err := Merge(dir)
	if err != nil {
		return nil, nil, err
	}
	err = atomicfile.Write(filepath.Join(dir, MergedFile), t.WriteCSV)
	return t, rep, err
}

type kv struct {
	opt        string // optimiser name for an optimiser parameter, else ""
	key, value string
}

// configColumns flattens a run's configuration through its YAML form, so
// that keys added to config.yaml later become columns too.
func configColumns(r Run) ([]kv, error) {
	b, err := r.Config.Marshal()
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	root := doc.Content[0]
	var out []kv
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, v := root.Content[i].Value, root.Content[i+1]
		if key != "optimizers" {
			out = append(out, kv{key: key, value: nodeString(v)})
			continue
		}
		for _, e := range v.Content {
			name := getKey(e, "name")
			if name == nil {
				continue
			}
			for j := 0; j+1 < len(e.Content); j += 2 {
				if k := e.Content[j].Value; k != "name" {
					out = append(out, kv{opt: name.Value, key: k, value: nodeString(e.Content[j+1])})
				}
			}
		}
	}
	return out, nil
}

func extraRuns(dir string, runs []Run) []string {
	want := map[string]bool{}
	for _, r := range runs {
		want[r.ID] = true
	}
	entries, err := os.ReadDir(filepath.Join(dir, "runs"))
	if err != nil {
		return nil
	}
	var extra []string
	for _, e := range entries {
		if e.IsDir() && !want[e.Name()] {
			extra = append(extra, e.Name())
		}
	}
	return extra
}

func ffmt(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func fnum(p *float64) string {
	if p == nil {
		return ""
	}
	return ffmt(*p)
}
