package stream

import "testing"

func TestDistinct(t *testing.T) {
	for name, space := range map[string][]uint64{"patch data": PatchData, "convnet": Convnet} {
		seen := map[uint64]bool{}
		for _, s := range space {
			if seen[s] {
				t.Errorf("%s: stream %d is used twice", name, s)
			}
			seen[s] = true
		}
	}
}
