package paper

import "testing"

func TestEpochsSaysOneEpoch(t *testing.T) {
	for k, want := range map[int]string{1: "1 epoch", 2: "2 epochs", 12: "12 epochs"} {
		if got := epochs(k); got != want {
			t.Errorf("epochs(%d) = %q, want %q", k, got, want)
		}
	}
}
