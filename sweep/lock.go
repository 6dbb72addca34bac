package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrLocked is wrapped by the error of a run that another process is
// training.
var ErrLocked = errors.New("run is being trained by another process")

// LockFile is the name of a run's lock inside its folder.
const LockFile = ".lock"

// lockRun takes the lock of run id in the sweep folder dir, so that two
// "sweep run"s on one folder do not train the same run twice. The lock is
// an advisory lock on runs/ID/.lock (released by the system when the
// process ends, however it ends), which holds "pid P on host H since T".
// A run already locked gives an error wrapping ErrLocked that says who
// holds it. release unlocks and removes the file.
func lockRun(dir, id string) (release func(), err error) {
	rdir := RunDir(dir, id)
	if err := os.MkdirAll(rdir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(rdir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := tryLock(f); err != nil {
		f.Close()
		holder, _ := os.ReadFile(path)
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another process"
		}
		return nil, fmt.Errorf("%w: run %s is being trained by %s (lock %s)", ErrLocked, id, who, path)
	}
	host, _ := os.Hostname()
	f.Truncate(0)
	fmt.Fprintf(f, "pid %d on host %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	f.Sync()
	return func() {
		os.Remove(path)
		unlock(f)
		f.Close()
	}, nil
}
