package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// ID returns the id of a resolved configuration: the first 12 hexadecimal
// digits of the SHA-256 of its canonical form (idForm). The id follows the
// configuration's values, not how a specification or config.yaml writes
// them: equal configurations have equal ids on every machine, a default
// spelled out ("batch_sampling: epoch") is the default left out, and a
// change to how config.yaml is written changes no id. A change to any
// value changes the id.
func ID(c config.Config) (string, error) {
	b, err := idForm(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:12], nil
}

// idFile is the canonical form of the keys that existed when sweep ids were
// first made: it is config.yaml as adamgap wrote it then, without its
// comment line, so that the ids of the sweep folders made since are
// unchanged. It is frozen: a key added to the configuration later
// (config.Keys) goes into idForm's extra pairs, not here.
type idFile struct {
	D         int            `yaml:"d"`
	N         int            `yaml:"n"`
	S         int            `yaml:"s"`
	SigmaP    float64        `yaml:"sigma_p"`
	Alpha     float64        `yaml:"alpha"`
	TestSize  int            `yaml:"test_size"`
	M         int            `yaml:"m"`
	Q         float64        `yaml:"q"`
	Sigma0    float64        `yaml:"sigma0"`
	Lambda    float64        `yaml:"lambda"`
	Steps     int            `yaml:"steps"`
	LogEvery  int            `yaml:"log_every"`
	TestEvery int            `yaml:"test_every"`
	Seed      uint64         `yaml:"seed"`
	BatchSize int            `yaml:"batch_size"`
	SignThr   float64        `yaml:"sign_threshold"`
	Sampling  string         `yaml:"batch_sampling,omitempty"`
	TestLabel string         `yaml:"test_labels,omitempty"`
	DType     string         `yaml:"dtype,omitempty"`
	Layout    string         `yaml:"data_layout,omitempty"`
	DataFrom  string         `yaml:"data_from,omitempty"`
	InitFrom  string         `yaml:"init_from,omitempty"`
	Optims    yaml.Node      `yaml:"optimizers"`
	Extra     map[string]any `yaml:",inline"` // written after the others, keys sorted
}

// idKeys are the configuration keys (config.Keys) that idFile holds.
var idKeys = []string{"d", "n", "s", "sigma_p", "alpha", "test_size", "m", "q", "sigma0", "lambda",
	"steps", "log_every", "test_every", "seed", "batch_size", "sign_threshold", "batch_sampling", "test_labels",
	"dtype", "data_layout", "data_from", "init_from"}

// orDefault is "" for a text that is its key's default.
func orDefault(v, def string) string {
	if v == def {
		return ""
	}
	return v
}

// idForm is the canonical form of c that ID hashes: idFile's keys, the
// optimisers with the parameters each uses (in optim.ParamTable's order)
// and their schedule, then every other key of config.Keys whose value is
// not its default (zero, empty or the key's Default text), keys sorted: a
// key added after the ids were first made leaves the ids of the
// configurations that do not use it unchanged.
func idForm(c config.Config) ([]byte, error) {
	f := idFile{
		D: c.D, N: c.N, S: c.S, SigmaP: c.SigmaP, Alpha: c.Alpha, TestSize: c.TestSize,
		M: c.M, Q: c.Q, Sigma0: c.Sigma0, Lambda: c.Lambda,
		Steps: c.Steps, LogEvery: c.LogEvery, TestEvery: c.TestEvery, Seed: c.Seed,
		BatchSize: c.BatchSize, SignThr: c.SignThreshold,
		Sampling: orDefault(c.BatchSampling, "epoch"), TestLabel: orDefault(c.TestLabels, "coin"),
		DType: orDefault(c.DType, "float64"), Layout: orDefault(c.DataLayout, "auto"),
		DataFrom: c.DataFrom, InitFrom: c.InitFrom,
	}
	for _, k := range config.Keys() {
		v := k.Get(c)
		if slices.Contains(idKeys, k.Name) || reflect.ValueOf(v).IsZero() || v == any(k.Default) {
			continue
		}
		if f.Extra == nil {
			f.Extra = map[string]any{}
		}
		f.Extra[k.Name] = v
	}
	f.Optims = yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range c.Optimizers {
		o, err := optimizerForm(s)
		if err != nil {
			return nil, err
		}
		f.Optims.Content = append(f.Optims.Content, o)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("sweep: run id: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("sweep: run id: %w", err)
	}
	return buf.Bytes(), nil
}

// optimizerForm is one optimiser of idForm: name, the parameters it uses
// (a switch as true/false) and its schedule unless constant (kind, then
// its parameters, whole numbers without a fraction).
func optimizerForm(s optim.Spec) (*yaml.Node, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(m, "name", s.Name); err != nil {
		return nil, err
	}
	err := addUsed(m, optim.ParamNames(), s.Params(), func(name string) any {
		x, _ := s.Get(name)
		if p, _ := optim.LookupParam(name); p.Bool && (x == 0 || x == 1) {
			return x == 1
		}
		return x
	})
	if err != nil || s.Schedule.IsConstant() {
		return m, err
	}
	sc := s.Schedule
	sm := &yaml.Node{Kind: yaml.MappingNode}
	if err := addPair(sm, "kind", sc.Kind); err != nil {
		return nil, err
	}
	var names []string
	for _, p := range optim.ScheduleParamTable() {
		names = append(names, p.Name)
	}
	err = addUsed(sm, names, sc.Params(), func(name string) any {
		x, _ := sc.Get(name)
		if p, _ := optim.LookupScheduleParam(name); p.Int {
			return int(x)
		}
		return x
	})
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "schedule"}, sm)
	return m, err
}

// addUsed appends name: value(name) to the mapping m for each name of
// table, in its order, that used lists.
func addUsed(m *yaml.Node, table, used []string, value func(name string) any) error {
	for _, name := range table {
		if !slices.Contains(used, name) {
			continue
		}
		if err := addPair(m, name, value(name)); err != nil {
			return err
		}
	}
	return nil
}

// addPair appends key: v to the mapping m.
func addPair(m *yaml.Node, key string, v any) error {
	var vn yaml.Node
	if err := vn.Encode(v); err != nil {
		return err
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &vn)
	return nil
}
