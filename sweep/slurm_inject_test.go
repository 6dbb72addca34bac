package sweep

import (
	"strings"
	"testing"
)

// TestSlurmRefusesInjection: a newline (or any control character) in a
// value written into the scripts is refused, as are --time and --partition
// values sbatch would not read and extra options that are not one option.
func TestSlurmRefusesInjection(t *testing.T) {
	ok := Slurm{Dir: "/s", Shards: 2, Binary: "/opt/adamgap", Time: "2:00:00", Partition: "cpu", Extra: []string{"--mem=2G"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid Slurm refused: %v", err)
	}
	tests := []struct {
		name string
		f    func(*Slurm)
		want string
	}{
		{"newline in out", func(s *Slurm) { s.Dir = "/s\ntouch /tmp/pwned" }, "--out"},
		{"newline in partition", func(s *Slurm) { s.Partition = "cpu\ntouch /tmp/pwned" }, "--partition"},
		{"newline in time", func(s *Slurm) { s.Time = "1:00\ntouch /tmp/pwned" }, "--time"},
		{"newline in sbatch", func(s *Slurm) { s.Extra = []string{"--mem=2G\ntouch /tmp/pwned"} }, "--sbatch"},
		{"carriage return in binary", func(s *Slurm) { s.Binary = "/opt/adamgap\r" }, "--binary"},
		{"line separator", func(s *Slurm) { s.Partition = "cpu\u2028x" }, "--partition"},
		{"garbage time", func(s *Slurm) { s.Time = "garbage" }, `--time "garbage" is not a SLURM time limit`},
		{"partition with space", func(s *Slurm) { s.Partition = "cpu gpu" }, "not a partition name"},
		{"sbatch not an option", func(s *Slurm) { s.Extra = []string{"mem=2G"} }, "must be one sbatch option"},
		{"sbatch with $", func(s *Slurm) { s.Extra = []string{"--comment=$(touch x)"} }, "must be one sbatch option"},
		{"quote in out", func(s *Slurm) { s.Dir = `/s"x` }, "double quote"},
		{"go run binary", func(s *Slurm) { s.Binary = "/tmp/go-build2893/b001/exe/adamgap" }, `temporary binary of "go run"`},
		{"too many shards", func(s *Slurm) { s.Shards = 1_000_000_000 }, "shards=1000000000 must be in [1, 4000000]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.f(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			if _, _, err := s.Write(); err == nil {
				t.Fatal("Write accepted what Validate refused")
			}
		})
	}
	for _, tm := range []string{"90", "30:00", "2:00:00", "1-0", "1-12:00", "1-12:00:00", "UNLIMITED", "infinite"} {
		s := ok
		s.Time = tm
		if err := s.Validate(); err != nil {
			t.Errorf("--time %q refused: %v", tm, err)
		}
	}
}

// FuzzSlurmScripts: whatever the values, either Validate refuses them or
// the scripts have exactly the lines of a neutral configuration: no value
// may add a line, and the only commands are "set -eu" and one exec.
func FuzzSlurmScripts(f *testing.F) {
	f.Add("/s", "/opt/adamgap", "2:00:00", "cpu", "--mem=2G")
	f.Add("/s\ntouch x", "/b", "", "", "--x")
	f.Add("/my sweep", "/opt/adam gap", "1-0", "a,b", "--mem 2G")
	f.Fuzz(func(t *testing.T, dir, binary, tm, partition, extra string) {
		s := Slurm{Dir: dir, Shards: 3, Binary: binary, Time: tm, Partition: partition, Extra: []string{extra}}
		if s.Validate() != nil {
			return
		}
		neutral := Slurm{Dir: "/d", Shards: 3, Binary: "/b", Time: "", Partition: "", Extra: []string{"--x"}}
		if tm != "" {
			neutral.Time = "1"
		}
		if partition != "" {
			neutral.Partition = "p"
		}
		for _, pair := range [][2]string{{s.Array(), neutral.Array()}, {s.Merge(), neutral.Merge()}} {
			got, want := strings.Split(pair[0], "\n"), strings.Split(pair[1], "\n")
			if len(got) != len(want) {
				t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), pair[0])
			}
			for i, line := range got {
				wantCmd := !strings.HasPrefix(want[i], "#") && want[i] != ""
				if wantCmd != (!strings.HasPrefix(line, "#") && line != "") {
					t.Fatalf("line %d %q is a command where the neutral script has %q:\n%s", i, line, want[i], pair[0])
				}
				if wantCmd && strings.Fields(line)[0] != strings.Fields(want[i])[0] {
					t.Fatalf("line %d %q starts a different command than %q", i, line, want[i])
				}
			}
		}
	})
}
