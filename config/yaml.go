package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
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
	DType     string      `yaml:"dtype,omitempty"`
	Layout    string      `yaml:"data_layout,omitempty"`
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
	*o = optimYAML{Params: map[string]float64{}}
	fixed := func(key string, v *yaml.Node) (bool, error) {
		switch key {
		case "name":
			return true, v.Decode(&o.Name)
		case "schedule":
			o.Schedule = new(scheduleYAML)
			return true, v.Decode(o.Schedule)
		}
		return false, nil
	}
	kind := func(key string) (valueKind, bool) {
		p, ok := optim.LookupParam(key)
		if p.Bool {
			return switchValue, ok
		}
		return numberValue, ok
	}
	return readMapping(n, "config.optimYAML", fixed, kind, o.Params)
}

// valueKind is how a table-described parameter is written in YAML.
type valueKind int

const (
	numberValue valueKind = iota // a number
	wholeValue                   // a whole number
	switchValue                  // true or false (1 or 0 read too)
)

// readMapping reads the mapping n the way the decoder reads a struct named
// typeName: fixed handles the keys that are not parameters (reporting
// whether it knew the key); every other key must be a parameter (kind
// says how it is written) and goes into params, a switch as 1 or 0.
// Unknown keys and keys given twice are refused; a null value counts as
// absent. Types were checked before (checkTypes), with the key's path.
func readMapping(n *yaml.Node, typeName string, fixed func(key string, v *yaml.Node) (bool, error), kind func(key string) (valueKind, bool), params map[string]float64) error {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode {
			return typeError(n, "cannot unmarshal %s `%s` into %s", n.ShortTag(), n.Value, typeName)
		}
		return typeError(n, "cannot unmarshal %s into %s", n.ShortTag(), typeName)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, ok := seen[k.Value]; ok {
			return typeError(k, "mapping key %q already defined at line %d", k.Value, line)
		}
		seen[k.Value] = k.Line
		if done, err := fixed(k.Value, v); done || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		vk, ok := kind(k.Value)
		if !ok {
			return typeError(k, "field %s not found in type %s", k.Value, typeName)
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		var x float64
		if vk == switchValue {
			var b bool
			if err := v.Decode(&b); err == nil {
				x = b2f(b)
			} else if err := v.Decode(&x); err != nil {
				return fmt.Errorf("line %d: %q must be true or false", v.Line, v.Value)
			} else if x != 0 && x != 1 {
				return fmt.Errorf("line %d: %s=%s must be true or false (or 1 or 0)", v.Line, k.Value, v.Value)
			}
		} else if err := v.Decode(&x); err != nil {
			return err
		} else if vk == wholeValue && x != math.Trunc(x) {
			return fmt.Errorf("line %d: %s=%s must be a whole number", v.Line, k.Value, v.Value)
		}
		params[k.Value] = x
	}
	return nil
}

