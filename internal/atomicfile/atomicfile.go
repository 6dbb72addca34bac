// Package atomicfile writes files so that a reader never sees half of one: the
// content goes to a temporary file in the same folder, which is synced and
// renamed over the target only when complete.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/adamgap/adamgap/internal/leftover"
)

// Write creates or replaces path with what fill writes. If fill or any step
// fails, path is left as it was and the temporary file is removed. The
// temporary file (.NAME.tmpRANDOM) is locked while written
// (internal/leftover): those that killed writers left beside path are
// removed first, those of writers still at work left alone.
func Write(path string, fill func(w io.Writer) error) (err error) {
	leftover.Clean(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("could not create %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = leftover.Hold(f); err != nil {
		return fmt.Errorf("could not lock %q: %w", f.Name(), err)
	}
	if err = fill(f); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	if runtime.GOOS != "windows" {
		// Renamed while open, so locked until in place.
		if err = os.Rename(f.Name(), path); err != nil {
			return fmt.Errorf("could not write %q: %w", path, err)
		}
		return f.Close()
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("could not write %q: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
