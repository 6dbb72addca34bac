package theory

import (
	"errors"
	"testing"

	"github.com/adamgap/adamgap/train"
)

func records(steps []int, pos, neg []float64) []train.Record {
	rs := make([]train.Record, len(steps))
	for i, s := range steps {
		rs[i] = train.Record{Optimizer: "adam", Step: s}
		rs[i].FeaturePos, rs[i].FeatureNeg = pos[i], neg[i]
	}
	return rs
}

func TestFlips(t *testing.T) {
	tests := []struct {
		name     string
		steps    []int
		pos, neg []float64
		want     [2]Flip
	}{
		{
			name:  "both flip, at different steps",
			steps: []int{0, 10, 20, 30, 40, 50},
			pos:   []float64{0.02, 0.03, 0.04, 0.01, -0.02, -0.05},
			neg:   []float64{0.01, 0.02, 0.025, 0.03, 0.005, -0.001},
			want: [2]Flip{
				{Class: 1, Start: 0.02, PeakStep: 20, Peak: 0.04, NegStep: 40, Last: -0.05},
				{Class: -1, Start: 0.01, PeakStep: 30, Peak: 0.03, NegStep: 50, Last: -0.001},
			},
		},
		{
			name:  "GD-like: grows, never flips; negative start before the peak does not count",
			steps: []int{0, 5, 10},
			pos:   []float64{-0.01, 0.5, 1},
			neg:   []float64{-0.02, -0.01, 0.2},
			want: [2]Flip{
				{Class: 1, Start: -0.01, PeakStep: 10, Peak: 1, NegStep: -1, Last: 1},
				{Class: -1, Start: -0.02, PeakStep: 10, Peak: 0.2, NegStep: -1, Last: 0.2},
			},
		},
		{
			name:  "peak at the start, first tie wins",
			steps: []int{0, 1, 2, 3},
			pos:   []float64{0.1, 0.1, 0, -0.1},
			neg:   []float64{0.1, 0.05, 0.02, 0.01},
			want: [2]Flip{
				{Class: 1, Start: 0.1, PeakStep: 0, Peak: 0.1, NegStep: 3, Last: -0.1},
				{Class: -1, Start: 0.1, PeakStep: 0, Peak: 0.1, NegStep: -1, Last: 0.01},
			},
		},
	}
	for _, tt := range tests {
		got, err := Flips(records(tt.steps, tt.pos, tt.neg))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		if got[0].Flipped() != (tt.want[0].NegStep >= 0) {
			t.Errorf("%s: Flipped() = %v with NegStep %d", tt.name, got[0].Flipped(), got[0].NegStep)
		}
	}
}

func TestFlipsErrors(t *testing.T) {
	mixed := records([]int{0, 1}, []float64{0, 0}, []float64{0, 0})
	mixed[1].Optimizer = "gd"
	unsorted := records([]int{0, 2, 1}, []float64{0, 0, 0}, []float64{0, 0, 0})
	for name, rs := range map[string][]train.Record{"empty": nil, "mixed": mixed, "unsorted": unsorted} {
		if _, err := Flips(rs); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}
