package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/adamgap/adamgap/report"
	"github.com/adamgap/adamgap/sweep"
)

// readmeBlocks returns the fenced code blocks of kind lang (yaml, sh) in
// the README section that starts with heading.
func readmeBlocks(t *testing.T, heading, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no section %q", heading)
	}
	text = text[i+len(heading)+2:]
	if j := strings.Index(text, "\n## "); j >= 0 {
		text = text[:j]
	}
	var blocks []string
	for {
		k := strings.Index(text, "```"+lang+"\n")
		if k < 0 {
			return blocks
		}
		text = text[k+len(lang)+4:]
		end := strings.Index(text, "```\n")
		if end < 0 {
			t.Fatalf("README section %q: unclosed %s block", heading, lang)
		}
		blocks = append(blocks, text[:end])
		text = text[end:]
	}
}

// TestREADMESweep runs the README's sweep example as written: its spec is
// examples/small.yaml byte for byte, and every line of its command block
// exits 0 from a folder laid out as the repository (issue 20: it used to
// stop at its own plot command).
func TestREADMESweep(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the 16 small runs of examples/small.yaml (a few seconds)")
	}
	yamls := readmeBlocks(t, "## Sweeps", "yaml")
	cmds := readmeBlocks(t, "## Sweeps", "sh")
	if len(yamls) != 1 || len(cmds) != 1 {
		t.Fatalf("README's Sweeps section has %d yaml and %d sh blocks, want 1 and 1", len(yamls), len(cmds))
	}
	spec := read(t, filepath.Join("..", "..", "examples", "small.yaml"))
	if yamls[0] != string(spec) {
		t.Fatalf("the README's spec is not examples/small.yaml:\n%s\n---\n%s", yamls[0], spec)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "examples"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "examples", "small.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	var plots int
	for _, line := range strings.Split(strings.TrimSpace(cmds[0]), "\n") {
		if c, _, ok := strings.Cut(line, " #"); ok {
			line = c
		}
		if strings.ContainsAny(line, `'"$\|&;<>`) {
			t.Fatalf("README line %q needs a shell; the test splits on spaces", line)
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "adamgap" {
			t.Fatalf("README line %q is not an adamgap command", line)
		}
		stdout, stderr, err, code := invoke(t, f[1:]...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %v\n%s", line, code, err, stderr)
		}
		for _, l := range strings.Split(stdout, "\n") {
			if png, ok := strings.CutSuffix(l, " (and .svg)"); ok {
				if st, err := os.Stat(png); err != nil || st.Size() == 0 {
					t.Errorf("%s: %s not written (%v)", line, png, err)
				}
				plots++
			}
		}
	}
	if plots != 5 { // 3 heatmaps, 2 line plots
		t.Errorf("the README's commands drew %d plots, want 5", plots)
	}

	// What the issue tripped over: without --where the message names the
	// key that works, and a bare lr is refused with that key.
	_, stderr, _, code := invoke(t, "sweep", "plot", "sw", "--x", "alpha", "--y", "sigma_p")
	if code != 2 || !strings.Contains(stderr, "adam.lr (0.0001, 0.001)") {
		t.Errorf("plot without --where: exit %d, %q; want 2 naming adam.lr", code, stderr)
	}
	for _, extra := range [][]string{{"--y", "sigma_p"}, {"--where", "sigma_p=0.1"}} {
		args := append([]string{"sweep", "plot", "sw", "--x", "alpha", "--where", "lr=0.001"}, extra...)
		if _, stderr, _, code := invoke(t, args...); code != 2 || !strings.Contains(stderr, "--where adam.lr=0.001") {
			t.Errorf("%v: exit %d, %q; want 2 suggesting --where adam.lr=0.001", args, code, stderr)
		}
	}
	// The line plot named _all_ holds every optimiser.
	tab, _, err := sweep.Merge("sw")
	if err != nil {
		t.Fatal(err)
	}
	plotsAll, err := tab.Plots(sweep.Query{Metric: "test_error", Where: map[string]string{"sigma_p": "0.1", "adam.lr": "1e-3"}}, "alpha", "")
	if err != nil {
		t.Fatal(err)
	}
	l, ok := plotsAll[0].Figure.(*report.Lines)
	if !ok || !strings.Contains(plotsAll[0].Name, "_all_") || len(l.Series) != 2 || l.Series[0].Label != "adam" || l.Series[1].Label != "gd" {
		t.Errorf("%s: want lines of adam and gd", plotsAll[0].Name)
	}
}

// TestREADMEPythonPaths: the README's Python snippet reads the files of the
// folder "adamgap reproduce" writes by default (it read results/… after
// the default became results/table1), and a run writes each of them.
func TestREADMEPythonPaths(t *testing.T) {
	blocks := readmeBlocks(t, "## Output layout", "python")
	if len(blocks) != 1 {
		t.Fatalf("README's Output layout has %d python blocks, want 1", len(blocks))
	}
	// The README's reproduction writes to the default folder the snippet reads.
	for _, line := range strings.Split(readmeBlocks(t, "## The two commands", "sh")[0], "\n") {
		if strings.Contains(line, " reproduce") && strings.Contains(line, "--out") {
			t.Errorf("the README's reproduction %q writes elsewhere than the folder its Python snippet reads", line)
		}
	}
	out := newReproduceCmd().Flags().Lookup("out").DefValue
	paths := regexp.MustCompile(`"(results/[^"]+)"`).FindAllStringSubmatch(blocks[0], -1)
	if len(paths) == 0 {
		t.Fatal("the README's Python snippet reads no results/ file")
	}
	dir := filepath.Join(t.TempDir(), "run")
	mustInvoke(t, args("--out", dir)...)
	for _, p := range paths {
		if filepath.Dir(p[1]) != out {
			t.Errorf("the snippet reads %s, outside reproduce's default folder %s", p[1], out)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.Base(p[1]))); err != nil {
			t.Errorf("the snippet reads %s, which a run does not write: %v", p[1], err)
		}
	}
}
