//go:build unix

package leftover

import (
	"os"
	"syscall"
)

func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

func tryLock(f *os.File) bool { return lock(f) == nil }
