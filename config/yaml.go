package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/internal/capfile"
	"github.com/adamgap/adamgap/optim"
)

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
var optimShape = shape(append(append([]shapeField{{"name", reflect.TypeFor[string]()}},
	paramFields(optim.ParamNames(), optimKind)...), shapeField{"schedule", reflect.TypeFor[*scheduleYAML]()}))

// optimKind says how the parameter key of an optimizers entry is written.
func optimKind(key string) (valueKind, bool) {
	p, ok := optim.LookupParam(key)
	if p.Bool {
		return switchValue, ok
	}
	return numberValue, ok
}

// shapeField is a key of a mapping and the Go type its value reads as.
type shapeField struct {
	key string
	t   reflect.Type
}

// paramFields are the fields of parameters written as kind says: a number
// as *float64, a whole number as *int, a switch as *flagBool.
func paramFields(names []string, kind func(string) (valueKind, bool)) []shapeField {
	types := map[valueKind]reflect.Type{numberValue: reflect.TypeFor[*float64](), wholeValue: reflect.TypeFor[*int](), switchValue: reflect.TypeFor[*flagBool]()}
	var fields []shapeField
	for _, name := range names {
		k, _ := kind(name)
		fields = append(fields, shapeField{name, types[k]})
	}
	return fields
}

// shape is a struct type with one field per key, for checkTypes.
func shape(fields []shapeField) reflect.Type {
	var sf []reflect.StructField
	for i, f := range fields {
		sf = append(sf, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: f.t, Tag: reflect.StructTag(`yaml:"` + f.key + `"`)})
	}
	return reflect.StructOf(sf)
}

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
	return readMapping(n, "config.optimYAML", fixed, optimKind, o.Params)
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
			return within(k.Value, typeError(k, "mapping key %q already defined at line %d", k.Value, line))
		}
		seen[k.Value] = k.Line
		if done, err := fixed(k.Value, v); done || err != nil {
			if err != nil {
				return within(k.Value, err)
			}
			continue
		}
		vk, ok := kind(k.Value)
		if !ok {
			return within(k.Value, typeError(k, "field %s not found in type %s", k.Value, typeName))
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
				return fieldErr(k.Value, "line %d: %q must be true or false", v.Line, v.Value)
			} else if x != 0 && x != 1 {
				return fieldErr(k.Value, "line %d: %s=%s must be true or false (or 1 or 0)", v.Line, k.Value, v.Value)
			}
		} else if err := v.Decode(&x); err != nil {
			return within(k.Value, err)
		} else if vk == wholeValue && x != math.Trunc(x) {
			return fieldErr(k.Value, "line %d: %s=%s must be a whole number", v.Line, k.Value, v.Value)
		}
		params[k.Value] = x
	}
	return nil
}

// within is err, about key inside the mapping key names, as a *FieldError
// naming the path to it: key, or key.KEY for a *FieldError about KEY.
func within(key string, err error) error {
	if fe := (*FieldError)(nil); errors.As(err, &fe) {
		inner := *fe
		inner.Key = strings.TrimSuffix(key+"."+fe.Key, ".")
		return &inner
	}
	return &FieldError{Key: key, Err: err}
}

