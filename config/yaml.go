package config

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/optim"
)

// file is the YAML form of Config; field names are the YAML keys and the
// CLI flag names.
type file struct {
	D         int         `yaml:"d"`
	N         int         `yaml:"n"`
	S         int         `yaml:"s"`
	SigmaP    float64     `yaml:"sigma_p"`
	Alpha     float64     `yaml:"alpha"`
	TestSize  int         `yaml:"test_size"`
	M         int         `yaml:"m"`
	Q         int         `yaml:"q"`
	Sigma0    float64     `yaml:"sigma0"`
	Lambda    float64     `yaml:"lambda"`
	Steps     int         `yaml:"steps"`
	LogEvery  int         `yaml:"log_every"`
	TestEvery int         `yaml:"test_every"`
	Seed      uint64      `yaml:"seed"`
	DataFrom  string      `yaml:"data_from,omitempty"`
	InitFrom  string      `yaml:"init_from,omitempty"`
	Optims    []optimYAML `yaml:"optimizers"`
}

// optimYAML holds an optimiser entry; absent parameters keep the
// optimiser's defaults, and parameters it does not use are refused.
type optimYAML struct {
	Name  string   `yaml:"name"`
	LR    *float64 `yaml:"lr,omitempty"`
	Beta1 *float64 `yaml:"beta1,omitempty"`
	Beta2 *float64 `yaml:"beta2,omitempty"`
	Eps   *float64 `yaml:"eps,omitempty"`
}

func (o optimYAML) fields() map[string]*float64 {
	return map[string]*float64{"lr": o.LR, "beta1": o.Beta1, "beta2": o.Beta2, "eps": o.Eps}
}

func toFile(c Config) file {
	f := file{
		D: c.D, N: c.N, S: c.S, SigmaP: c.SigmaP, Alpha: c.Alpha, TestSize: c.TestSize,
		M: c.M, Q: c.Q, Sigma0: c.Sigma0, Lambda: c.Lambda,
		Steps: c.Steps, LogEvery: c.LogEvery, TestEvery: c.TestEvery, Seed: c.Seed,
		DataFrom: c.DataFrom, InitFrom: c.InitFrom,
	}
	for _, s := range c.Optimizers {
		o := optimYAML{Name: s.Name}
		ptrs := map[string]**float64{"lr": &o.LR, "beta1": &o.Beta1, "beta2": &o.Beta2, "eps": &o.Eps}
		for _, p := range s.Params() {
			v, _ := s.Field(p)
			x := *v
			*ptrs[p] = &x
		}
		f.Optims = append(f.Optims, o)
	}
	return f
}

// Marshal returns the configuration as YAML.
func (c Config) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# adamgap configuration; run it again with: adamgap run --config FILE --out DIR\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(toFile(c)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Parse reads a YAML configuration. Keys that are absent keep the values of
// base; unknown keys, values of the wrong type and optimiser parameters that
// the optimiser does not use are errors. The result is not validated.
func Parse(b []byte, base Config) (Config, error) {
	f := toFile(base)
	f.Optims = nil
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	c := Config{
		D: f.D, N: f.N, S: f.S, SigmaP: f.SigmaP, Alpha: f.Alpha, TestSize: f.TestSize,
		M: f.M, Q: f.Q, Sigma0: f.Sigma0, Lambda: f.Lambda,
		Steps: f.Steps, LogEvery: f.LogEvery, TestEvery: f.TestEvery, Seed: f.Seed,
		DataFrom: f.DataFrom, InitFrom: f.InitFrom,
		Optimizers: base.Optimizers,
	}
	if f.Optims != nil {
		c.Optimizers = nil
		for i, o := range f.Optims {
			s, err := optim.Default(o.Name)
			if err != nil {
				return Config{}, fmt.Errorf("%w: optimizers[%d]: %w", ErrInvalid, i, err)
			}
			for _, p := range []string{"lr", "beta1", "beta2", "eps"} {
				v := o.fields()[p]
				if v == nil {
					continue
				}
				dst, err := s.Field(p)
				if err != nil {
					return Config{}, fmt.Errorf("%w: optimizers[%d]: %w", ErrInvalid, i, err)
				}
				*dst = *v
			}
			c.Optimizers = append(c.Optimizers, s)
		}
	}
	return c, nil
}

// Load reads a YAML configuration file on top of base (see Parse).
func Load(path string, base Config) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("%w: could not read %q: %w", ErrInvalid, path, err)
	}
	c, err := Parse(b, base)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
