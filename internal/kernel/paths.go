package kernel

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// The kernel paths: sets of implementations of the same hot loops, one per
// instruction set. Packages model and optim hold, per path, functions of
// the same signatures, and select one set at start-up (Selected). A new
// path (say NEON on arm64) is a name here, an entry of archPaths in its
// architecture's file, and a set in model and optim.
const (
	Portable = "portable" // plain Go loops: the fallback and the reference
	AVX2     = "avx2"     // AVX2 + FMA assembly (amd64)
	AVX512   = "avx512"   // AVX-512F assembly (amd64)
	NEON     = "neon"     // NEON (Advanced SIMD) assembly (arm64)
)

// Env is the environment variable that overrides the kernel path.
const Env = "ADAMGAP_KERNELS"

// known lists every path name, in the order of Paths.
var known = []string{Portable, AVX2, AVX512, NEON}

// Paths lists the kernel paths this build and CPU can run, best last:
// always Portable, then those archPaths reports (AVX2 needs AVX2 and FMA,
// AVX512 needs AVX-512F, NEON arm64's Advanced SIMD, each a build without
// -tags purego). The CPU's features are read through golang.org/x/sys/cpu,
// so GODEBUG=cpu.avx512f=off leaves AVX512 out and
// cpu.avx512f=off,cpu.avx2=off leaves both out (cpu.asimd=off, NEON).
func Paths() []string { return append([]string{Portable}, archPaths()...) }

// Choose returns the path that ADAMGAP_KERNELS (the value env) names, or
// the best of Paths when env is empty. A name that is not a path, or that
// this build or CPU cannot run, is an error that says what is allowed.
func Choose(env string) (string, error) {
	paths := Paths()
	if env == "" {
		return paths[len(paths)-1], nil
	}
	if !slices.Contains(known, env) {
		return "", fmt.Errorf("%s=%q: no such kernel path; allowed: %s (this CPU runs %s)",
			Env, env, strings.Join(known, ", "), strings.Join(paths, ", "))
	}
	if !slices.Contains(paths, env) {
		return "", fmt.Errorf("%s=%q: this build and CPU cannot run the %s kernels (%s); it runs %s",
			Env, env, env, requirement(env), strings.Join(paths, ", "))
	}
	return env, nil
}

// requirement says what a path requires.
func requirement(path string) string {
	switch path {
	case AVX2:
		return "they need amd64 with AVX2 and FMA, a build without -tags purego, and neither off in GODEBUG"
	case AVX512:
		return "they need amd64 with AVX-512F, a build without -tags purego, and cpu.avx512f not off in GODEBUG"
	case NEON:
		return "they need arm64 with Advanced SIMD, a build without -tags purego, and cpu.asimd not off in GODEBUG"
	}
	return "not built for this architecture"
}

var selected, selectErr = Choose(os.Getenv(Env))

// Selected returns the kernel path chosen at start-up from ADAMGAP_KERNELS
// (Choose) and the error of a value that cannot be used, in which case the
// path is the best of Paths. Commands report the error and stop; a library
// caller may do the same or go on with the path returned.
func Selected() (string, error) {
	if selectErr != nil {
		paths := Paths()
		return paths[len(paths)-1], selectErr
	}
	return selected, nil
}
