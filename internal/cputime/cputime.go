// Package cputime measures the CPU time of the calling thread for the
// benchmarks: on a machine shared with other jobs it is the steadier figure,
// as it leaves out the time the thread waited for a core. Only tests import
// it.
package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Loop runs body as b.Loop does, on one locked OS thread, and where the
// thread's CPU time can be read (Linux) reports it per iteration as
// cpu-ns/op and returns it; elsewhere it returns 0.
func Loop(b *testing.B, body func()) float64 {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var n int
	var start time.Duration
	for b.Loop() {
		if n == 0 {
			start = Thread()
		}
		body()
		n++
	}
	if !Supported || n < 2 {
		return 0
	}
	ns := float64(Thread()-start) / float64(n)
	b.ReportMetric(ns, "cpu-ns/op")
	return ns
}
