//go:build !linux

package cputime

import "time"

// Supported reports whether Thread reads the thread's CPU time.
const Supported = false

// Thread returns 0: only Linux reports a thread's CPU time.
func Thread() time.Duration { return 0 }
