package sweep

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestParseResultRefuses: a hand-edited or damaged result.json is refused
// with the file and the field named: errors outside [0, 1], numbers JSON
// cannot hold, an empty or unknown or repeated optimiser, data after the
// object, an optimiser's error under status "ok".
func TestParseResultRefuses(t *testing.T) {
	good := `{"id": "r1", "point": [], "status": "ok", "wall_seconds": 1.5, "optimizers": [
 {"optimizer": "adam", "train_error": 0, "test_error": 0.25, "final_loss": 0.01, "best": {"step": 3, "grad_norm": 0.1, "norm": "l1", "train_error": 0, "test_error": 0.3, "test_error_pos": 0.2, "test_error_neg": 0.4}, "seconds": 1, "test_error_pos": 0.2, "test_error_neg": 0.3},
 {"optimizer": "gd", "train_error": 0, "test_error": 0.05, "final_loss": 0.02, "best": null, "seconds": 1, "test_error_pos": null, "test_error_neg": null}]}`
	if _, err := ParseResult([]byte(good), "r1", "F.json"); err != nil {
		t.Fatalf("a good result refused: %v", err)
	}
	for _, tt := range []struct{ name, old, new, field string }{
		{"error above 1", `"test_error": 0.25`, `"test_error": 1.5`, "optimizers[0].test_error"},
		{"huge error", `"test_error": 0.25`, `"test_error": 1e308`, "optimizers[0].test_error"},
		{"negative error", `"train_error": 0, "test_error": 0.05`, `"train_error": -0.1, "test_error": 0.05`, "optimizers[1].train_error"},
		{"best error", `"test_error": 0.3,`, `"test_error": 2,`, "optimizers[0].best.test_error"},
		{"class error", `"test_error_neg": 0.3}`, `"test_error_neg": 7}`, "optimizers[0].test_error_neg"},
		{"beyond float64", `"final_loss": 0.01`, `"final_loss": 1e999`, "final_loss"},
		{"not a number", `"final_loss": 0.01`, `"final_loss": "NaN"`, "final_loss"},
		{"negative seconds", `"wall_seconds": 1.5`, `"wall_seconds": -1`, "wall_seconds"},
		{"unknown optimiser", `"optimizer": "gd"`, `"optimizer": "lion"`, "optimizers[1].optimizer"},
		{"optimiser twice", `"optimizer": "gd"`, `"optimizer": "adam"`, "optimizers[1].optimizer"},
		{"error under ok", `"seconds": 1, "test_error_pos": null`, `"seconds": 1, "error": "diverged", "test_error_pos": null`, "optimizers[1].error"},
		{"failed without error", `"status": "ok"`, `"status": "failed"`, "status"},
		{"unknown status", `"status": "ok"`, `"status": "done"`, "status"},
		{"another run", `"id": "r1"`, `"id": "r2"`, "id"},
		{"unknown field", `"wall_seconds"`, `"extra": 1, "wall_seconds"`, "unknown field"},
	} {
		b := strings.Replace(good, tt.old, tt.new, 1)
		if b == good {
			t.Fatalf("%s: the edit does not apply", tt.name)
		}
		_, err := ParseResult([]byte(b), "r1", "F.json")
		if err == nil || !strings.Contains(err.Error(), "F.json") || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: %v, want an error naming F.json and %s", tt.name, err, tt.field)
		}
	}
	for name, b := range map[string]string{
		"empty list":    strings.Replace(good, good[strings.Index(good, `[`+"\n"):strings.LastIndex(good, `]`)+1], `[]`, 1),
		"trailing data": good + "\n{}",
		"cut":           good[:len(good)/2],
		"empty file":    "",
	} {
		if _, err := ParseResult([]byte(b), "r1", "F.json"); err == nil || !strings.Contains(err.Error(), "F.json") {
			t.Errorf("%s: %v, want an error naming F.json", name, err)
		}
	}
}

// TestMergeNamesBadResults: merge (and plot, which merges) names the
// result.json it refuses and why, and counts the run as missing.
func TestMergeNamesBadResults(t *testing.T) {
	dir, runs := runSweep(t, tinyBase+"grid:\n  alpha: [0, 0.1]\n")
	p := filepath.Join(RunDir(dir, runs[1].ID), ResultFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, regexp.MustCompile(`"test_error": [0-9.e+-]+`).ReplaceAll(b, []byte(`"test_error": 1e308`)), 0o644)
	_, rep, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	msg := rep.Err(dir, 0)
	if rep.Complete != len(runs)-1 || msg == nil || !strings.Contains(msg.Error(), p) || !strings.Contains(msg.Error(), "test_error") {
		t.Errorf("merge of a sweep with a hand-edited result.json: complete %d, %v", rep.Complete, msg)
	}
}
