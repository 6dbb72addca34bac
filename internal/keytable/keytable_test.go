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

func TestParseKind(t *testing.T) {
	type kind string
	kinds := []kind{"epoch", "subset"}
	for _, tt := range []struct {
		in, want, err string
	}{
		{"", "epoch", ""},
		{"subset", "subset", ""},
		{"Subset", "", `batch_sampling="Subset" must be one of [epoch subset]`},
	} {
		got, err := ParseKind("batch_sampling", tt.in, kinds)
		if string(got) != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("ParseKind(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}
