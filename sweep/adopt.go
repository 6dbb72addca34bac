package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/internal/atomicfile"
)

// adopt renames the run folders of dir made under an earlier form of a
// run's id (an id that hashed how config.yaml spelled the configuration:
// "batch_sampling: epoch" and no batch_sampling had two ids) to the id
// that runs has now, so that such a sweep resumes and merges instead of
// training those runs again. A folder is adopted when its config.yaml
// reads back to a configuration whose ID is that of a run of runs without
// a folder of its own; its result.json, if any, is rewritten with the new
// id. Folders that match no such run are left alone (Merge reports them as
// extra). It returns the number of folders adopted.
func adopt(dir string, runs []Run) (int, error) {
	missing := map[string]bool{}
	planned := map[string]bool{}
	for _, r := range runs {
		planned[r.ID] = true
		if _, err := os.Stat(RunDir(dir, r.ID)); errors.Is(err, os.ErrNotExist) {
			missing[r.ID] = true
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "runs"))
	if err != nil {
		return 0, nil // no runs yet
	}
	n := 0
	for _, e := range entries {
		old := e.Name()
		if !e.IsDir() || planned[old] {
			continue
		}
		b, err := os.ReadFile(filepath.Join(RunDir(dir, old), "config.yaml"))
		if err != nil {
			continue
		}
		c, err := config.Parse(b, config.Config{})
		if err != nil {
			continue
		}
		id, err := ID(c)
		if err != nil || !missing[id] {
			continue
		}
		if err := os.Rename(RunDir(dir, old), RunDir(dir, id)); err != nil {
			if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrExist) {
				continue // another process adopted it, or made the run's folder, first
			}
			return n, fmt.Errorf("sweep: could not rename run folder %s to %s: %w", old, id, err)
		}
		delete(missing, id)
		n++
		if err := renameResult(dir, old, id); err != nil {
			return n, err
		}
	}
	return n, nil
}

// renameResult rewrites the id inside result.json of the run folder id (an
// adopted folder, made as run old), if it has one; nothing else in the
// file changes.
func renameResult(dir, old, id string) error {
	path := filepath.Join(RunDir(dir, id), ResultFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	field := func(v string) []byte { q, _ := json.Marshal(v); return append([]byte(`"id": `), q...) }
	if bytes.Count(b, field(old)) != 1 {
		return fmt.Errorf("sweep: %s: adopted as run %s, but it does not hold its run id %q once", path, id, old)
	}
	return atomicfile.WriteBytes(path, bytes.Replace(b, field(old), field(id), 1))
}
