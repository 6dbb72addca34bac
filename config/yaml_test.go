package config

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/optim"
)

func roundTripConfigs() map[string]Config {
	paperish, _ := optim.Default("adam-paper")
	paperish.Beta1, paperish.Beta2, paperish.Eps, paperish.LR = 0.8, 0.95, 1e-12, 3.3e-4
	signgd, _ := optim.Default("signgd")
	signgd.LR = 1.0 / 3
	gd, _ := optim.Default("gd")
	odd := Config{
		D: 7, N: 4, S: 6, SigmaP: 0.1 + 0.2, Alpha: 0, TestSize: 1,
		M: 1, Q: 1, Sigma0: 1e-300, Lambda: 0,
		Steps: 0, LogEvery: 1, TestEvery: 0, Seed: math.MaxUint64,
		Optimizers: []optim.Spec{paperish, signgd, gd},
		DataFrom:   "some dir/data.npz", InitFrom: "w: \"0\".npz",
	}
	f32 := Paper()
	f32.DType, f32.DataLayout = "float32", "sparse"
	return map[string]Config{"paper": Paper(), "odd values": odd, "float32 sparse": f32}
}

// roundTrip writes c as YAML, reads it back over an empty base (every
// field must come from the file), fails the test unless that gives c again,
// and returns the YAML.
func roundTrip(t testing.TB, c Config) []byte {
	t.Helper()
	b, err := c.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	got, err := Parse(b, Config{})
	if err != nil {
		t.Fatalf("Parse(Marshal()): %v\n%s", err, b)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip changed the configuration:\n got %+v\nwant %+v\nYAML:\n%s", got, c, b)
	}
	return b
}