// MarshalYAML writes name, the given parameters in the table's order and
// the schedule, as a struct of one pointer field per parameter would.
func (o optimYAML) MarshalYAML() (any, error) {
	var keys []string
	kinds := map[string]valueKind{}
	for _, p := range optim.ParamTable() {
		keys = append(keys, p.Name)
		if p.Bool {
			kinds[p.Name] = switchValue
		}
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(m, "name", o.Name); err != nil {
		return nil, err
	}
	if err := addParams(m, keys, kinds, o.Params); err != nil {
		return nil, err
	}
	if o.Schedule != nil {
		if err := addPair(m, "schedule", o.Schedule); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// addPair appends key: v to the mapping m, v encoded as the encoder
// encodes a struct field.
func addPair(m *yaml.Node, key string, v any) error {
	var vn yaml.Node
	if err := vn.Encode(v); err != nil {
		return err
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &vn)
	return nil
}

// addParams appends the given params to m in the order of keys: a switch
// as true/false, a whole number without a fraction, a number as float64.
func addParams(m *yaml.Node, keys []string, kinds map[string]valueKind, params map[string]float64) error {
	for _, key := range keys {
		x, ok := params[key]
		if !ok {
			continue
		}
		var v any = x
		switch kinds[key] {
		case switchValue:
			if x == 0 || x == 1 {
				v = x == 1
			}
		case wholeValue:
			v = int(x)
		}
		if err := addPair(m, key, v); err != nil {
			return err
		}
	}
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// scheduleYAML is an optimiser's learning-rate schedule: its kind and the
// parameters it gives (keys and bounds from optim.ScheduleParamTable).
// Absent parameters keep the kind's defaults (optim.DefaultSchedule), and
// parameters the kind does not use are refused.
type scheduleYAML struct {
	Kind   string
	Params map[string]float64
}

// scheduleShape is the form of a schedule entry that checkTypes walks, built
// from optim.ScheduleParamTable.
var scheduleShape = func() reflect.Type {
	fields := []reflect.StructField{{Name: "Kind", Type: reflect.TypeFor[string](), Tag: `yaml:"kind"`}}
	for i, p := range optim.ScheduleParamTable() {
		t := reflect.TypeFor[*float64]()
		if p.Int {
			t = reflect.TypeFor[*int]()
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("P%d", i), Type: t, Tag: reflect.StructTag(`yaml:"` + p.Name + `"`)})
	}
	return reflect.StructOf(fields)
}()

func scheduleKind(key string) (valueKind, bool) {
	p, ok := optim.LookupScheduleParam(key)
	if p.Int {
		return wholeValue, ok
	}
	return numberValue, ok
}

// UnmarshalYAML reads a schedule entry; unknown keys and keys given twice
// are refused.
func (y *scheduleYAML) UnmarshalYAML(n *yaml.Node) error {
	*y = scheduleYAML{Params: map[string]float64{}}
	fixed := func(key string, v *yaml.Node) (bool, error) {
		if key == "kind" {
			return true, v.Decode(&y.Kind)
		}
		return false, nil
	}
	return readMapping(n, "config.scheduleYAML", fixed, scheduleKind, y.Params)
}

// MarshalYAML writes kind, then the given parameters in the table's order.
func (y scheduleYAML) MarshalYAML() (any, error) {
	var keys []string
	kinds := map[string]valueKind{}
	for _, p := range optim.ScheduleParamTable() {
		keys = append(keys, p.Name)
		kinds[p.Name], _ = scheduleKind(p.Name)
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(m, "kind", y.Kind); err != nil {
		return nil, err
	}
	if err := addParams(m, keys, kinds, y.Params); err != nil {
		return nil, err
	}
	return m, nil
}

func toFile(c Config) file {
	f := file{
		D: c.D, N: c.N, S: c.S, SigmaP: c.SigmaP, Alpha: c.Alpha, TestSize: c.TestSize,
		M: c.M, Q: c.Q, Sigma0: c.Sigma0, Lambda: c.Lambda,
		Steps: c.Steps, LogEvery: c.LogEvery, TestEvery: c.TestEvery, Seed: c.Seed,
		BatchSize: c.BatchSize, SignThr: c.SignThreshold,
		DataFrom: c.DataFrom, InitFrom: c.InitFrom,
	}
	// Defaults are left out, so configurations (and sweep run ids) made
	// before these keys existed are unchanged.
	if c.DType != "float64" {
		f.DType = c.DType
	}
	if c.DataLayout != "auto" {
		f.Layout = c.DataLayout
	}
	for _, s := range c.Optimizers {
		o := optimYAML{Name: s.Name, Params: map[string]float64{}}
		for _, p := range s.Params() {
			o.Params[p], _ = s.Get(p)
		}
		if !s.Schedule.IsConstant() {
			sc := s.Schedule
			o.Schedule = &scheduleYAML{Kind: sc.Kind, Params: map[string]float64{}}
			for _, p := range sc.Params() {
				o.Schedule.Params[p], _ = sc.Get(p)
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
		DType: f.DType, DataLayout: f.Layout,
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
	for _, p := range optim.ScheduleParamTable() {
		v, ok := y.Params[p.Name]
		if !ok {
			continue
		}
		if !slices.Contains(sc.Params(), p.Name) {
			has := "it has none"
			if len(sc.Params()) > 0 {
				has = "it has: " + strings.Join(sc.Params(), ", ")
			}
			return optim.ScheduleSpec{}, fmt.Errorf("%q is not a parameter of schedule %q (%s)", p.Name, cmp.Or(y.Kind, "constant"), has)
		}
		if err := sc.Set(p.Name, v); err != nil {
			return optim.ScheduleSpec{}, err
		}
	}
	return sc, nil
}
