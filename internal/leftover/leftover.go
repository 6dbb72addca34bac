// Package leftover finds and removes what a killed process left while
// writing: the temporary folders of internal/outdir (.NAME.partial-*) and
// the temporary files of internal/atomicfile (.NAME.tmp*). A writer holds
// an advisory lock (flock) on a file of its own while it writes; the
// kernel releases it when the process ends however it ends, so an entry
// whose lock can be taken has no writer left and is removed, and one whose
// lock is held is another process's work in progress and is left alone.
package leftover

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockName is the lock file inside a temporary folder of outdir.
const LockName = ".writing"

// unlockedAge is how old an entry without a lock (written before locks,
// or on a system without flock) must be to count as left over.
const unlockedAge = 24 * time.Hour

// Clean removes the entries of dir named prefix+anything that no process
// is writing: a folder whose LockName file can be locked, or a file that
// can be locked itself; one with no lock file, if older than a day. It
// returns the paths removed and those it left (still being written, or too
// recent to tell).
func Clean(dir, prefix string) (removed, left []string) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), prefix) {
			continue
		}
		path := filepath.Join(dir, de.Name())
		lockPath := path
		if de.IsDir() {
			lockPath = filepath.Join(path, LockName)
		}
		abandoned := false
		if f, err := os.OpenFile(lockPath, os.O_RDWR, 0); err == nil {
			abandoned = tryLock(f)
			f.Close() // releases the lock taken
		} else if info, err := de.Info(); err == nil && time.Since(info.ModTime()) > unlockedAge {
			abandoned = true
		}
		if abandoned && os.RemoveAll(path) == nil {
			removed = append(removed, path)
		} else {
			left = append(left, path)
		}
	}
	return removed, left
}

// Hold locks f (a file the caller writes, or the LockName file of its
// folder) for as long as it stays open.
func Hold(f *os.File) error { return lock(f) }
