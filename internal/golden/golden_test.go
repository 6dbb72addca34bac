package golden

import (
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	want := "name,step,x,y,seconds\na,0,1.5,0.25,3\na,10,-2.5,1e-20,4\n"
	for _, c := range []struct {
		name, got string
		fail      bool
	}{
		{"same", want, false},
		{"seconds differ", "name,step,x,y,seconds\na,0,1.5,0.25,9\na,10,-2.5,1e-20,1\n", false},
		{"last bits", "name,step,x,y,seconds\na,0,1.5000000000000004,0.25,3\na,10,-2.5,1.1e-20,4\n", false},
		{"moved by 1e-9", "name,step,x,y,seconds\na,0,1.5000000015,0.25,3\na,10,-2.5,1e-20,4\n", true},
		{"step differs", "name,step,x,y,seconds\na,1,1.5,0.25,3\na,10,-2.5,1e-20,4\n", true},
		{"text differs", "name,step,x,y,seconds\nb,0,1.5,0.25,3\na,10,-2.5,1e-20,4\n", true},
		{"empty field", "name,step,x,y,seconds\na,0,,0.25,3\na,10,-2.5,1e-20,4\n", true},
		{"row missing", "name,step,x,y,seconds\na,0,1.5,0.25,3\n", true},
		{"header differs", "name,step,x,z,seconds\na,0,1.5,0.25,3\na,10,-2.5,1e-20,4\n", true},
	} {
		errs := CSV([]byte(want), []byte(c.got), RTol, "step")
		if (len(errs) > 0) != c.fail {
			t.Errorf("%s: %v, want failure %v", c.name, errs, c.fail)
		}
	}
}

func TestJSON(t *testing.T) {
	want := `{"runs": [{"a": 1.5, "b": "x", "seconds": 2, "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`
	for _, c := range []struct {
		name, got string
		fail      bool
	}{
		{"same", want, false},
		{"seconds differ and order", `{"ok": true, "runs": [{"b": "x", "a": 1.5, "seconds": 9, "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}]}`, false},
		{"near zero within the floor", `{"runs": [{"a": 1.5, "b": "x", "c": [0.5, 1e-17]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, false},
		{"moved by 1e-9", `{"runs": [{"a": 1.5000000015, "b": "x", "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, true},
		{"key missing", `{"runs": [{"b": "x", "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, true},
		{"key added", `{"runs": [{"a": 1.5, "z": 1, "b": "x", "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, true},
		{"list shorter", `{"runs": [{"a": 1.5, "b": "x", "c": [0.5]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, true},
		{"null for a number", `{"runs": [{"a": null, "b": "x", "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": true}`, true},
		{"bool differs", `{"runs": [{"a": 1.5, "b": "x", "c": [0.5, -1e-18]}, {"a": 2.5, "b": "y", "c": [1, 2]}], "ok": false}`, true},
	} {
		errs := JSON([]byte(want), []byte(c.got), RTol)
		if (len(errs) > 0) != c.fail {
			t.Errorf("%s: %v, want failure %v", c.name, errs, c.fail)
		}
	}
	n, err := Normalize([]byte(want))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(n), "seconds") || len(JSON([]byte(want), n, RTol)) != 0 {
		t.Errorf("Normalize: %s", n)
	}
}

func TestText(t *testing.T) {
	want := "| | adam |\n| Test error | 0.8809 |\n| Seconds | 2.41 |\n"
	for _, c := range []struct {
		name, got string
		fail      bool
	}{
		{"same", want, false},
		{"seconds differ", "| | adam |\n| Test error | 0.8809 |\n| Seconds | 9.99 |\n", false},
		{"number differs", "| | adam |\n| Test error | 0.881 |\n| Seconds | 2.41 |\n", true},
		{"text differs", "| | gd |\n| Test error | 0.8809 |\n| Seconds | 2.41 |\n", true},
	} {
		if errs := Text([]byte(want), []byte(c.got), RTol); (len(errs) > 0) != c.fail {
			t.Errorf("%s: %v, want failure %v", c.name, errs, c.fail)
		}
	}
}
