// Package capfile reads small input files (configurations, sweep
// specifications) through a size cap, so that a wrong path such as
// /dev/zero or a huge file fails at once instead of filling memory.
package capfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxSize is the cap of ReadFile: 4 MiB, a hundred times the largest
// specification in the repository's examples.
const MaxSize = 4 << 20

// ErrTooLarge is wrapped by the error of a file larger than the cap.
var ErrTooLarge = errors.New("too large")

// ReadFile reads the file at path, refusing it with an error wrapping
// ErrTooLarge as soon as more than max bytes have been read.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: %s holds more than %s, the limit for this kind of file; is it the right file?", ErrTooLarge, path, size(max))
	}
	return b, nil
}

// size writes a byte count in KiB or MiB where it is a whole number of them.
func size(b int64) string {
	switch {
	case b >= 1<<20 && b%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", b>>20)
	case b >= 1<<10 && b%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", b>>10)
	}
	return fmt.Sprintf("%d bytes", b)
}
