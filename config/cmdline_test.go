package config

import (
	"errors"
	"strings"
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
	// One rule: test_every is never adjusted, given or default; the error
	// suggests the nearest multiples of log_every.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-every", "300"}, "test_every=1000 must be a multiple of log_every=300 (test error is written on logged rows): 900, 1200 or 0 (0: test only at the end); 1000 is test_every's default: give --test-every with --log-every"},
		{[]string{"--test-every", "150"}, "test_every=150 must be a multiple of log_every=100 (test error is written on logged rows): 100, 200 or 0"},
		{[]string{"--log-every", "300", "--test-every", "100"}, "test_every=100 must be a multiple of log_every=300 (test error is written on logged rows): 300 or 0"},
	} {
		if _, err := parse(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	if c, err := parse("--log-every", "250"); err != nil || c.TestEvery != 1000 {
		t.Errorf("--log-every 250: test_every=%d, %v; want the default 1000, a multiple", c.TestEvery, err)
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
