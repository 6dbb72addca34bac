package sweep

import (
	"cmp"
	"reflect"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

func TestPlanIDs(t *testing.T) {
	text := tinyBase + "grid:\n  alpha: [0, 0.1]\n  adam.lr: [1e-3, 1e-2]\nseeds: 3\n"
	a := mustPlan(t, mustSpec(t, text))
	b := mustPlan(t, mustSpec(t, text))
	seen := map[string]bool{}
	for i, r := range a {
		if r.ID != b[i].ID {
			t.Errorf("run %d: id %s then %s: ids must not change between plans", i, r.ID, b[i].ID)
		}
		if seen[r.ID] {
			t.Errorf("run %d (%s): id %s is not unique", i, r.Label(), r.ID)
		}
		seen[r.ID] = true
	}
	// The same configuration reached by another spec has the same id: the
	// id depends on the configuration, not on how the spec spelt it.
	other := mustPlan(t, mustSpec(t, tinyBase+"zip:\n  adam.lr: [1e-2]\n  alpha: [0.1]\nseeds: [2]\n"))
	want := a[len(a)-1] // alpha 0.1, adam.lr 1e-2, seed 2
	if other[0].ID != want.ID {
		t.Errorf("same configuration from another spec: id %s, want %s", other[0].ID, want.ID)
	}
	// A reformatted spec (flow style, other number spellings, keys in
	// another order, comments, defaults spelt out) has the same ids.
	reformatted := `# the same sweep, written differently
base: {steps: 30, d: 30, n: 6, s: 4, test_size: 40, m: 3, log_every: 10, test_every: 0,
  batch_sampling: epoch, test_labels: coin, dtype: float64, data_layout: auto,
  noise: sparse, activation: relu_power, output_scale: sum, signal_norm: 0, label_noise: 0,
  optimizers: [{name: adam, lr: 0.001, beta1: 0.9}, {lr: 5.0e-2, name: gd}]}
grid:
  alpha: [0.0, 1.0e-1]
  adam.lr: [0.001, 0.01]
seeds: [0, 1, 2]
`
	for i, r := range mustPlan(t, mustSpec(t, reformatted)) {
		if r.ID != a[i].ID {
			t.Errorf("run %d (%s) of the reformatted spec: id %s, want %s", i, r.Label(), r.ID, a[i].ID)
		}
	}
}

// TestIDFollowsEveryValue: a change to any field of the configuration (a
// field added to config.Config later included) changes the id.
func TestIDFollowsEveryValue(t *testing.T) {
	base := mustPlan(t, mustSpec(t, tinyBase+"seeds: 1\n"))[0].Config
	id0, err := ID(base)
	if err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"BatchSampling": "subset", "TestLabels": "balanced", "DType": "float32", "DataLayout": "dense"}
	typ := reflect.TypeFor[config.Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		c := base
		c.Optimizers = slices.Clone(base.Optimizers)
		v := reflect.ValueOf(&c).Elem().Field(i)
		switch {
		case f.Name == "Optimizers":
			c.Optimizers[0].LR *= 2
		case v.Kind() == reflect.String:
			v.SetString(cmp.Or(other[f.Name], "x"))
		case v.CanInt():
			v.SetInt(v.Int() + 1)
		case v.CanUint():
			v.SetUint(v.Uint() + 1)
		case v.CanFloat():
			v.SetFloat(2*v.Float() + 1)
		case v.Kind() == reflect.Bool:
			v.SetBool(!v.Bool())
		default:
			t.Errorf("config.Config.%s is a %v: teach this test to change it", f.Name, v.Kind())
			continue
		}
		if id, err := ID(c); err != nil || id == id0 {
			t.Errorf("config.Config.%s changed: id %s (%v), the same as before", f.Name, id, err)
		}
	}
	sched := base
	sched.Optimizers = slices.Clone(base.Optimizers)
	sched.Optimizers[0].Schedule = optim.ScheduleSpec{Kind: "cosine"}
	if id, _ := ID(sched); id == id0 {
		t.Errorf("a cosine schedule kept the id %s", id)
	}
}
