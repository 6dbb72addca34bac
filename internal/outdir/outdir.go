// Package outdir writes an output folder so that it never mixes two runs:
// files go to a fresh temporary folder beside the final one, which is
// renamed into place once complete. A folder that already holds files is
// refused unless the caller forces its replacement, and even then it stays
// untouched until the new one is complete.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/adamgap/adamgap/internal/leftover"
)

// ErrExists is wrapped by the error of Create for a non-empty folder.
var ErrExists = errors.New("output folder is not empty")

// Dir is an output folder being written.
type Dir struct {
	Final string // the folder asked for
	Tmp   string // where the files are written until Commit
	// Removed are the temporary folders of earlier writers into Final
	// that were killed (internal/leftover), removed by Create; Busy are
	// those of writers still at work, left alone.
	Removed, Busy []string

	lock *os.File // Tmp/leftover.LockName, locked while writing
}

// Create checks final and makes the temporary folder beside it (named
// .NAME.partial-RANDOM), locked (internal/leftover) until Commit or
// Remove; the temporary folders that killed writers left beside it are
// removed first. A final folder that exists and is not empty is
// refused with an error wrapping ErrExists, naming a few of its files,
// unless it holds a run (config.yaml) and force is set: force never
// replaces a folder of other files (such as the current folder).
func Create(final string, force bool) (*Dir, error) {
	abs, err := filepath.Abs(final)
	if err != nil {
		return nil, err
	}
	final = abs
	if err := checkFinal(final, force); err != nil {
		return nil, err
	}
	parent, base := filepath.Split(final)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, createError(final, err)
	}
	removed, busy := leftover.Clean(parent, "."+base+".partial-")
	tmp, err := os.MkdirTemp(parent, "."+base+".partial-")
	if err != nil {
		return nil, createError(final, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	lock, err := os.Create(filepath.Join(tmp, leftover.LockName))
	if err == nil {
		err = leftover.Hold(lock)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(tmp)
		return nil, createError(final, err)
	}
	return &Dir{Final: final, Tmp: tmp, Removed: removed, Busy: busy, lock: lock}, nil
}

// createError is the error of a final folder that could not be created:
// it names final, the folder the user asked for, and not the hidden
// temporary folder (or the lock file in it) whose creation failed, which
// the user never named and which does not exist.
func createError(final string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Path, "."+filepath.Base(final)+".partial-") {
		err = pe.Err
	}
	return fmt.Errorf("could not create output folder %s: %w", final, err)
}

// Interrupted lists the folders .NAME.interrupted-* beside final that
// interrupted runs into final left (experiment.RunInto keeps their logged
// rows there): nothing removes them but the user.
func Interrupted(final string) []string {
	abs, err := filepath.Abs(final)
	if err != nil {
		return nil
	}
	found, _ := filepath.Glob(filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".interrupted-*"))
	return found
}

// unlock removes the lock file and lets it go.
func (d *Dir) unlock() {
	if d.lock != nil {
		os.Remove(d.lock.Name())
		d.lock.Close()
		d.lock = nil
	}
}

func checkFinal(final string, force bool) error {
	st, err := os.Stat(final)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("--out %s is a file, not a folder", final)
	}
	entries, err := os.ReadDir(final)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	isRun := slices.Contains(names, "config.yaml")
	if isRun && force {
		return nil
	}
	list := strings.Join(names[:min(4, len(names))], ", ")
	if len(names) > 4 {
		list += fmt.Sprintf(", … (%d files)", len(names))
	}
	if !isRun {
		return fmt.Errorf("%w: --out %s holds other files (%s), not a run; choose another folder (--force replaces only a run's folder)", ErrExists, final, list)
	}
	return fmt.Errorf("%w: --out %s already holds a run (%s); choose another folder, or pass --force to replace it once the new run is complete", ErrExists, final, list)
}

// Commit renames the temporary folder into place. A folder already at
// Final (empty, or replaced with force) is moved aside first and removed
// after the rename, so Final always holds one complete run.
func (d *Dir) Commit() error {
	os.Remove(filepath.Join(d.Tmp, leftover.LockName)) // held until the rename
	defer d.unlock()
	var old string
	if _, err := os.Lstat(d.Final); err == nil {
		aside, err := os.MkdirTemp(filepath.Dir(d.Final), "."+filepath.Base(d.Final)+".old-")
		if err != nil {
			return fmt.Errorf("could not replace %s: %w", d.Final, err)
		}
		old = filepath.Join(aside, "previous")
		if err := os.Rename(d.Final, old); err != nil {
			os.Remove(aside)
			return fmt.Errorf("could not move %s aside: %w", d.Final, err)
		}
		defer os.RemoveAll(aside)
	}
	if err := os.Rename(d.Tmp, d.Final); err != nil {
		if old != "" {
			os.Rename(old, d.Final)
		}
		return fmt.Errorf("could not move the finished run into %s (it is in %s): %w", d.Final, d.Tmp, err)
	}
	return nil
}

// Remove deletes the temporary folder (a run that wrote nothing worth
// keeping).
func (d *Dir) Remove() error {
	d.unlock()
	return os.RemoveAll(d.Tmp)
}
