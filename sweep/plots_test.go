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

// TestPlotNameSlices: two --where slices never share a file name.
func TestPlotNameSlices(t *testing.T) {
	a := Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.1"}}.PlotName("alpha", "")
	b := Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.3"}}.PlotName("alpha", "")
	if a == b || a != "lines_test_error_all_alpha_where_sigma_p-0.1" {
		t.Errorf("names %q and %q", a, b)
	}
	if c := (Query{Metric: "test_error", Where: map[string]string{"data_from": "a/b c"}}).PlotName("alpha", ""); c != "lines_test_error_all_alpha_where_data_from-a-b_c" {
		t.Errorf("unsafe characters kept: %q", c)
	}
}
