package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCreateCommit: a new folder appears only at Commit, complete; an
// existing run is refused without force and replaced whole with it; an
// abandoned attempt leaves the earlier run untouched.
func TestCreateCommit(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "o")
	d, err := Create(out, false)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d.Tmp, "config.yaml", "A")
	write(t, d.Tmp, "figure2.png", "A")
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s exists before Commit", out)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(out, "config.yaml")) != "A" {
		t.Fatal("run A not in place")
	}

	_, err = Create(out, false)
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "already holds a run (config.yaml, figure2.png)") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("Create over run A without force: %v", err)
	}

	// Run B is killed before Commit: A is untouched, B's files are beside.
	b, err := Create(out, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, b.Tmp, "config.yaml", "B")
	if read(t, filepath.Join(out, "config.yaml")) != "A" {
		t.Fatal("run A changed by an unfinished run B")
	}
	// Run C completes with force and has no figure: no stale figure of A.
	c, err := Create(out, true)
	if err != nil {
		t.Fatal(err)
	}
	write(t, c.Tmp, "config.yaml", "C")
	if err := c.Commit(); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(out, "config.yaml")) != "C" {
		t.Fatal("run C not in place")
	}
	if _, err := os.Stat(filepath.Join(out, "figure2.png")); err == nil {
		t.Fatal("figure of run A left beside run C")
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".old-") {
			t.Errorf("%s left behind", e.Name())
		}
	}
	b.Remove()
}

func TestCreateEmptyAndOther(t *testing.T) {
	root := t.TempDir()
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	d, err := Create(empty, false)
	if err != nil {
		t.Fatalf("empty folder refused: %v", err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(root, "other")
	os.Mkdir(other, 0o755)
	write(t, other, "notes.txt", "x")
	for _, force := range []bool{false, true} {
		if _, err := Create(other, force); err == nil || !strings.Contains(err.Error(), "holds other files (notes.txt), not a run") {
			t.Fatalf("folder of other files, force %v: %v", force, err)
		}
	}
	file := filepath.Join(root, "file")
	write(t, root, "file", "x")
	if _, err := Create(file, true); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Fatalf("file as --out: %v", err)
	}
}

// TestCreateErrorNamesFinal: a folder that cannot be created is reported
// by the name the user gave, not by the hidden .NAME.partial-* folder
// whose creation failed (a base name of 250 bytes is valid, but the
// temporary folder's name beside it is too long).
func TestCreateErrorNamesFinal(t *testing.T) {
	final := filepath.Join(t.TempDir(), strings.Repeat("a", 250))
	_, err := Create(final, false)
	if err == nil {
		t.Skip("this file system takes names over 255 bytes")
	}
	if msg := err.Error(); strings.Contains(msg, ".partial-") || !strings.Contains(msg, final) {
		t.Errorf("error %q: want it to name %s, not the temporary folder", msg, final)
	}
}
