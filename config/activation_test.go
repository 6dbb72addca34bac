package config

import (
	"strings"
	"testing"

	"github.com/adamgap/adamgap/model"
)

// TestActivationKeys: the network keys of the signal–noise family reach
// the network (CNN), a parameter of another activation is not passed on,
// a real q is kept, and they survive config.yaml; the seed's configuration
// writes none of them (old config.yaml files and sweep ids unchanged).
func TestActivationKeys(t *testing.T) {
	seed, err := Paper().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"activation", "slope", "threshold", "output_scale"} {
		if strings.Contains(string(seed), "\n"+k+":") {
			t.Errorf("the seed's config.yaml has %s:\n%s", k, seed)
		}
	}
	if !strings.Contains(string(seed), "\nq: 3\n") {
		t.Errorf("the seed's config.yaml does not say q: 3:\n%s", seed)
	}
	tests := []struct {
		set  func(*Config)
		want model.CNN
	}{
		{func(c *Config) { c.Activation, c.Slope, c.Q = "leaky_relu", 0.1, 1 }, model.CNN{Activation: model.LeakyReLU, Slope: 0.1, Q: 1}},
		{func(c *Config) { c.Activation, c.Q = "leaky_relu", 1 }, model.CNN{Activation: model.LeakyReLU, Slope: DefaultSlope, Q: 1}},
		{func(c *Config) { c.Activation, c.Threshold, c.Q, c.Slope = "huberized_relu", 0.5, 2.5, 0.3 }, model.CNN{Activation: model.HuberizedReLU, Threshold: 0.5, Q: 2.5}},
		{func(c *Config) { c.Q, c.OutputScale, c.Slope, c.Threshold = 1.5, "mean", 0.2, 3 }, model.CNN{Q: 1.5, Output: model.OutputMean}},
	}
	for _, tt := range tests {
		c := Paper()
		tt.set(&c)
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		got := c.CNN()
		want := tt.want
		want.D, want.M, want.Lambda = c.D, c.M, c.Lambda
		if got != want {
			t.Errorf("CNN() = %+v, want %+v", got, want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("CNN() = %+v is not a valid network: %v", got, err)
		}
		b, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b, Paper())
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if back.CNN() != got || back.Activation != c.Activation || back.Slope != c.Slope || back.Threshold != c.Threshold || back.OutputScale != c.OutputScale || back.Q != c.Q {
			t.Errorf("config.yaml round trip: %+v, want %+v\n%s", back.CNN(), got, b)
		}
	}
}
