//go:build !linux

package model_test

import "testing"

// cpuLoop runs body as b.Loop does; the thread CPU time (cpu-ns/op) is
// reported on Linux only.
func cpuLoop(b *testing.B, body func()) {
	b.Helper()
	for b.Loop() {
		body()
	}
}

// cpuLoopNs is cpuLoop; *cpu stays 0.
func cpuLoopNs(b *testing.B, body func(), cpu *float64) {
	b.Helper()
	cpuLoop(b, body)
}
