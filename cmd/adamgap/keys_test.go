package main

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/explorer"
	"github.com/adamgap/adamgap/sweep"
)

// keyValue returns a configuration that differs from the paper's in key k
// alone and is valid: the first of a few candidates derived from the
// paper's value (twice, half, one more …; another of the choices; a path).
func keyValue(t *testing.T, k config.Key) config.Config {
	t.Helper()
	p := config.Paper()
	var candidates []any
	switch v := k.Get(p).(type) {
	case int:
		candidates = []any{2 * v, v + 2, v + 1, v / 2, 1}
	case float64:
		candidates = []any{2 * v, v / 2, v + 1, 0.5, 0.25, 0.1, 0.01}
	case uint64:
		candidates = []any{v + 1}
	case string:
		if k.Path {
			candidates = []any{"/keys-test/" + k.Name + ".npz"}
		}
		if k.Choices != nil {
			for _, ch := range k.Choices() {
				candidates = append(candidates, ch)
			}
		}
	}
	for _, v := range candidates {
		c := p
		k.Set(&c, v)
		if k.Canonical(c) != k.Canonical(p) && (c.Validate() == nil || k.Path) {
			return c
		}
	}
	t.Fatalf("%s: no valid value other than the paper's among %v; add one to keyValue", k.Name, candidates)
	return p
}

// resolveFlags reads args as "adamgap run" reads its flags (config.Flags).
func resolveFlags(t *testing.T, args []string) config.Config {
	t.Helper()
	var f config.Flags
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	f.Register(fs)
	fs.String("out", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatalf("flags %q: %v", args, err)
	}
	c, err := f.Resolve(fs)
	if err != nil {
		t.Fatalf("flags %q: %v", args, err)
	}
	return c
}

// TestKeyTable walks the key table (config.Keys): for every key, a value
// other than the paper's goes through config.yaml and back, through its
// flag, through the explorer's form and through the command the explorer
// shows, and is a sweep axis; its flag has the table's help line in
// "adamgap run --help"; the page's form has it unless it names a file.
// Adding a key to the table is all it takes for it to be checked here.
func TestKeyTable(t *testing.T) {
	help := mustInvoke(t, "run", "--help")
	var form []string
	for _, fk := range explorer.FormKeys() {
		form = append(form, fk.Name)
	}
	seen := map[string]bool{}
	for _, k := range config.Keys() {
		t.Run(k.Name, func(t *testing.T) {
			if seen[k.Name] || seen[k.Flag()] {
				t.Fatalf("key %s appears twice in the table", k.Name)
			}
			seen[k.Name], seen[k.Flag()] = true, true
			c := keyValue(t, k)
			want := k.Get(c)
			same := func(what string, got config.Config) {
				t.Helper()
				if v := k.Get(got); !reflect.DeepEqual(v, want) {
					t.Errorf("%s: %s = %#v, want %#v", what, k.Name, v, want)
				}
			}

			// config.yaml: written under the key, read back whole.
			y, err := c.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(y), "\n"+k.Name+": ") && !strings.Contains(string(y), "\n\""+k.Name+"\": ") {
				t.Errorf("config.yaml has no line %s:\n%s", k.Name, y)
			}
			back, err := config.Parse(y, config.Paper())
			if err != nil {
				t.Fatalf("Parse(Marshal()): %v\n%s", err, y)
			}
			if !reflect.DeepEqual(back, c) {
				t.Errorf("YAML round trip:\n got %+v\nwant %+v", back, c)
			}

			// The flag, and its line in "adamgap run --help".
			same("--"+k.Flag(), resolveFlags(t, []string{"--" + k.Flag(), k.Format(c)}))
			if !strings.Contains(help, "--"+k.Flag()+" ") || !strings.Contains(help, k.Doc) {
				t.Errorf("adamgap run --help has no line for --%s with %q", k.Flag(), k.Doc)
			}

			// The explorer's form (every key but a file to read, which the
			// explorer refuses) and its copy-the-command.
			if k.Path == slices.Contains(form, k.Name) {
				t.Errorf("explorer form has %s: %v; want it exactly when the key names no file (Path=%v)", k.Name, !k.Path, k.Path)
			}
			if !k.Path {
				fc, err := explorer.FormOf(c).Config()
				if err != nil {
					t.Fatalf("form: %v", err)
				}
				same("explorer form", fc)
			}
			cmd := explorer.Command(c, "out")
			args := strings.Fields(strings.TrimPrefix(cmd, "adamgap run "))
			for i, a := range args {
				if u, err := strconv.Unquote(strings.ReplaceAll(a, "'", `"`)); err == nil {
					args[i] = u
				}
			}
			got := resolveFlags(t, args)
			same("command "+cmd, got)
			if !k.Path && !reflect.DeepEqual(got, c) {
				t.Errorf("command %s makes\n%+v\nwant\n%+v", cmd, got, c)
			}

			// A sweep over the key (the seed is varied by seeds:).
			node, err := yaml.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			list := "[" + strings.TrimSpace(string(node)) + "]\n"
			spec := "grid:\n  " + k.Name + ": " + list
			if !k.Sweepable() {
				spec = "seeds: " + list
			}
			s, err := sweep.ParseSpec([]byte(spec))
			if err != nil {
				t.Fatalf("sweep %q: %v", spec, err)
			}
			runs, err := s.Plan()
			if err != nil || len(runs) != 1 {
				t.Fatalf("sweep %q: %d runs, %v", spec, len(runs), err)
			}
			same("sweep "+strings.TrimSpace(spec), runs[0].Config)
		})
	}
}
