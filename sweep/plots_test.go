package sweep

import "testing"

func TestParseDiff(t *testing.T) {
	for in, want := range map[string][2]string{"adam-gd": {"adam", "gd"}, "adam-paper-gd": {"adam-paper", "gd"}, "gd,adam": {"gd", "adam"}} {
		a, b, err := ParseDiff(in)
		if err != nil || a != want[0] || b != want[1] {
			t.Errorf("ParseDiff(%q) = %q, %q, %v; want %v", in, a, b, err, want)
		}
	}
	if _, _, err := ParseDiff("adam-sgdx"); err == nil {
		t.Error("ParseDiff accepted an unknown optimizer")
	}
}
