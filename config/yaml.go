package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/internal/capfile"
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
	BatchSize int         `yaml:"batch_size"`
	SignThr   float64     `yaml:"sign_threshold"`
	DataFrom  string      `yaml:"data_from,omitempty"`
	InitFrom  string      `yaml:"init_from,omitempty"`
	Optims    []optimYAML `yaml:"optimizers"`
}

// optimYAML holds an optimiser entry; absent parameters keep the
// optimiser's defaults, and parameters it does not use are refused. The
// keys are optim.ParamNames; nesterov is written true/false (0/1 is also
// read).
type optimYAML struct {
	Name        string        `yaml:"name"`
	LR          *float64      `yaml:"lr,omitempty"`
	Beta1       *float64      `yaml:"beta1,omitempty"`
	Beta2       *float64      `yaml:"beta2,omitempty"`
	Eps         *float64      `yaml:"eps,omitempty"`
	Momentum    *float64      `yaml:"momentum,omitempty"`
	Nesterov    *flag01       `yaml:"nesterov,omitempty"`
	WeightDecay *float64      `yaml:"weight_decay,omitempty"`
	P           *float64      `yaml:"p,omitempty"`
	Rho         *float64      `yaml:"rho,omitempty"`
	Schedule    *scheduleYAML `yaml:"schedule,omitempty"`
}

// get returns the parameter called name (one of optim.ParamNames) and
// whether it was given.
func (o *optimYAML) get(name string) (float64, bool) {
	var v *float64
	switch name {
	case "lr":
		v = o.LR
	case "beta1":
		v = o.Beta1
	case "beta2":
		v = o.Beta2
	case "eps":
		v = o.Eps
	case "momentum":
		v = o.Momentum
	case "nesterov":
		if o.Nesterov == nil {
			return 0, false
		}
		return float64(*o.Nesterov), true
	case "weight_decay":
		v = o.WeightDecay
	case "p":
		v = o.P
	case "rho":
		v = o.Rho
	default:
		panic("config: optimYAML has no parameter " + name)
	}
	if v == nil {
		return 0, false
	}
	return *v, true
}

// set gives the parameter called name the value x.
func (o *optimYAML) set(name string, x float64) {
	switch name {
	case "lr":
		o.LR = &x
	case "beta1":
		o.Beta1 = &x
	case "beta2":
		o.Beta2 = &x
	case "eps":
		o.Eps = &x
	case "momentum":
		o.Momentum = &x
	case "nesterov":
		f := flag01(x)
		o.Nesterov = &f
	case "weight_decay":
		o.WeightDecay = &x
	case "p":
		o.P = &x
	case "rho":
		o.Rho = &x
	default:
		panic("config: optimYAML has no parameter " + name)
	}
}

// flag01 is a 0/1 parameter written as false/true; 0, 1 and other numbers
// are read too (Validate refuses numbers other than 0 and 1).
type flag01 float64

// UnmarshalYAML reads true, false or a number.
func (f *flag01) UnmarshalYAML(n *yaml.Node) error {
	var b bool
	if err := n.Decode(&b); err == nil {
		*f = 0
		if b {
			*f = 1
		}
		return nil
	}
	var x float64
	if err := n.Decode(&x); err != nil {
		return fmt.Errorf("line %d: %q must be true or false", n.Line, n.Value)
	}
	*f = flag01(x)
	return nil
}

