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

// TestFlagNumbers: a whole-number flag takes what a config.yaml takes
// (1e4 for 10000) and says in words what it refuses; the error never shows
// strconv's "strconv.ParseInt: parsing …: invalid syntax".
func TestFlagNumbers(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		steps int
		want  string // the error, or "" when accepted
	}{
		{[]string{"--steps", "1e4"}, 10000, ""},
		{[]string{"--steps", "0x10"}, 16, ""},
		{[]string{"--steps", "2.5"}, 0, "2.5 must be a whole number"},
		{[]string{"--steps", "many"}, 0, `"many" is not a whole number`},
		{[]string{"--steps", "NaN"}, 0, `"NaN" is not a whole number`},
		{[]string{"--steps", "1e30"}, 0, "1e30 is out of range: it must be at most"},
		{[]string{"--alpha", "x"}, 0, `"x" is not a number`},
		{[]string{"--alpha", "1e999"}, 0, "1e999 is out of range for a float64"},
	} {
		var f Flags
		fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
		fs.SetOutput(&strings.Builder{})
		f.Register(fs)
		err := fs.Parse(tc.args)
		if tc.want == "" {
			c, rerr := f.Resolve(fs)
			if err != nil || rerr != nil || c.Steps != tc.steps {
				t.Errorf("%v: steps %d, %v, %v; want %d", tc.args, c.Steps, err, rerr, tc.steps)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "strconv") {
			t.Errorf("%v: %v; want an error containing %q, without strconv's words", tc.args, err, tc.want)
		}
	}
}
