package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSlurmScripts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my sweep")
	s := Slurm{Dir: dir, Shards: 4, Binary: "/opt/adamgap", Jobs: 2, Time: "1:00:00", Partition: "cpu", Extra: []string{"--mem=2G"}}
	array, merge, err := s.Write()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(array)
	m, _ := os.ReadFile(merge)
	for _, w := range []string{
		"#!/bin/bash", "#SBATCH --array=0-3", "#SBATCH --cpus-per-task=2", "#SBATCH --time=1:00:00", "#SBATCH --partition=cpu", "#SBATCH --mem=2G",
		"#SBATCH --output=\"" + dir + "/slurm/logs/sweep-%A_%a.out\"",
		"exec /opt/adamgap sweep run '" + dir + "/sweep.yaml' --out '" + dir + "' --shard \"${SLURM_ARRAY_TASK_ID}/4\" --jobs 2",
	} {
		if !strings.Contains(string(a), w) {
			t.Errorf("array script lacks %q:\n%s", w, a)
		}
	}
	if !strings.Contains(string(m), "exec /opt/adamgap sweep merge '"+dir+"' --shards 4") || strings.Contains(string(m), "--array") {
		t.Errorf("merge script:\n%s", m)
	}
	if st, err := os.Stat(filepath.Join(dir, "slurm", "logs")); err != nil || !st.IsDir() {
		t.Errorf("logs folder not made: %v", err)
	}
	if n := Shards(dir); n != 4 {
		t.Errorf("Shards = %d, want 4", n)
	}
	if _, _, err := (&Slurm{Dir: dir, Shards: 0, Binary: "x"}).Write(); err == nil || !strings.Contains(err.Error(), "shards=0") {
		t.Errorf("0 shards: %v", err)
	}
}

// Submit chains the merge job to the array with afterok; a fake sbatch
// records its arguments.
func TestSubmit(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	fake := filepath.Join(dir, "sbatch")
	script := "#!/bin/sh\necho \"$@\" >> " + log + "\nn=$(wc -l < " + log + ")\necho \"$((100+n));cluster\"\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	aid, mid, err := Submit(context.Background(), fake, "/x/sweep.sbatch", "/x/merge.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	if aid != "101" || mid != "102" {
		t.Errorf("ids %s %s, want 101 102", aid, mid)
	}
	calls, _ := os.ReadFile(log)
	want := "--parsable /x/sweep.sbatch\n--parsable --dependency=afterok:101 /x/merge.sbatch\n"
	if string(calls) != want {
		t.Errorf("sbatch calls:\n%s\nwant:\n%s", calls, want)
	}
	if _, _, err := Submit(context.Background(), filepath.Join(dir, "nosuch"), "a", "b"); err == nil {
		t.Error("a missing sbatch gave no error")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"/a/b-c_d.e": "/a/b-c_d.e", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "$x": "'$x'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
