//go:build unix

package outdir_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/adamgap/adamgap/internal/atomicfile"
	"github.com/adamgap/adamgap/internal/leftover"
	"github.com/adamgap/adamgap/internal/outdir"
)

// TestKilledWritersCleanedUp: what a killed writer leaves (its lock let go,
// as the kernel does when a process dies) is removed by the next write
// into the same place; what a writer still at work holds is left alone.
func TestKilledWritersCleanedUp(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "OUT")
	killed, err := outdir.Create(out, false)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(killed.Tmp, "metrics.csv"), []byte("half"), 0o644)
	working, err := outdir.Create(out, false)
	if err != nil {
		t.Fatal(err)
	}
	killedLock(t, killed)
	next, err := outdir.Create(out, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed.Tmp); !os.IsNotExist(err) || !slices.Contains(next.Removed, killed.Tmp) {
		t.Errorf("the killed writer's %s: %v; removed %v", killed.Tmp, err, next.Removed)
	}
	if _, err := os.Stat(working.Tmp); err != nil || !slices.Contains(next.Busy, working.Tmp) {
		t.Errorf("the working writer's %s: %v; busy %v", working.Tmp, err, next.Busy)
	}
	if err := working.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, leftover.LockName)); !os.IsNotExist(err) {
		t.Errorf("the lock file is left in the finished folder: %v", err)
	}
	next.Remove()

	// A temporary file of atomicfile whose writer was killed.
	csv := filepath.Join(parent, "results.csv")
	stale := filepath.Join(parent, ".results.csv.tmp12345")
	os.WriteFile(stale, []byte("half a table"), 0o644)
	held, err := os.CreateTemp(parent, ".results.csv.tmp*")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := leftover.Hold(held); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.WriteBytes(csv, []byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed writer's %s is still there: %v", stale, err)
	}
	if _, err := os.Stat(held.Name()); err != nil {
		t.Errorf("the working writer's %s was removed: %v", held.Name(), err)
	}
	des, _ := os.ReadDir(parent)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	if len(names) != 3 { // OUT, results.csv, the working writer's file
		t.Errorf("left in the folder: %v", names)
	}
}

// killedLock lets go of d's lock as the kernel does for a killed process.
func killedLock(t *testing.T, d *outdir.Dir) {
	t.Helper()
	outdir.DropLockForTest(d)
}
