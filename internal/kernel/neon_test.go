package kernel_test

import (
	"testing"

	"github.com/adamgap/adamgap/internal/kernel"
)

// The NEON kernels (arm64), checked as the AVX2 ones are (blocks_test.go).
// On amd64 they are skipped; on this project's machines they run under
// emulation (.ci/run):
//
//	GOARCH=arm64 go test -exec qemu-aarch64 ./internal/kernel/...

func needNEON(t *testing.T) {
	t.Helper()
	if !kernel.AvailableNEON {
		t.Skip("no NEON kernels in this build or on this CPU")
	}
}

var neonKernels = blockKernels{
	sum20: kernel.SumRows20NEON, sum4: kernel.SumRows4NEON,
	grad20: kernel.GradRows20NEON, grad4: kernel.GradRows4NEON,
	adam: kernel.AdamRowsNEON, decay: kernel.AdamDecayNEON, act: kernel.ActNEON, step: 2,
}

func TestSumRowsNEON(t *testing.T)   { needNEON(t); checkSumRows(t, neonKernels) }
func TestGradRowsNEON(t *testing.T)  { needNEON(t); checkGradRows(t, neonKernels) }
func TestAdamRowsNEON(t *testing.T)  { needNEON(t); checkAdamRows(t, neonKernels) }
func TestActNEON(t *testing.T)       { needNEON(t); checkAct(t, neonKernels) }
func TestAdamDecayNEON(t *testing.T) { needNEON(t); checkAdamDecay(t, neonKernels) }
