package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

type fig struct{ fail bool }

func (f fig) WritePNG(w io.Writer) error { _, err := io.WriteString(w, "png"); return err }
func (f fig) WriteSVG(w io.Writer) error {
	if f.fail {
		return errors.New("no svg")
	}
	_, err := io.WriteString(w, "svg")
	return err
}

func TestFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := JSON(filepath.Join(dir, "r.json"), map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "r.json")); string(b) != "{\n  \"x\": 1\n}\n" {
		t.Errorf("r.json = %q", b)
	}
	if err := WriteFigure(filepath.Join(dir, "plots", "f"), fig{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"f.png", "f.svg"} {
		if _, err := os.Stat(filepath.Join(dir, "plots", name)); err != nil {
			t.Error(err)
		}
	}
	if err := WriteFigure(filepath.Join(dir, "g"), fig{fail: true}); err == nil {
		t.Error("a failing SVG writer gave no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "g.svg")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("half-written g.svg left behind: %v", err)
	}
}
