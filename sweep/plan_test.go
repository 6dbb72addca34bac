package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"testing"
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
		// The id is the hash of the configuration's YAML form, comments
		// left out.
		y, err := r.Config.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		y = regexp.MustCompile(`(?m)^#.*\n`).ReplaceAll(y, nil)
		sum := sha256.Sum256(y)
		if want := hex.EncodeToString(sum[:])[:12]; r.ID != want {
			t.Errorf("run %d: id %s, want %s", i, r.ID, want)
		}
	}
	// The same configuration reached by another spec has the same id: the
	// id depends on the configuration, not on how the spec spelt it.
	other := mustPlan(t, mustSpec(t, tinyBase+"zip:\n  adam.lr: [1e-2]\n  alpha: [0.1]\nseeds: [2]\n"))
	want := a[len(a)-1] // alpha 0.1, adam.lr 1e-2, seed 2
	if other[0].ID != want.ID {
		t.Errorf("same configuration from another spec: id %s, want %s", other[0].ID, want.ID)
	}
	// Any change of the configuration changes the id.
	c := want.Config
	c.TestSize++
	if id, _ := ID(c); id == want.ID {
		t.Errorf("test_size+1 kept the id %s", id)
	}
}
