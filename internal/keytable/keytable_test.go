package keytable

import "testing"

func TestFind(t *testing.T) {
	type entry struct{ name, doc string }
	table := []entry{{"a", "first"}, {"b_c", "second"}}
	name := func(e entry) string { return e.name }
	if e, ok := Find(table, "b_c", name); !ok || e.doc != "second" {
		t.Errorf("Find(b_c) = %+v, %v", e, ok)
	}
	if e, ok := Find(table, "z", name); ok || e != (entry{}) {
		t.Errorf("Find(z) = %+v, %v; want the zero entry, false", e, ok)
	}
}

func TestFlag(t *testing.T) {
	for name, want := range map[string]string{"d": "d", "test_size": "test-size", "min_lr": "min-lr"} {
		if got := Flag(name); got != want {
			t.Errorf("Flag(%q) = %q, want %q", name, got, want)
		}
	}
}