// MarshalYAML writes 0 and 1 as false and true.
func (f flag01) MarshalYAML() (any, error) {
	switch f {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return float64(f), nil
}

// scheduleYAML is an optimiser's learning-rate schedule; absent parameters
// keep the kind's defaults (optim.DefaultSchedule), and parameters the kind
// does not use are refused.
type scheduleYAML struct {
	Kind     string   `yaml:"kind"`
	Gamma    *float64 `yaml:"gamma,omitempty"`
	StepSize *int     `yaml:"step_size,omitempty"`
	MinLR    *float64 `yaml:"min_lr,omitempty"`
}

func toFile(c Config) file {
	f := file{
		D: c.D, N: c.N, S: c.S, SigmaP: c.SigmaP, Alpha: c.Alpha, TestSize: c.TestSize,
		M: c.M, Q: c.Q, Sigma0: c.Sigma0, Lambda: c.Lambda,
		Steps: c.Steps, LogEvery: c.LogEvery, TestEvery: c.TestEvery, Seed: c.Seed,
		BatchSize: c.BatchSize, SignThr: c.SignThreshold,
		DataFrom: c.DataFrom, InitFrom: c.InitFrom,
	}
	for _, s := range c.Optimizers {
		o := optimYAML{Name: s.Name}
		for _, p := range s.Params() {
			v, _ := s.Field(p)
			o.set(p, *v)
		}
		if !s.Schedule.IsConstant() {
			sc := s.Schedule
			o.Schedule = &scheduleYAML{Kind: sc.Kind}
			for _, p := range sc.Params() {
				switch p {
				case "gamma":
					o.Schedule.Gamma = &sc.Gamma
				case "step_size":
					o.Schedule.StepSize = &sc.StepSize
				case "min_lr":
					o.Schedule.MinLR = &sc.MinLR
				}
			}
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
	if err := checkTypes(b, f); err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return Config{}, fmt.Errorf("%w: %w", ErrInvalid, ErrEmpty)
		}
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(doc.Content) == 0 || (doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null") {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, ErrEmpty)
	}
	var second yaml.Node
	if err := dec.Decode(&second); err != io.EOF {
		line := second.Line
		if err != nil {
			return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return Config{}, fmt.Errorf("%w: a second YAML document starts at line %d; a configuration file holds one document (remove the '---' and what follows, or split the file)", ErrInvalid, line)
	}
	strict := yaml.NewDecoder(bytes.NewReader(b))
	strict.KnownFields(true)
	if err := strict.Decode(&f); err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	c := Config{
		D: f.D, N: f.N, S: f.S, SigmaP: f.SigmaP, Alpha: f.Alpha, TestSize: f.TestSize,
		M: f.M, Q: f.Q, Sigma0: f.Sigma0, Lambda: f.Lambda,
		Steps: f.Steps, LogEvery: f.LogEvery, TestEvery: f.TestEvery, Seed: f.Seed,
		BatchSize: f.BatchSize, SignThreshold: f.SignThr,
		DataFrom: f.DataFrom, InitFrom: f.InitFrom,
		Optimizers: slices.Clone(base.Optimizers),
	}
	// With data_from, n and d come from the file unless given (then they
	// must agree with it: see experiment.PrepareContext).
	if c.DataFrom != "" && c.DataFrom != base.DataFrom {
		if !hasKey(&doc, "n") {
			c.N = 0
		}
		if !hasKey(&doc, "d") {
			c.D = 0
		}
	}
	if f.Optims != nil {
		c.Optimizers = nil
		for i, o := range f.Optims {
			s, err := optim.Default(o.Name)
			if err != nil {
				return Config{}, fmt.Errorf("%w: optimizers[%d]: %w", ErrInvalid, i, err)
			}
			for _, p := range optim.ParamNames() {
				v, ok := o.get(p)
				if !ok {
					continue
				}
				dst, err := s.Field(p)
				if err != nil {
					return Config{}, fmt.Errorf("%w: optimizers[%d]: %w", ErrInvalid, i, err)
				}
				*dst = v
			}
			if o.Schedule != nil {
				if s.Schedule, err = o.Schedule.spec(); err != nil {
					return Config{}, fmt.Errorf("%w: optimizers[%d] (%s): %w", ErrInvalid, i, o.Name, err)
				}
			}
			c.Optimizers = append(c.Optimizers, s)
		}
	}
	return c, nil
}

// hasKey reports whether the top-level mapping of the document has key.
func hasKey(doc *yaml.Node, key string) bool {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// ErrEmpty is wrapped by the error of Parse for a document without keys
// (empty, "~" or only comments), which would otherwise silently stand for
// base.
var ErrEmpty = errors.New("the configuration is empty (no keys); give at least one key, as in the config.yaml that adamgap run writes, or write {} for the defaults")

// Load reads a YAML configuration file on top of base (see Parse); the file
// is read through a cap of capfile.MaxSize bytes. A relative data_from or
// init_from in the file names a path relative to the file's folder and is
// returned as such a path (joined with the folder).
func Load(path string, base Config) (Config, error) {
	b, err := capfile.ReadFile(path, capfile.MaxSize)
	if err != nil {
		if errors.Is(err, capfile.ErrTooLarge) {
			return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return Config{}, fmt.Errorf("%w: could not read %q: %w", ErrInvalid, path, err)
	}
	c, err := Parse(b, base)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if c.DataFrom != base.DataFrom && c.DataFrom != "" && !filepath.IsAbs(c.DataFrom) {
		c.DataFrom = filepath.Join(dir, c.DataFrom)
	}
	if c.InitFrom != base.InitFrom && c.InitFrom != "" && !filepath.IsAbs(c.InitFrom) {
		c.InitFrom = filepath.Join(dir, c.InitFrom)
	}
	return c, nil
}

// spec returns the schedule: the kind's defaults with the given parameters.
func (y scheduleYAML) spec() (optim.ScheduleSpec, error) {
	sc, err := optim.DefaultSchedule(y.Kind)
	if err != nil {
		return optim.ScheduleSpec{}, err
	}
	given := map[string]bool{"gamma": y.Gamma != nil, "step_size": y.StepSize != nil, "min_lr": y.MinLR != nil}
	for _, p := range []string{"gamma", "step_size", "min_lr"} {
		if given[p] && !slices.Contains(sc.Params(), p) {
			return optim.ScheduleSpec{}, fmt.Errorf("%q is not a parameter of schedule %q (it has: %s)", p, y.Kind, strings.Join(sc.Params(), ", "))
		}
	}
	if y.Gamma != nil {
		sc.Gamma = *y.Gamma
	}
	if y.StepSize != nil {
		sc.StepSize = *y.StepSize
	}
	if y.MinLR != nil {
		sc.MinLR = *y.MinLR
	}
	return sc, nil
}
