package model_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuLoop runs body as b.Loop does and reports, besides ns/op (wall time),
// cpu-ns/op: the CPU time of the benchmark's thread per iteration, which
// excludes the time the thread waited for a core. On a machine shared with
// other jobs it is the steadier figure; compare ratios within one run.
func cpuLoop(b *testing.B, body func()) {
	b.Helper()
	var cpu float64
	cpuLoopNs(b, body, &cpu)
}

// threadCPU returns the user and system CPU time of the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD (Linux)
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuLoopNs is cpuLoop that also stores the CPU ns per iteration in *cpu.
func cpuLoopNs(b *testing.B, body func(), cpu *float64) {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var n int
	var start time.Duration
	for b.Loop() {
		if n == 0 {
			start = threadCPU()
		}
		body()
		n++
	}
	if n > 1 {
		*cpu = float64(threadCPU()-start) / float64(n)
		b.ReportMetric(*cpu, "cpu-ns/op")
	}
}