func TestMarshalParseRoundTrip(t *testing.T) {
	for name, c := range roundTripConfigs() {
		t.Run(name, func(t *testing.T) {
			roundTrip(t, c)
			if err := c.Validate(); err != nil { // c is what was read back
				t.Errorf("round-tripped configuration is invalid: %v", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	c := Paper()
	c.Seed, c.Alpha = 7, 0.05
	b, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("Load = %+v, want %+v", got, c)
	}
	missing := filepath.Join(dir, "nope.yaml")
	if _, err := Load(missing, Paper()); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load of a missing file: error %v, want one naming %s", err, missing)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("d: [1,\n"), 0o644)
	if _, err := Load(bad, Paper()); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("Load of malformed YAML: error %v, want one naming %s", err, bad)
	}
}

func TestParseOverridesBase(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want func(*Config)
	}{
		{"explicit empty mapping", "{}\n", func(*Config) {}},
		{"n unquoted", "n: 200\nd: 500\n", func(c *Config) { c.N, c.D = 200, 500 }},
		{"integral float for an int", "steps: 1e3\nn: 20.0\n", func(c *Config) { c.Steps, c.N = 1000, 20 }},
		{"anchors", "d: &a 10\nm: *a\n", func(c *Config) { c.D, c.M = 10, 10 }},
		{"floats", "sigma_p: 0.5\nalpha: 1e-2\nlambda: 0\n", func(c *Config) { c.SigmaP, c.Alpha, c.Lambda = 0.5, 0.01, 0 }},
		{"integer for a float", "sigma0: 1\n", func(c *Config) { c.Sigma0 = 1 }},
		{"seed", "seed: 18446744073709551615\n", func(c *Config) { c.Seed = math.MaxUint64 }},
		{"replay paths", "data_from: a.npz\ninit_from: b.npz\n", func(c *Config) { c.DataFrom, c.InitFrom, c.N, c.D = "a.npz", "b.npz", 0, 0 }},
		{"replay with n", "data_from: a.npz\nn: 40\n", func(c *Config) { c.DataFrom, c.N, c.D = "a.npz", 40, 0 }},
		{"optimizer defaults", "optimizers:\n  - name: adam-paper\n", func(c *Config) {
			s, _ := optim.Default("adam-paper")
			c.Optimizers = []optim.Spec{s}
		}},
		{"optimizer params", "optimizers:\n  - name: adam\n    lr: 1e-3\n    beta2: 0.99\n  - name: gd\n    lr: 0.5\n", func(c *Config) {
			a, _ := optim.Default("adam")
			a.LR, a.Beta2 = 1e-3, 0.99
			g, _ := optim.Default("gd")
			g.LR = 0.5
			c.Optimizers = []optim.Spec{a, g}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := Paper()
			tt.want(&want)
			got, err := Parse([]byte(tt.yaml), Paper())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q):\n got %+v\nwant %+v", tt.yaml, got, want)
			}
		})
	}
}

// parseReject is a YAML text Parse must refuse, with the texts its error
// must contain.
type parseReject struct {
	name, yaml string
	want       []string
}

// checkParseRejects parses every case over the paper's configuration.
func checkParseRejects(t *testing.T, tests []parseReject) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), Paper())
			if err == nil {
				t.Fatalf("Parse(%q) accepted", tt.yaml)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q): error %q does not contain %q", tt.yaml, err, w)
				}
			}
			// The decoder's words are not the user's.
			for _, bad := range []string{"unmarshal errors", "not found in type", "config.file", "optimYAML", "scheduleYAML", "yaml.Node", "\n"} {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("Parse(%q): error %q shows the decoder's %q", tt.yaml, err, bad)
				}
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	checkParseRejects(t, []parseReject{
		{"unknown key", "dd: 3\n", []string{"line 1: unknown key dd (did you mean d? allowed: d, n, s, sigma_p,"}},
		{"unknown key, no guess", "zzzzzz: 3\n", []string{"line 1: unknown key zzzzzz (allowed: d, n, "}},
		{"unknown key in optimizer", "optimizers:\n  - name: adam\n    betta1: 0.9\n", []string{"line 3: unknown key betta1 of an optimizers entry (did you mean beta1? allowed: name, schedule, lr, beta1"}},
		{"unknown key in schedule", "optimizers:\n  - name: adam\n    schedule: {kind: step, gama: 0.5}\n", []string{"unknown key gama of a schedule (did you mean gamma? allowed: kind, gamma"}},
		{"optimiser parameter at the top", "lr: 0.1\n", []string{"unknown key lr (lr is an optimiser's parameter: give it in an optimizers entry"}},
		{"no far-fetched guess", "beta: 0.1\n", []string{"unknown key beta (allowed: d, "}},
		{"negative seed", "seed: -1\n", []string{"line 1: seed=-1 must be a whole number >= 0"}},
		{"string for int", "n: abc\n", []string{`n must be a whole number, not the text "abc"`}},
		{"float for int", "d: 1.5\n", []string{"d=1.5 must be a whole number"}},
		{"float for int in a list", "optimizers:\n  - name: gd\n  - name: adam\n    lr: [1]\n", []string{"optimizers[1].lr must be a number, not a list"}},
		{"small float for int", "s: 1e-1\n", []string{"s=1e-1 must be a whole number"}},
		{"quoted int", "n: \"200\"\n", []string{`n must be a whole number, not the text "200"`}},
		{"quoted float", "alpha: \"0.2\"\n", []string{`alpha must be a number, not the text "0.2"`}},
		{"mapping for string", "data_from: {a: 1}\n", []string{"data_from must be text, not a mapping"}},
		{"optimiser parameter at the top", "lr: 0.1\n", []string{"unknown key lr (lr is an optimiser's parameter: give it in an optimizers entry"}},
		{"no far-fetched guess", "beta: 0.1\n", []string{"unknown key beta (allowed: d, "}},
		{"negative seed", "seed: -1\n", []string{"-1"}},
		{"list for float", "sigma_p: [1, 2]\n", []string{"sigma_p must be a number, not a list"}},
		{"string for float", "alpha: lots\n", []string{`alpha must be a number, not the text "lots"`}},
		{"null float", "alpha: null\n", []string{"alpha must have a value, not null"}},
		{"empty int", "d:\n", []string{"d must have a value, not null"}},
		{"null string", "dtype: ~\n", []string{"dtype must have a value, not null"}},
		{"unused parameter", "optimizers:\n  - name: gd\n    beta1: 0.9\n", []string{"optimizers[0]", `"beta1" is not a parameter of optimizer "gd"`}},
		{"unused eps for signgd", "optimizers:\n  - name: signgd\n    eps: 0.1\n", []string{"optimizers[0]", `"eps"`, "signgd"}},
		{"unknown optimizer", "optimizers:\n  - name: gd\n  - name: adamax\n", []string{"optimizers[1]", `"adamax" is unknown`, "adam-paper"}},
		{"optimizer without name", "optimizers:\n  - lr: 0.1\n", []string{"optimizers[0]", `optimizer="" is unknown`}},
		{"optimizers not a list", "optimizers: adam\n", []string{`optimizers must be a list, not the text "adam"`}},
		{"malformed", "d: [1,\n", []string{"yaml"}},
		{"tab indentation", "optimizers:\n\t- name: gd\n", []string{"yaml"}},
		{"not a mapping", "- 1\n- 2\n", []string{"line 1: a configuration is a map of keys", "not a list"}},
		{"empty file", "", []string{"the configuration is empty"}},
		{"comment only", "# nothing\n", []string{"the configuration is empty"}},
		{"null document", "~\n", []string{"the configuration is empty"}},
		{"second document", "d: 10\n---\nd: 20\n", []string{"a second YAML document", "line 2"}},
		{"empty second document", "d: 10\n---\n", []string{"a second YAML document"}},
		{"seed beyond uint64", "seed: 18446744073709551616\n", []string{"seed=18446744073709551616", "at most 18446744073709551615"}},
		{"seed as a huge float", "seed: 1e20\n", []string{"seed=1e20", "at most 18446744073709551615"}},
		{"d beyond int64", "d: 1e30\n", []string{"d=1e30", "at most 9223372036854775807"}},
		{"inexact large float", "steps: 1.0000000000000001e17\n", []string{"steps=1.0000000000000001e17", "whole number"}},
	})
}

