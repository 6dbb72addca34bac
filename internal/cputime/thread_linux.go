package cputime

import (
	"syscall"
	"time"
)

// Supported reports whether Thread reads the thread's CPU time.
const Supported = true

// Thread returns the user and system CPU time of the calling thread
// (getrusage RUSAGE_THREAD), or 0 if it cannot be read.
func Thread() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
