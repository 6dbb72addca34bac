package capfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestReadFileCaps(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("d: 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(small, 6); err != nil || string(b) != "d: 10\n" {
		t.Fatalf("ReadFile(small, 6) = %q, %v", b, err)
	}
	if _, err := ReadFile(small, 5); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadFile(small, 5) = %v, want ErrTooLarge", err)
	}
	if _, err := ReadFile(dir, MaxSize); err == nil {
		t.Fatal("ReadFile(folder) succeeded")
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		start := time.Now()
		_, err := ReadFile("/dev/zero", MaxSize)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("ReadFile(/dev/zero) = %v, want ErrTooLarge", err)
		}
		t.Logf("/dev/zero refused after %v", time.Since(start))
	}
}