// TestParseThenValidate: values that parse but are out of range are
// caught by Validate, naming the field.
func TestParseThenValidate(t *testing.T) {
	for yaml, want := range map[string]string{
		"alpha: .nan\n":    "alpha=NaN",
		"sigma_p: -.inf\n": "sigma_p=-Inf",
		"n: 3\n":           "n=3",
		"q: 0\n":           "q=0",
		"lambda: -1\n":     "lambda=-1",
		"optimizers: []\n": "optimizers is empty",
		"optimizers:\n - name: gd\n   lr: .nan\n": "lr=NaN",
	} {
		c, err := Parse([]byte(yaml), Paper())
		if err != nil {
			t.Errorf("Parse(%q): %v", yaml, err)
			continue
		}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q).Validate() = %v, want an error containing %q", yaml, err, want)
		}
	}
}

// FuzzParse: Parse never panics; a configuration that parses and validates
// writes back (Marshal) to YAML that parses, on an empty base, to the same
// configuration.
func FuzzParse(f *testing.F) {
	for _, c := range roundTripConfigs() {
		b, err := c.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "n: 200\n", "optimizers:\n  - name: adam\n    lr: 1e-3\n", "alpha: .nan\n",
		"d: [1,\n", "{d: 10, s: 3}", "seed: 0x10\n", "optimizers: [{name: gd, lr: 0.5}, {name: signgd}]\n",
		"data_from: \"a\\nb\"\n", "d: &a 10\nn: *a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b, Paper())
		if err != nil || c.Validate() != nil {
			return
		}
		roundTrip(t, c)
	})
}
