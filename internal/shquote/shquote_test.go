package shquote

import (
	"os/exec"
	"testing"
)

// TestQuote: a quoted word is read back by sh as the same single word.
func TestQuote(t *testing.T) {
	for _, s := range []string{"plain/path-1.yaml", "", "a b", "it's", `"$HOME"`, "x;rm -rf /", "tab\there", "*.npz", "~user", "a\nb"} {
		out, err := exec.Command("sh", "-c", `printf '%s' `+Quote(s)).Output()
		if err != nil {
			t.Fatalf("sh on %q: %v", Quote(s), err)
		}
		if string(out) != s {
			t.Errorf("Quote(%q) = %s, read back by sh as %q", s, Quote(s), out)
		}
	}
	if got := Quote("results/run-1"); got != "results/run-1" {
		t.Errorf("Quote of a plain path = %s, want it unquoted", got)
	}
	if got := Join([]string{"rm", "-r", "a b"}); got != "rm -r 'a b'" {
		t.Errorf("Join = %s", got)
	}
}
