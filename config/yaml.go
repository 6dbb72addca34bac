package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
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

// optimYAML holds an optimiser entry: its name, the hyper-parameters it
// gives (keys and bounds from optim.ParamTable; a switch such as nesterov is
// written true/false, and 0/1 is read too) and its schedule. Absent
// parameters keep the optimiser's defaults, and parameters it does not use
// are refused by Parse.
type optimYAML struct {
	Name     string
	Params   map[string]float64 // given parameters by name; a switch as 1/0
	Schedule *scheduleYAML
}

// optimShape is the form of an optimizers entry that checkTypes walks: one
// field per row of optim.ParamTable (a number, or a switch it leaves to
// UnmarshalYAML), built from the table so that it never lags behind it.
var optimShape = func() reflect.Type {
	fields := []reflect.StructField{{Name: "Name", Type: reflect.TypeFor[string](), Tag: `yaml:"name"`}}
	for i, p := range optim.ParamTable() {
		t := reflect.TypeFor[*float64]()
		if p.Bool {
			t = reflect.TypeFor[*flagBool]()
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("P%d", i), Type: t, Tag: reflect.StructTag(`yaml:"` + p.Name + `"`)})
	}
	fields = append(fields, reflect.StructField{Name: "Schedule", Type: reflect.TypeFor[*scheduleYAML](), Tag: `yaml:"schedule"`})
	return reflect.StructOf(fields)
}()

// flagBool stands for a switch in optimShape; UnmarshalYAML reads it.
type flagBool struct{}

// UnmarshalYAML is never called: optimYAML reads switches itself.
func (*flagBool) UnmarshalYAML(*yaml.Node) error { return nil }

// typeError is a decoding error in the form the YAML decoder gives its own
// (so that messages name keys and lines the same way).
func typeError(n *yaml.Node, format string, args ...any) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: ", n.Line) + fmt.Sprintf(format, args...)}}
}

// UnmarshalYAML reads an optimizers entry. Unknown keys and keys given
// twice are refused as the decoder refuses them in a struct.
func (o *optimYAML) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode {
			return typeError(n, "cannot unmarshal %s `%s` into config.optimYAML", n.ShortTag(), n.Value)
		}
		return typeError(n, "cannot unmarshal %s into config.optimYAML", n.ShortTag())
	}
	*o = optimYAML{Params: map[string]float64{}}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, ok := seen[k.Value]; ok {
			return typeError(k, "mapping key %q already defined at line %d", k.Value, line)
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "name":
			if err := v.Decode(&o.Name); err != nil {
				return err
			}
			continue
		case "schedule":
			if err := knownKeys(v, reflect.TypeFor[scheduleYAML]()); err != nil {
				return err
			}
			o.Schedule = new(scheduleYAML)
			if err := v.Decode(o.Schedule); err != nil {
				return err
			}
			continue
		}
		p, ok := optim.LookupParam(k.Value)
		if !ok {
			return typeError(k, "field %s not found in type config.optimYAML", k.Value)
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue // as for an absent key
		}
		var x float64
		if p.Bool {
			var b bool
			if err := v.Decode(&b); err == nil {
				x = b2f(b)
			} else if err := v.Decode(&x); err != nil {
				return fmt.Errorf("line %d: %q must be true or false", v.Line, v.Value)
			} else if x != 0 && x != 1 {
				return fmt.Errorf("line %d: %s=%s must be true or false (or 1 or 0)", v.Line, p.Name, v.Value)
			}
		} else if err := v.Decode(&x); err != nil {
			return err
		}
		o.Params[p.Name] = x
	}
	return nil
}

// knownKeys refuses a key of the mapping n that is not a yaml key of the
// struct type t, as the decoder's KnownFields does (a nested Decode does
// not inherit it).
func knownKeys(n *yaml.Node, t reflect.Type) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		known := false
		for f := range t.Fields() {
			if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag == k.Value {
				known = true
			}
		}
		if !known {
			return typeError(k, "field %s not found in type %s", k.Value, t)
		}
	}
	return nil
}

// MarshalYAML writes name, the given parameters in the table's order and
// the schedule, as the struct of one pointer field per parameter did.
func (o optimYAML) MarshalYAML() (any, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v any) error {
		var vn yaml.Node
		if err := vn.Encode(v); err != nil {
			return err
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &vn)
		return nil
	}
	if err := add("name", o.Name); err != nil {
		return nil, err
	}
	for _, p := range optim.ParamTable() {
		x, ok := o.Params[p.Name]
		if !ok {
			continue
		}
		var v any = x
		if p.Bool && (x == 0 || x == 1) {
			v = x == 1
		}
		if err := add(p.Name, v); err != nil {
			return nil, err
		}
	}
	if o.Schedule != nil {
		if err := add("schedule", o.Schedule); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
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
		o := optimYAML{Name: s.Name, Params: map[string]float64{}}
		for _, p := range s.Params() {
			o.Params[p], _ = s.Get(p)
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
				v, ok := o.Params[p]
				if !ok {
					continue
				}
				if err := s.Set(p, v); err != nil {
					return Config{}, fmt.Errorf("%w: optimizers[%d]: %w", ErrInvalid, i, err)
				}
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
