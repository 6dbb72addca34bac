package sweep

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/data"
)

// TestSweepDataFrom: a data_from axis takes n and d from each file (the
// base's n and d are the defaults' otherwise), and a file's test set is
// the one tested on.
func TestSweepDataFrom(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, size := range [][2]int{{8, 20}, {12, 30}} {
		pm := data.PatchModel{D: size[1], SigmaP: 0.5, Noise: data.Gaussian, LabelNoise: 0.2}
		tr, err := pm.Train(size[0], rand.New(rand.NewPCG(uint64(i), 1)))
		if err != nil {
			t.Fatal(err)
		}
		var test *data.Set
		if i == 1 {
			if test, err = pm.Test(16, rand.New(rand.NewPCG(uint64(i), 2))); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("data%d.npz", i))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteNPZSets(f, data.LayoutAuto, tr, test); err != nil {
			t.Fatal(err)
		}
		f.Close()
		files = append(files, path)
	}
	runs := mustPlan(t, mustSpec(t, tinyBase+"grid:\n  data_from: ["+strings.Join(files, ", ")+"]\n"))
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	for _, r := range runs {
		if r.Config.N != 0 || r.Config.D != 0 {
			t.Errorf("run %s: n=%d d=%d, want 0 (from the file)", r.Label(), r.Config.N, r.Config.D)
		}
	}
	out := t.TempDir()
	rep, err := Executor{Dir: out, Jobs: 1}.Run(context.Background(), runs)
	if err != nil {
		t.Fatalf("sweep over data_from: %v", err)
	}
	if rep.Done != 2 {
		t.Fatalf("Done = %d, want 2", rep.Done)
	}
	for i, r := range runs {
		b, err := os.ReadFile(filepath.Join(RunDir(out, r.ID), "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		want := "drawn from the configured model"
		if i == 1 {
			want = "data_from " + files[1]
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("run %d: summary.json does not say %q:\n%s", i, want, b)
		}
	}
}

// TestSweepFamilyKeys: a sweep over the family's keys (noise × label_noise,
// whose defaults config.yaml leaves out) runs, merges and draws a heat map
// whose ticks name every value, the omitted defaults included.
func TestSweepFamilyKeys(t *testing.T) {
	out, _ := runSweep(t, tinyBase+"  signal_norm: 2\ngrid:\n  noise: [sparse, gaussian]\n  label_noise: [0, 0.2]\n")
	tab, _, err := Merge(out)
	if err != nil {
		t.Fatal(err)
	}
	h, err := tab.Heatmap(Query{Metric: "test_error", Optimizers: []string{"adam"}}, "noise", "label_noise")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.XTicks, ","); got != "sparse,gaussian" {
		t.Errorf("noise ticks %q, want sparse,gaussian", got)
	}
	if got := strings.Join(h.YTicks, ","); got != "0,0.2" {
		t.Errorf("label_noise ticks %q, want 0,0.2", got)
	}
	for _, row := range h.Z {
		for _, v := range row {
			if math.IsNaN(v) {
				t.Errorf("a cell of the heat map is empty: %v", h.Z)
			}
		}
	}
}