// MarshalYAML writes name, the given parameters in the table's order and
// the schedule, as a struct of one pointer field per parameter would.
func (o optimYAML) MarshalYAML() (any, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(m, "name", o.Name); err != nil {
		return nil, err
	}
	if err := addParams(m, optim.ParamNames(), optimKind, o.Params); err != nil {
		return nil, err
	}
	if o.Schedule != nil {
		if err := addPair(m, "schedule", o.Schedule); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// addPair appends key: v to the mapping m, both encoded as the encoder
// encodes a struct field and its name (so "n" is quoted, as YAML 1.1 reads
// it as a boolean).
func addPair(m *yaml.Node, key string, v any) error {
	var kn, vn yaml.Node
	if err := kn.Encode(key); err != nil {
		return err
	}
	if err := vn.Encode(v); err != nil {
		return err
	}
	m.Content = append(m.Content, &kn, &vn)
	return nil
}

// addParams appends the given params to m in the order of keys: a switch
// as true/false, a whole number without a fraction, a number as float64.
func addParams(m *yaml.Node, keys []string, kind func(string) (valueKind, bool), params map[string]float64) error {
	for _, key := range keys {
		x, ok := params[key]
		if !ok {
			continue
		}
		var v any = x
		switch k, _ := kind(key); k {
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
var scheduleShape = shape(append([]shapeField{{"kind", reflect.TypeFor[string]()}}, paramFields(scheduleNames(), scheduleKind)...))

// scheduleNames are the names of optim.ScheduleParamTable, in its order.
func scheduleNames() []string {
	var names []string
	for _, p := range optim.ScheduleParamTable() {
		names = append(names, p.Name)
	}
	return names
}

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
	m := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(m, "kind", y.Kind); err != nil {
		return nil, err
	}
	if err := addParams(m, scheduleNames(), scheduleKind, y.Params); err != nil {
		return nil, err
	}
	return m, nil
}

// fileShape is the form of config.yaml that checkTypes walks: one field
// per key of the table, of the key's Go type, and the optimizers list.
var fileShape = func() reflect.Type {
	var fields []shapeField
	for _, k := range keys {
		fields = append(fields, shapeField{k.Name, reflect.TypeOf(k.Get(Config{}))})
	}
	return shape(append(fields, shapeField{"optimizers", reflect.TypeFor[[]optimYAML]()}))
}()

// omitted reports whether config.yaml leaves the key out: an empty text,
// a text that is its Default with OmitDefault, a zero number with OmitZero.
func (k Key) omitted(c Config) bool {
	if v, ok := k.Get(c).(string); ok {
		return v == "" || (k.OmitDefault && v == k.Default)
	}
	return k.OmitZero && k.value(&c).IsZero()
}

// optimizersYAML is the optimizers list of c as config.yaml writes it.
func optimizersYAML(c Config) []optimYAML {
	var list []optimYAML
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
		list = append(list, o)
	}
	return list
}

// Marshal returns the configuration as YAML: the keys in the table's order
// (Keys; those omitted, see Key, left out), then the optimizers.
func (c Config) Marshal() ([]byte, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range keys {
		if k.omitted(c) {
			continue
		}
		if err := addPair(m, k.Name, k.Get(c)); err != nil {
			return nil, err
		}
	}
	if err := addPair(m, "optimizers", optimizersYAML(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("# adamgap configuration; run it again with: adamgap run --config FILE --out DIR\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Parse reads a YAML configuration. Keys that are absent keep the values of
// base; unknown keys, values of the wrong type and optimiser parameters that
// the optimiser does not use are errors (a *FieldError naming the key where
// one is to blame). The result is not validated.
func Parse(b []byte, base Config) (Config, error) {
	c, err := parse(b, base)
	return c, reword(err)
}

func parse(b []byte, base Config) (Config, error) {
	if err := checkTypes(b, fileShape); err != nil {
		return Config{}, err
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
	// The decoder resolves anchors and merge keys and refuses keys given
	// twice; the table says which keys there are.
	var values map[string]yaml.Node
	if err := doc.Decode(&values); err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := unknownKey(doc.Content[0], values); err != nil {
		return Config{}, err
	}
	c := base
	c.Optimizers = slices.Clone(base.Optimizers)
	for _, k := range keys {
		if v, ok := values[k.Name]; ok {
			if err := v.Decode(k.field(&c)); err != nil {
				return Config{}, within(k.Name, err)
			}
		}
	}
	// With data_from, n and d come from the file unless given (then they
	// must agree with it: see experiment.PrepareContext).
	if c.DataFrom != "" && c.DataFrom != base.DataFrom {
		for _, k := range []string{"n", "d"} {
			if _, ok := values[k]; !ok {
				key, _ := LookupKey(k)
				key.Set(&c, 0)
			}
		}
	}
	if list, ok := values["optimizers"]; ok && list.Tag != "!!null" {
		var err error
		if c.Optimizers, err = parseOptimizers(&list); err != nil {
			return Config{}, err
		}
	}
	return c, nil
}

// unknownKey reports the first key of the mapping root (then of values,
// which holds merged keys too) that is neither a key of the table nor
// optimizers, as the decoder reports an unknown field of a struct.
func unknownKey(root *yaml.Node, values map[string]yaml.Node) error {
	known := func(key string) bool {
		_, ok := LookupKey(key)
		return ok || key == "optimizers"
	}
	bad := func(n *yaml.Node, key string) error {
		return &FieldError{Key: key, Err: typeError(n, "field %s not found in type config.file", key)}
	}
	for root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Value != "<<" && !known(k.Value) {
			return bad(k, k.Value)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		if v := values[key]; !known(key) {
			return bad(&v, key)
		}
	}
	return nil
}

// parseOptimizers reads the optimizers list: each entry's defaults
// (optim.Default) with the parameters and schedule it gives.
func parseOptimizers(list *yaml.Node) ([]optim.Spec, error) {
	specs := []optim.Spec{}
	for i, e := range list.Content {
		var o optimYAML
		if err := e.Decode(&o); err != nil {
			return nil, within(fmt.Sprintf("optimizers[%d]", i), err)
		}
		s, err := optim.Default(o.Name)
		if err != nil {
			return nil, optimizerError(i, "", err)
		}
		for _, p := range optim.ParamNames() {
			if v, ok := o.Params[p]; ok {
				if err := s.Set(p, v); err != nil {
					return nil, optimizerError(i, "", err)
				}
			}
		}
		if o.Schedule != nil {
			if s.Schedule, err = o.Schedule.spec(); err != nil {
				return nil, optimizerError(i, " ("+o.Name+")", err)
			}
		}
		specs = append(specs, s)
	}
	return specs, nil
}

// optimizerError is err, about entry i of optimizers, as a *FieldError
// naming the entry's key that optim blamed (optim.KeyError; the name when
// none): "optimizers[i]WHAT: err".
func optimizerError(i int, what string, err error) error {
	key := "name"
	if ke := (*optim.KeyError)(nil); errors.As(err, &ke) {
		key = ke.Key
	}
	return fieldErr(fmt.Sprintf("optimizers[%d].%s", i, key), "optimizers[%d]%s: %w", i, what, err)
}

// ErrEmpty is wrapped by the error of Parse for a document without keys
// (empty, "~" or only comments), which would otherwise silently stand for
// base.
var ErrEmpty = errors.New("the configuration is empty (no keys); give at least one key, as in the config.yaml that adamgap run writes, or write {} for the defaults")

// Load reads a YAML configuration file on top of base (see Parse); the file
// is read through a cap of capfile.MaxSize bytes. A relative path (a Path
// key: data_from, init_from) in the file names a path relative to the
// file's folder and is returned as such a path (joined with the folder).
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
	for _, k := range keys {
		if p := k.Format(c); k.Path && p != k.Format(base) && p != "" && !filepath.IsAbs(p) {
			// Relative to the file's folder, written absolute: the run's
			// config.yaml then names the same file from any folder.
			k.Set(&c, absPath(filepath.Join(filepath.Dir(path), p)))
		}
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
			return optim.ScheduleSpec{}, &optim.KeyError{Key: "schedule." + p.Name, Err: fmt.Errorf("%q is not a parameter of schedule %q (%s)", p.Name, cmp.Or(y.Kind, "constant"), has)}
		}
		if err := sc.Set(p.Name, v); err != nil {
			return optim.ScheduleSpec{}, err
		}
	}
	return sc, nil
}
