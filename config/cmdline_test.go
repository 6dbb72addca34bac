package config

import (
	"errors"
	"testing"

	"github.com/spf13/pflag"
)

// TestFlagsResolve: flags the user set override the paper's values, unset
// ones leave them; a mistake in the flags is a *FlagError, a value out of
// range Validate's error.
func TestFlagsResolve(t *testing.T) {
	parse := func(args ...string) (Config, error) {
		var f Flags
		fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
		f.Register(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return f.Resolve(fs)
	}
	c, err := parse("--alpha", "0.05", "--optimizer", "adam", "--lr", "1e-4")
	if err != nil {
		t.Fatal(err)
	}
	p := Paper()
	if c.Alpha != 0.05 || c.D != p.D || len(c.Optimizers) != 1 || c.Optimizers[0].LR != 1e-4 {
		t.Errorf("alpha=%v d=%d optimizers=%+v: want alpha 0.05, the paper's d, one adam at lr 1e-4", c.Alpha, c.D, c.Optimizers)
	}
	if c, _ := parse("--log-every", "300"); c.TestEvery != 1200 {
		t.Errorf("--log-every 300: test_every=%d, want 1200 (the paper's 1000 rounded up to a multiple)", c.TestEvery)
	}
	var fe *FlagError
	for _, args := range [][]string{
		{"--dtype", ""},
		{"--lr", "1e-3"}, // two optimisers by default
		{"--optimizer", "adam,nope"},
		{"--optimizer", "adam", "--schedule", "nope"},
	} {
		if _, err := parse(args...); !errors.As(err, &fe) {
			t.Errorf("%v: error %v, want a *FlagError", args, err)
		}
	}
	if _, err := parse("--q", "0"); err == nil || errors.As(err, &fe) {
		t.Errorf("--q 0: error %v, want Validate's error, not a *FlagError", err)
	}
}
